"""Records made and read with the CLI on the server's database, beside the browser: the state a
test starts from, and what a test checks was (or was not) changed, independently of the pages."""

from conftest import storders, storders_json

YEN_BINH = "4601234560"  # Công ty TNHH Quang học Yên Bình, Thái Nguyên: the seed's enterprise
TAN_CUONG = "4607654321"  # Công ty Cổ phần Chè Tân Cương, Thái Nguyên: another enterprise
THANG_LONG = "0100233488"  # Công ty Cổ phần Công nghệ Số Thăng Long, Hà Nội


def new_order(
    enterprise: str,
    title: str,
    outputs: list[tuple[str, str, str, str]],
    date: str = "2026-03-02",
    field: str = "science",
    funding: tuple[str, str] | None = None,
    accepted: tuple[int, ...] = (),
) -> str:
    """Registers an order with its outputs (title, type, novelty, value), optionally funds it
    (state budget, enterprise funds) and accepts some outputs, all dated `date`; its code."""
    code = storders_json("order", "register", "--enterprise", enterprise, "--field", field, "--title", title,
                         "--date", date)["code"]
    for output_title, kind, novelty, value in outputs:
        storders("output", "add", code, "--title", output_title, "--type", kind, "--novelty", novelty,
                 "--value", value, "--date", date)
    if funding:
        storders("order", "fund", code, "--state-budget", funding[0], "--enterprise-funds", funding[1],
                 "--date", date)
    for number in accepted:
        storders("output", "accept", code, str(number), "--evidence", f"Biên bản nghiệm thu số {number}", "--date",
                 date)
    return code


def order(code: str) -> dict:
    """The order as `storders order show CODE --json` prints it (and GET /api/v1/orders/{code})."""
    return storders_json("order", "show", code)
