"""The seed's story (docs/walkthrough.md) told by three people in three browsers, while a fourth
watches the live dashboard move without reloading it.

The enterprise (dn.yenbinh) registers the order with its two outputs on one form, the officer of
Thái Nguyên (cb.thainguyen) funds it, accepts each output and pays against it, the enterprise
reports the sale, and the national auditor (kt.quocgia) sees verify pass and the order's history
with its chain hashes. The figures are the walkthrough's.
"""

import re

from playwright.sync_api import Page, expect

from conftest import storders_json
from pages import digits, sign_in
from records import order

TITLE = "Cải tiến quy trình sản xuất mô-đun camera"
OUTPUT_1 = "Quy trình sản xuất mô-đun camera cải tiến"
OUTPUT_2 = "Dây chuyền kiểm tra quang học tự động"
NBSP = "\u00a0"


def vnd(amount: int) -> str:
    """An amount as the Vietnamese pages show it: `1.200.000.000 ₫`."""
    return f"{amount:,}".replace(",", ".") + NBSP + "₫"


class Dashboard:
    """The live dashboard open in its own browser: its figures for the year, read off the page as
    it is now (the test never reloads it: the page updates itself)."""

    def __init__(self, page: Page, year: int) -> None:
        self.page = page
        self.row = page.locator("#trend table tbody tr").filter(has=page.locator("td", has_text=re.compile(f"^{year}$")))

    def cell(self, column: int):
        return self.row.locator("td").nth(column)

    # The trend table's columns: year, registered, outputs accepted, state budget paid, results, revenue.
    def registered(self):
        return self.cell(1)

    def accepted(self):
        return self.cell(2)

    def state_paid(self):
        return self.cell(3)

    def revenue(self):
        return self.cell(5)

    def read(self) -> dict[str, int]:
        return {
            "registered": digits(self.registered().inner_text()),
            "accepted": digits(self.accepted().inner_text()),
            "state_paid": digits(self.state_paid().inner_text()),
            "revenue": digits(self.revenue().inner_text()),
        }


def expect_figure(dashboard: "Dashboard", figure: str, change: int, before: dict[str, int]) -> None:
    """Waits (no reload) until the dashboard's figure has moved by `change`, grouped as the page groups it."""
    value = before[figure] + change
    expect(getattr(dashboard, figure)()).to_have_text(re.compile(r"^\s*" + re.escape(f"{value:,}".replace(",", ".")) + r"(\s|$)"))


def submit_step(page: Page, flash: str) -> None:
    page.locator("#submit").click()
    expect(page.locator("#flash")).to_contain_text(flash)


def test_the_seed_story_by_three_people_while_the_dashboard_moves(new_context, passwords):
    enterprise = sign_in(new_context(), "dn.yenbinh", passwords["dn.yenbinh"])
    officer = sign_in(new_context(), "cb.thainguyen", passwords["cb.thainguyen"])
    auditor = sign_in(new_context(), "kt.quocgia", passwords["kt.quocgia"])
    leader = sign_in(new_context(), "tt.thainguyen", passwords["tt.thainguyen"])
    dashboard = open_dashboard(leader)
    before = dashboard.read()

    # 1. The enterprise registers the order and its two outputs on one form.
    enterprise.locator("#nav-new-order").click()
    enterprise.locator("#title").fill(TITLE)
    enterprise.locator("#field").select_option("innovation")
    enterprise.locator("#date").fill("2026-01-15")
    enterprise.locator("#output-0-title").fill(OUTPUT_1)
    enterprise.locator("#output-0-type").select_option("model")
    enterprise.locator("#output-0-novelty").select_option("improved")
    enterprise.locator("#output-0-value").fill("1.200.000.000")
    enterprise.locator("#add-row").click()
    enterprise.locator("#output-1-title").fill(OUTPUT_2)
    enterprise.locator("#output-1-type").select_option("product")
    enterprise.locator("#output-1-novelty").select_option("new")
    enterprise.locator("#output-1-value").fill("800.000.000")
    expect(enterprise.locator("#outputs-total")).to_have_text(vnd(2_000_000_000))
    # A third row added by mistake, and removed: the total follows.
    enterprise.locator("#add-row").click()
    enterprise.locator("#output-2-title").fill("Dòng thừa")
    enterprise.locator("#output-2-value").fill("5.000.000")
    expect(enterprise.locator("#outputs-total")).to_have_text(vnd(2_005_000_000))
    enterprise.locator("#remove-row-2").click()
    expect(enterprise.locator("#output-row-2")).to_have_count(0)
    expect(enterprise.locator("#outputs-total")).to_have_text(vnd(2_000_000_000))
    enterprise.locator("#submit").click()
    expect(enterprise.locator("#flash")).to_contain_text("Đã đăng ký đơn")
    code = re.search(r"/orders/([0-9A-Za-z-]+)$", enterprise.url).group(1)
    expect(enterprise.locator("#flash")).to_contain_text(code)
    expect(enterprise.locator("#outputs-table")).to_contain_text(OUTPUT_1)
    expect(enterprise.locator("#outputs-table")).to_contain_text(OUTPUT_2)
    expect(enterprise.locator("#outputs-total")).to_contain_text(vnd(2_000_000_000))
    registered = order(code)
    assert registered["state"] == "ordered" and registered["outputs_value"] == 2_000_000_000
    assert [(o["title"], o["value"]) for o in registered["outputs"]] == [(OUTPUT_1, 1_200_000_000), (OUTPUT_2, 800_000_000)]
    assert registered["events"][0]["actor"] == "dn.yenbinh"
    expect_figure(dashboard, "registered", 1, before)

    # 2. The officer finds it in the inbox and funds it.
    officer.goto("/inbox")
    waiting = officer.locator(f'#inbox-table tr[data-code="{code}"]')
    expect(waiting).to_be_visible()
    waiting.locator(f'a[href="/orders/{code}/fund"]').click()
    officer.locator("#state_budget").fill("1.200.000.000")
    officer.locator("#enterprise_funds").fill("900.000.000")
    officer.locator("#date").fill("2026-02-01")
    submit_step(officer, code)
    expect(officer.locator("#funding-table")).to_contain_text(vnd(1_200_000_000))
    expect(officer.locator("#funding-table")).to_contain_text(vnd(900_000_000))
    assert order(code)["state"] == "funded"

    # 3. It accepts output 1 and pays against it, then output 2 (which delivers the order) and pays.
    officer.locator("#accept-1").click()
    officer.locator("#evidence").fill("Biên bản nghiệm thu số 12/BB-SKHCN")
    officer.locator("#date").fill("2026-06-10")
    submit_step(officer, code)
    expect_figure(dashboard, "accepted", 1, before)
    officer.locator("#action-pay").click()
    officer.locator("#output").select_option("1")
    officer.locator("#amount").fill("1.200.000.000")
    officer.locator("#source").select_option("state")
    officer.locator("#reference").fill("UNC 0142/KBNN")
    officer.locator("#date").fill("2026-06-20")
    submit_step(officer, code)
    expect_figure(dashboard, "state_paid", 1_200_000_000, before)
    officer.locator("#accept-2").click()
    officer.locator("#evidence").fill("Biên bản nghiệm thu số 15/BB-SKHCN")
    officer.locator("#date").fill("2026-07-01")
    submit_step(officer, code)
    expect_figure(dashboard, "accepted", 2, before)
    assert order(code)["state"] == "delivered"
    officer.locator("#action-pay").click()
    officer.locator("#output").select_option("2")
    officer.locator("#amount").fill("800.000.000")
    officer.locator("#source").select_option("enterprise")
    officer.locator("#date").fill("2026-07-05")
    submit_step(officer, code)
    expect(officer.locator("#paid-total")).to_contain_text(vnd(2_000_000_000))
    expect(officer.locator("#payment-1")).to_contain_text("UNC 0142/KBNN")
    expect(officer.locator("#payment-2")).to_contain_text(vnd(800_000_000))

    # 4. The enterprise, on its order's page, reports the sale.
    enterprise.goto(f"/orders/{code}")
    enterprise.locator("#action-commercialize").click()
    enterprise.locator("#channel").select_option("sale")
    enterprise.locator("#revenue").fill("4.500.000.000")
    enterprise.locator("#note").fill("Hợp đồng với đối tác xuất khẩu")
    enterprise.locator("#date").fill("2026-09-01")
    submit_step(enterprise, code)
    expect(enterprise.locator("#revenue-total")).to_contain_text(vnd(4_500_000_000))
    expect(enterprise.locator("#result-1")).to_contain_text("Hợp đồng với đối tác xuất khẩu")
    expect_figure(dashboard, "revenue", 4_500_000_000, before)
    done = order(code)
    assert done["state"] == "commercialized"
    assert done["paid_total"] == 2_000_000_000 and done["revenue_total"] == 4_500_000_000
    history = enterprise.locator("#history li")
    expect(history).to_have_count(len(done["events"]))

    # 5. The national auditor, in its own browser: the order's page with its history as a timeline,
    # each step by the account that took it; verify passes; the chain hashes are the file's.
    hashes = storders_hashes(code)
    assert [a for a, _, _ in hashes] == [
        "registered", "output_added", "output_added", "funded", "output_accepted", "payment_recorded",
        "output_accepted", "delivered", "payment_recorded", "commercialized",
    ]
    assert [actor for _, actor, _ in hashes] == ["dn.yenbinh"] * 3 + ["cb.thainguyen"] * 6 + ["dn.yenbinh"]
    auditor.goto(f"/orders/{code}")
    timeline = auditor.locator("#history li")
    expect(timeline).to_have_count(len(hashes))
    for item, (_, actor, _) in zip(timeline.all(), hashes):
        expect(item).to_contain_text(actor)
    # The auditor's own pages: verify with every check, and the history with each event's hash.
    auditor.goto("/verify")
    expect(auditor.locator("#verify-result")).to_have_class(re.compile(r"\bverify-ok\b"))
    auditor.goto(f"/orders/{code}/history")
    expect(auditor.locator("table#history code.hash")).to_have_text([h for _, _, h in hashes])
    verify = auditor.goto("/api/v1/verify")
    assert verify is not None and verify.status == 200
    assert verify.json()["ok"] is True
    history = auditor.goto(f"/api/v1/orders/{code}/history")
    assert history is not None and history.status == 200
    assert [(e["action"], e["actor"], e["hash"]) for e in history.json()] == hashes


def open_dashboard(page: Page) -> "Dashboard":
    """The live dashboard of this year."""
    response = page.goto("/dashboard")
    assert response is not None and response.status == 200
    return Dashboard(page, 2026)


def storders_hashes(code: str) -> list[tuple[str, str, str]]:
    """Each event of the order's history as the CLI reads it: action, actor and chain hash."""
    return [(event["action"], event["actor"], event["hash"]) for event in storders_json("history", code)]
