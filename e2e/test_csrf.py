"""A form posted to STOrders from another origin, with the signed-in victim's cookie, is refused
with the "Form refused" page, and the order is unchanged (read back with the CLI)."""

import html

import pytest
from playwright.sync_api import expect

from foreign_site import ForeignSite
from pages import sign_in
from records import YEN_BINH, new_order, order


@pytest.fixture
def foreign_site():
    site = ForeignSite()
    yield site
    site.close()


def self_submitting_form(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">' for name, value in fields.items()
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Quà tặng</title></head><body>"
        f'<form id="attack" method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.getElementById('attack').submit()</script></body></html>"
    )


def unchanged(code: str) -> None:
    now = order(code)
    assert now["state"] == "ordered"
    assert now["funding"] is None
    assert [event["action"] for event in now["events"]] == ["registered", "output_added"]


@pytest.mark.parametrize("with_token", [False, True], ids=["without the form token", "with the victim's form token"])
def test_a_form_posted_from_another_origin_is_refused_and_changes_nothing(
    new_context, passwords, base_url, foreign_site, with_token
):
    code = new_order(YEN_BINH, "Hệ thống đo quang phổ cầm tay", [("Máy đo quang phổ", "product", "new", "500.000.000")])
    officer = new_context()
    page = sign_in(officer, "cb.thainguyen", passwords["cb.thainguyen"])
    page.goto(f"/orders/{code}/fund")
    token = page.locator('#fund-form input[name="csrf_token"]').input_value()
    assert token

    fields = {"state_budget": "300.000.000", "enterprise_funds": "200.000.000", "date": "2026-03-20"}
    if with_token:
        # As if the token had leaked: the origin check alone must still refuse the post.
        fields["csrf_token"] = token
    foreign_site.page = self_submitting_form(f"{base_url}/orders/{code}/fund", fields)

    victim = officer.new_page()
    with victim.expect_response(lambda r: r.request.method == "POST" and f"/orders/{code}/fund" in r.url) as posted:
        victim.goto(foreign_site.origin + "/")
    response = posted.value
    # The browser did send the session cookie (127.0.0.1 on another port is the same site, so
    # SameSite=Lax lets it through): the refusal is the server's origin check, not a missing cookie.
    assert "storders_session=" in (response.request.header_value("cookie") or "")
    assert response.request.header_value("origin") == foreign_site.origin
    assert response.status == 403
    expect(victim.locator("#page-title")).to_have_text("Biểu mẫu bị từ chối")
    unchanged(code)

    # The same fields from STOrders' own page are accepted: the refusal above was the origin's.
    page.locator("#state_budget").fill("300.000.000")
    page.locator("#enterprise_funds").fill("200.000.000")
    page.locator("#date").fill("2026-03-20")
    page.locator("#submit").click()
    expect(page.locator("#flash")).to_be_visible()
    assert order(code)["state"] == "funded"


def test_a_post_with_a_foreign_origin_header_is_refused(new_context, passwords, base_url):
    code = new_order(YEN_BINH, "Cảm biến độ ẩm đất không dây", [("Bộ cảm biến", "product", "improved", "90.000.000")])
    officer = new_context()
    page = sign_in(officer, "cb.thainguyen", passwords["cb.thainguyen"])
    page.goto(f"/orders/{code}/cancel")
    token = page.locator('#cancel-form input[name="csrf_token"]').input_value()
    # Playwright's request shares the context's cookies: a post with the right token and cookie,
    # but from https://evil.example, as a hostile page's fetch would send it.
    response = officer.request.post(
        f"{base_url}/orders/{code}/cancel",
        form={"csrf_token": token, "reason": "Hủy giả mạo", "date": "2026-03-05"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        max_redirects=0,
    )
    assert response.status == 403
    assert "Biểu mẫu bị từ chối" in response.text()
    unchanged(code)
