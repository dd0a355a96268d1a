"""Screenshots of each role's main page at a desktop's and a phone's width, for the README.

Run by scripts/screenshots (not by scripts/e2e's test run): the harness serves the demo's records
(E2E_DATABASE=demo); this adds the seed's story for this year and two orders of Thái Nguyên
waiting for a decision, with the CLI and recorded as the people who would have done each step,
then photographs the pages. Each picture is the viewport (not the whole page), PNG.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import storders, storders_json
from pages import sign_in
from records import TAN_CUONG, YEN_BINH

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def seed() -> str:
    """The walkthrough's order, this year, as the enterprise and the officer recorded it; its code."""
    ent, off = "dn.yenbinh", "cb.thainguyen"
    code = storders_json("order", "register", "--enterprise", YEN_BINH, "--field", "innovation", "--title",
                         "Cải tiến quy trình sản xuất mô-đun camera", "--date", "2026-01-15", actor=ent)["code"]
    storders("output", "add", code, "--title", "Quy trình sản xuất mô-đun camera cải tiến", "--type", "model",
             "--novelty", "improved", "--value", "1.200.000.000", "--date", "2026-01-15", actor=ent)
    storders("output", "add", code, "--title", "Dây chuyền kiểm tra quang học tự động", "--type", "product",
             "--novelty", "new", "--value", "800.000.000", "--date", "2026-01-15", actor=ent)
    storders("order", "fund", code, "--state-budget", "1.200.000.000", "--enterprise-funds", "900.000.000", "--date",
             "2026-02-01", actor=off)
    storders("output", "accept", code, "1", "--evidence", "Biên bản nghiệm thu số 12/BB-SKHCN", "--date",
             "2026-06-10", actor=off)
    storders("payment", "record", code, "--output", "1", "--amount", "1.200.000.000", "--reference", "UNC 0142/KBNN",
             "--date", "2026-06-20", actor=off)
    storders("output", "accept", code, "2", "--evidence", "Biên bản nghiệm thu số 15/BB-SKHCN", "--date",
             "2026-07-01", actor=off)
    storders("payment", "record", code, "--output", "2", "--amount", "800.000.000", "--source", "enterprise", "--date",
             "2026-07-05", actor=off)
    storders("order", "commercialize", code, "--channel", "sale", "--revenue", "4.500.000.000", "--note",
             "Hợp đồng với đối tác xuất khẩu", "--date", "2026-09-01", actor=ent)
    for enterprise, login, title, output, value, day in (
        (TAN_CUONG, "dn.tancuong", "Chế biến chè xanh Tân Cương bằng công nghệ sấy lạnh", "Dây chuyền sấy lạnh chè búp",
         "750.000.000", "2026-10-02"),
        (YEN_BINH, "dn.yenbinh", "Hệ thống đo quang phổ cầm tay", "Máy đo quang phổ cầm tay", "480.000.000",
         "2026-11-03"),
    ):
        waiting = storders_json("order", "register", "--enterprise", enterprise, "--field", "science", "--title", title,
                                "--date", day, actor=login)["code"]
        storders("output", "add", waiting, "--title", output, "--type", "product", "--novelty", "new", "--value", value,
                 "--date", day, actor=login)
    return code


@pytest.fixture(scope="module")
def story() -> str:
    return seed()


# (file name, who, the page, an element that shows the page is drawn): each role's main page,
# and the seed's order as its enterprise sees it. The live dashboard, the auditor's verify page
# and the admin's accounts join this list when the server serves them.
PAGES = [
    ("enterprise-orders", "dn.yenbinh", "/orders", "#orders-table"),
    ("enterprise-order", "dn.yenbinh", "/orders/{code}", "#order-facts"),
    ("officer-inbox", "cb.thainguyen", "/inbox", "#inbox-table"),
    ("officer-dashboard", "cb.thainguyen", "/dashboard", "#dashboard"),
    ("auditor-verify", "kt.quocgia", "/verify", "#verify-result"),
    ("auditor-history", "kt.quocgia", "/orders/{code}/history", "table#history"),
    ("admin-accounts", "qtv", "/accounts", "table#accounts"),
]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("name", "login", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_screenshot(new_context, passwords, story, size, name, login, path, ready):
    directory = Path(os.environ["E2E_SCREENSHOTS_DIR"])
    width, height = SIZES[size]
    context = new_context(width, height, device_scale_factor=1, is_mobile=size == "phone", has_touch=size == "phone")
    page = sign_in(context, login, passwords[login])
    page.goto(path.format(code=story))
    expect(page.locator(ready).first).to_be_visible()
    page.screenshot(path=str(directory / f"{name}-{size}.png"), full_page=False, animations="disabled")
