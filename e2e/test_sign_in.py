"""Signing in and out, in Vietnamese by default, with the keyboard alone, and the language switch."""

from playwright.sync_api import Page, expect

from pages import sign_in


def tab_to(page: Page, element_id: str, limit: int = 25) -> None:
    """Presses Tab until the element with `element_id` has the focus (as a keyboard user does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never took the focus in {limit} presses of Tab")


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element is drawn differently from the same element without the focus:
    an outline or a ring (box-shadow) that only focus adds."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const focused = getComputedStyle(element);
            const marks = [focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) > 0
                             ? 'outline ' + focused.outlineStyle + ' ' + focused.outlineWidth + ' ' + focused.outlineColor : '',
                           focused.boxShadow !== 'none' ? 'shadow ' + focused.boxShadow : ''];
            element.blur();
            const plain = getComputedStyle(element);
            const plainMarks = [plain.outlineStyle !== 'none' && parseFloat(plain.outlineWidth) > 0
                                  ? 'outline ' + plain.outlineStyle + ' ' + plain.outlineWidth + ' ' + plain.outlineColor : '',
                                plain.boxShadow !== 'none' ? 'shadow ' + plain.boxShadow : ''];
            element.focus();
            return marks.some((mark, i) => mark !== '' && mark !== plainMarks[i]);
        }"""
    )


def test_wrong_password_is_refused_in_vietnamese_and_keeps_the_login(new_context, passwords):
    page = new_context().new_page()
    page.goto("/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("#login").fill("dn.yenbinh")
    page.locator("#password").fill("không-phải-mật-khẩu")
    page.locator("#sign-in").click()
    expect(page.locator("#form-error")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.locator("#login")).to_have_value("dn.yenbinh")
    expect(page.locator("#password")).to_have_value("")
    expect(page.locator("#who-login")).to_have_count(0)


def test_sign_in_and_out(new_context, passwords):
    context = new_context()
    page = sign_in(context, "cb.thainguyen", passwords["cb.thainguyen"])
    assert any(cookie["name"] == "storders_session" and cookie["httpOnly"] for cookie in context.cookies())
    page.locator("#sign-out").click()
    expect(page.locator("#who-login")).to_have_count(0)
    expect(page.locator("#login")).to_be_visible()
    # The session ended on the server, not only in this browser: the old page's links lead to sign-in.
    page.goto("/")
    expect(page.locator("#who-login")).to_have_count(0)


def test_sign_in_with_the_keyboard_only_and_the_focus_is_visible(new_context, passwords):
    page = new_context().new_page()
    page.goto("/sign-in")
    tab_to(page, "login")
    assert focus_is_visible(page), "the login field shows no focus"
    page.keyboard.type("tt.thainguyen")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "password"
    page.keyboard.type(passwords["tt.thainguyen"])
    page.keyboard.press("Enter")
    expect(page.locator("#who-login")).to_have_text("tt.thainguyen")
    tab_to(page, "sign-out")
    assert focus_is_visible(page), "the sign-out button shows no focus"


def test_the_language_switch_is_remembered(new_context, passwords):
    context = new_context()
    page = context.new_page()
    page.goto("/sign-in")
    expect(page.locator("#sign-in")).to_have_text("Đăng nhập")
    page.locator("#language-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#sign-in")).to_have_text("Sign in")
    # Remembered: through signing in, on every page of this browser, and in a new tab.
    page.locator("#login").fill("kt.quocgia")
    page.locator("#password").fill(passwords["kt.quocgia"])
    page.locator("#sign-in").click()
    expect(page.locator("#who-login")).to_have_text("kt.quocgia")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#sign-out")).to_have_text("Sign out")
    other = context.new_page()
    other.goto("/")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    # And switched back the same way.
    other.locator("#language-switch").click()
    expect(other.locator("html")).to_have_attribute("lang", "vi")
    expect(other.locator("#sign-out")).to_have_text("Đăng xuất")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # Another person's browser is not affected: it starts in Vietnamese.
    stranger = new_context().new_page()
    stranger.goto("/sign-in")
    expect(stranger.locator("html")).to_have_attribute("lang", "vi")
