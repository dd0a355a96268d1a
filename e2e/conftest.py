"""Fixtures of the browser tests: the live server that scripts/e2e started, Debian's Chromium
driven by Playwright, one browser context per person, and the CLI on the same database.

Run through scripts/e2e, which builds, makes the database and its accounts, serves it, and sets
E2E_BASE_URL, E2E_ACCOUNTS (a file of logins and passwords), E2E_STORDERS and STORDERS_DB.
"""

import json
import os
import shutil
import subprocess

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

# The machine is shared and noisy: waits are long, but each stops a stuck test, never paces one.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the browser tests through scripts/e2e")
    return value


@pytest.fixture(scope="session")
def base_url() -> str:
    return _required("E2E_BASE_URL")


class Passwords:
    """The accounts' passwords by login; shown as its logins only, so that a failing test's report
    (pytest prints a test's arguments) never holds a password."""

    def __init__(self, by_login: dict[str, str]) -> None:
        self._by_login = by_login

    def __getitem__(self, login: str) -> str:
        return self._by_login[login]

    def values(self):
        return self._by_login.values()

    def __repr__(self) -> str:
        return f"<passwords of {', '.join(self._by_login)}>"


@pytest.fixture(scope="session")
def passwords() -> Passwords:
    with open(_required("E2E_ACCOUNTS"), encoding="utf-8") as file:
        return Passwords(json.load(file))


def storders(*arguments: str, stdin: str | None = None, actor: str = "e2e-check") -> str:
    """The CLI on the server's database (STORDERS_DB), as an operator beside the server runs it;
    its changes are recorded as `actor`."""
    completed = subprocess.run(
        [_required("E2E_STORDERS"), *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "STORDERS_ACTOR": actor},
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"storders {' '.join(arguments)} failed: {completed.stderr.strip()}")
    return completed.stdout


def storders_json(*arguments: str, actor: str = "e2e-check"):
    return json.loads(storders(*arguments, "--json", actor=actor))


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = shutil.which("chromium")
    # Debian's Chromium, never one that Playwright downloads. A browser that cannot start is a
    # failure of the run (launch raises), not a skip.
    assert executable, "Debian's chromium is not on PATH (apt-get install chromium)"
    # Chromium refuses to start its sandbox as root (CI and this machine run as root); the pages
    # it opens are this project's own, served on loopback, so the sandbox is given up only there.
    arguments = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=not os.environ.get("E2E_HEADED"),
            args=arguments,
        )
        yield browser
        browser.close()


class Problems:
    """What a page's console says that no page of ours should make it say: an uncaught script
    error, or a resource or script the Content-Security-Policy blocked."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.found.append(f"{page.url}: uncaught {error}"))
        page.on(
            "console",
            lambda message: self.found.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None,
        )


@pytest.fixture
def new_context(browser: Browser, base_url: str):
    """Makes a fresh browser context (one person: own cookies, own storage), closed after the test.
    Each of its pages is watched for script errors and CSP violations, which fail the test."""
    contexts: list[BrowserContext] = []
    problems = Problems()

    def make(width: int = 1280, height: int = 800, **options) -> BrowserContext:
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems.found, "the browser reported:\n" + "\n".join(problems.found)
