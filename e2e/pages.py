"""What a person does on the pages, once, for every test: sign in, read a figure, fill a money field.

The ids and form fields are those docs/web.md documents; where a page has no id for something,
the accessible role and name are used, as a person using a screen reader would find it.
"""

import re

from playwright.sync_api import BrowserContext, Page, expect


def sign_in(context: BrowserContext, login: str, password: str, next_path: str | None = None) -> Page:
    """Signs `login` in through the sign-in page in `context`, and returns the page it lands on."""
    page = context.new_page()
    page.goto("/sign-in" + (f"?next={next_path}" if next_path else ""))
    page.locator("#login").fill(login)
    page.locator("#password").fill(password)
    page.locator("#sign-in").click()
    expect(page.locator("#who-login")).to_have_text(login)
    return page


def digits(text: str) -> int:
    """The whole number a figure shows, whatever its grouping (`1.200.000.000 ₫`, `1,200`, `3`)."""
    found = re.sub(r"[^0-9]", "", text)
    if not found:
        raise AssertionError(f"no number in {text!r}")
    return int(found)
