"""A payment request on the pages (issue 13): the enterprise asks to be paid against its accepted
output, the officer finds the request in its inbox, approves it and disburses it with the
treasury's reference; the order's record (read with the CLI) holds each step as its account."""

from playwright.sync_api import expect

from pages import sign_in
from records import YEN_BINH, new_order, order


def test_a_payment_request_is_asked_approved_and_disbursed_on_the_pages(new_context, passwords):
    code = new_order(
        YEN_BINH, "Cảm biến đo độ ẩm đất cho đồi chè", [("Mẫu cảm biến độ ẩm", "product", "new", "400.000.000")],
        funding=("300.000.000", "100.000.000"), accepted=(1,))

    enterprise = sign_in(new_context(), "dn.yenbinh", passwords["dn.yenbinh"], f"/orders/{code}")
    enterprise.locator("#action-request-pay").click()
    enterprise.locator("#output").select_option("1")
    enterprise.locator("#amount").fill("150.000.000")
    enterprise.locator("#source").select_option("state")
    enterprise.locator("#date").fill("2026-03-05")
    enterprise.locator("#submit").click()
    expect(enterprise.locator("#flash")).to_contain_text("Đã gửi đề nghị thanh toán")
    expect(enterprise.locator("#payment-request-1")).to_have_attribute("data-state", "requested")

    officer = sign_in(new_context(), "cb.thainguyen", passwords["cb.thainguyen"])
    officer.goto("/inbox")
    waiting = officer.locator(f'#inbox-table tr[data-code="{code}"][data-kind="payment_request"]')
    waiting.get_by_role("link", name="Xem và quyết định").click()
    officer.locator("#approve-request-1").click()
    officer.locator("#date").fill("2026-03-10")
    officer.locator("#submit").click()
    expect(officer.locator("#flash")).to_contain_text("Đã duyệt đề nghị thanh toán")
    expect(officer.locator("#payment-request-1")).to_have_attribute("data-state", "approved")
    officer.locator("#disburse-request-1").click()
    officer.locator("#reference").fill("UNC 0310/KBNN-TN")
    officer.locator("#date").fill("2026-03-12")
    officer.locator("#submit").click()
    expect(officer.locator("#flash")).to_contain_text("Đã ghi nhận chi trả")
    expect(officer.locator("#payment-request-1")).to_have_attribute("data-state", "paid")
    expect(officer.locator("#payment-1")).to_contain_text("UNC 0310/KBNN-TN")

    record = order(code)
    assert [r["state"] for r in record["payment_requests"]] == ["paid"]
    assert record["paid_total"] == 150_000_000
    steps = [(e["action"], e["actor"]) for e in record["events"] if e["action"].startswith("payment")]
    assert steps == [
        ("payment_requested", "dn.yenbinh"), ("payment_request_approved", "cb.thainguyen"),
        ("payment_recorded", "cb.thainguyen"), ("payment_request_paid", "cb.thainguyen"),
    ]
