"""An order outside the caller's scope does not exist for it: the same 404 page as a code that
was never issued, with nothing of the order in the HTML, on the order's page and on its steps."""

from playwright.sync_api import expect

from pages import sign_in
from records import TAN_CUONG, new_order

SECRET_TITLE = "Chế biến chè xanh Tân Cương bằng công nghệ sấy lạnh"
SECRET_OUTPUT = "Dây chuyền sấy lạnh chè búp"


def test_an_enterprise_cannot_open_another_enterprises_order_by_url(new_context, passwords, base_url):
    code = new_order(TAN_CUONG, SECRET_TITLE, [(SECRET_OUTPUT, "product", "new", "750.000.000")])
    missing = "19-2026-9999"
    page = sign_in(new_context(), "dn.yenbinh", passwords["dn.yenbinh"])

    missing_response = page.goto(f"/orders/{missing}")
    assert missing_response is not None and missing_response.status == 404
    missing_html = page.content()

    for path in (f"/orders/{code}", f"/orders/{code}/results/new", f"/orders/{code}/cancel"):
        response = page.goto(path)
        assert response is not None and response.status == 404, f"{path}: {response and response.status}"
        expect(page.locator("#page-title")).to_have_text("Không tìm thấy")
        html = page.content()
        for secret in (SECRET_TITLE, SECRET_OUTPUT, TAN_CUONG, "Chè Tân Cương", "750.000.000"):
            assert secret not in html, f"{path} shows {secret!r}"
        if path == f"/orders/{code}":
            # The very page of a code that does not exist: nothing tells the order is there.
            assert html.replace(code, missing) == missing_html

    # Nor is it listed, while the enterprise's own list opens.
    response = page.goto("/orders")
    assert response is not None and response.status == 200
    expect(page.locator(f'tr[data-code="{code}"]')).to_have_count(0)
    assert SECRET_TITLE not in page.content()

    # The province's officer does see it: the 404 above is the scope, not a broken page.
    officer = sign_in(new_context(), "cb.thainguyen", passwords["cb.thainguyen"])
    officer.goto(f"/orders/{code}")
    expect(officer.locator("#order-facts")).to_contain_text(SECRET_TITLE)
    # An officer of another province gets the same 404 as the enterprise.
    hanoi = sign_in(new_context(), "cb.hanoi", passwords["cb.hanoi"])
    response = hanoi.goto(f"/orders/{code}")
    assert response is not None and response.status == 404
    assert SECRET_TITLE not in hanoi.content()
    assert SECRET_OUTPUT not in hanoi.content()
