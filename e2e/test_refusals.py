"""A refused action shows the rule's sentence beside the field, keeps what was typed, and changes
nothing; and a step's form can be filled and sent with the keyboard alone."""

from playwright.sync_api import expect

from pages import sign_in
from records import YEN_BINH, new_order, order
from test_sign_in import focus_is_visible, tab_to


def test_paying_more_than_an_output_has_left_is_refused_beside_the_amount(new_context, passwords):
    code = new_order(
        YEN_BINH,
        "Phần mềm quản lý chất lượng ống kính",
        [("Phần mềm QC ống kính", "product", "new", "900.000.000"), ("Quy trình kiểm định", "model", "improved", "300.000.000")],
        funding=("1.000.000.000", "200.000.000"),
        accepted=(1,),
    )
    page = sign_in(new_context(), "cb.thainguyen", passwords["cb.thainguyen"])
    page.goto(f"/orders/{code}/pay")
    page.locator("#output").select_option("1")
    page.locator("#amount").fill("1.300.000.000")
    page.locator("#source").select_option("state")
    page.locator("#reference").fill("UNC 0977/KBNN Thái Nguyên")
    page.locator("#date").fill("2026-04-01")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("#submit").click()
    assert posted.value.status == 409

    error = page.locator("#amount-error")
    # The rule's own sentence (the library's payment_exceeds_output), naming what remains.
    expect(error).to_contain_text("900.000.000")
    expect(error).to_contain_text("1.300.000.000")
    expect(page.locator("#amount")).to_have_attribute("aria-invalid", "true")
    described_by = page.locator("#amount").get_attribute("aria-describedby") or ""
    assert "amount-error" in described_by.split()
    expect(page.locator("#form-error")).to_be_visible()
    # Everything typed is still there.
    expect(page.locator("#amount")).to_have_value("1.300.000.000")
    expect(page.locator("#reference")).to_have_value("UNC 0977/KBNN Thái Nguyên")
    expect(page.locator("#output")).to_have_value("1")
    expect(page.locator("#source")).to_have_value("state")
    expect(page.locator("#date")).to_have_value("2026-04-01")
    # And nothing was recorded.
    assert order(code)["payments"] == []
    assert order(code)["paid_total"] == 0

    # Corrected in place, the same form goes through.
    page.locator("#amount").fill("900.000.000")
    page.locator("#submit").click()
    expect(page.locator("#flash")).to_be_visible()
    assert order(code)["paid_total"] == 900_000_000


def test_funding_an_order_with_the_keyboard_only(new_context, passwords):
    code = new_order(YEN_BINH, "Thiết bị đo độ nhám bề mặt", [("Máy đo độ nhám", "product", "new", "420.000.000")])
    page = sign_in(new_context(), "cb.thainguyen", passwords["cb.thainguyen"])
    page.goto(f"/orders/{code}/fund")
    tab_to(page, "state_budget")
    assert focus_is_visible(page), "the focused money field shows no focus"
    page.keyboard.type("300.000.000")
    tab_to(page, "enterprise_funds", limit=3)
    page.keyboard.type("120.000.000")
    tab_to(page, "date", limit=6)
    page.keyboard.type("03202026")  # a date input takes its parts in the locale's order (mm/dd/yyyy here)
    tab_to(page, "submit", limit=10)
    assert focus_is_visible(page), "the focused submit button shows no focus"
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_be_visible()
    funded = order(code)
    assert funded["state"] == "funded"
    assert funded["funded_on"] == "2026-03-20"
    assert funded["funding"]["state_budget"] == 300_000_000
