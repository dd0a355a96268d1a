/// The dashboard in HTML, in Vietnamese, drawn here once for both of its readers: `storders
/// report html` writes `document()`, one self-contained file (inline CSS with print rules, no
/// script, no external font, image or link); `storders-server`'s live dashboard puts
/// `content()` inside its own page and serves `css` as a stylesheet. Charts are inline SVG whose
/// geometry is computed with integers; amounts are shown in whole đồng or in tỷ đồng (billions).
/// Every rule of `css` applies inside an element of class `dashboard` only.
public struct DashboardHTML {
    let d: Dashboard

    public init(_ dashboard: Dashboard) { d = dashboard }

    private var out = ""

    /// The whole file: a header, then `content()` in `<main class="dashboard">`.
    public func document() -> String {
        var page = self
        page.out += """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="storders report html">
            <title>\(esc(title))</title>
            <style>\(Self.pageCSS)\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>\(esc(Self.heading))</h1>
            <p class="sub">\(subtitle)</p>
            </header>
            <main class="dashboard">

            """
        page.build()
        page.out += "</main>\n</body>\n</html>\n"
        return page.out
    }

    /// The sections and the notes, the same markup `document()` holds inside its `<main>`.
    public func content() -> String {
        var page = self
        page.build()
        return page.out
    }

    /// The page's title: what, where, which year.
    public var title: String {
        "Chỉ số KH&CN, đổi mới sáng tạo và chuyển đổi số — \(scope) — năm \(d.year)"
    }

    /// The dashboard's heading.
    public static let heading = "Bảng chỉ số khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"

    /// The line under the heading, in HTML (escaped): the scope, the year and when it was made.
    public var subtitle: String {
        "<strong>\(esc(scope))</strong> · năm <strong>\(d.year)</strong> · nhiệm vụ KH&amp;CN do doanh nghiệp đặt hàng · lập lúc \(esc(d.generatedAt)) từ cơ sở dữ liệu STOrders"
    }

    // MARK: Page

    private var scope: String { d.province?.name ?? "Toàn quốc (34 tỉnh, thành phố)" }

    private mutating func build() {
        targets()
        indicators()
        funnel()
        money()
        map()
        trend()
        fields()
        results()
        out += "<footer><h2>Ghi chú</h2><ul>\n"
        for note in Self.notesVietnamese(d) { out += "<li>\(esc(note))</li>\n" }
        out += "</ul></footer>\n"
    }

    // MARK: Sections

    private mutating func targets() {
        out += section("targets", "1. Chỉ tiêu của khung hướng dẫn")
        out += "<div class=\"cards\">\n"
        for key in TargetKey.allCases {
            guard let i = d.current.total[key.indicator] else { continue }
            let badge: String
            switch i.met {
            case true?: badge = "<span class=\"badge met\">Đạt</span>"
            case false?: badge = "<span class=\"badge miss\">Chưa đạt</span>"
            case nil: badge = "<span class=\"badge none\">Chưa có dữ liệu</span>"
            }
            let progress = progressPermille(i)
            out += """
                <div class="card">
                <div class="card-label">\(esc(key == .innovativeStartups ? "Doanh nghiệp khởi nghiệp sáng tạo" : key.indicator.labelVietnamese))</div>
                <div class="card-value">\(esc(text(key.indicator, i.value)))<span class="card-target"> / mục tiêu ≥ \(esc(targetText(i.target)))</span></div>
                <svg class="bar" viewBox="0 0 300 14" width="100%" height="14" role="img" aria-label="\(progress / 10) %"><rect x="0" y="0" width="300" height="14" rx="3" fill="#e5e7eb"/><rect x="0" y="0" width="\(progress * 300 / 1000)" height="14" rx="3" fill="\(i.met == true ? "#15803d" : "#b45309")"/></svg>
                \(badge)
                </div>

                """
        }
        out += "</div>\n"
        if d.province == nil {
            out +=
                "<p class=\"note\">Toàn quốc: mỗi mục tiêu số lượng là tổng mục tiêu của 34 tỉnh, thành phố; mục tiêu tỷ lệ là mức mặc định.</p>\n"
        }
        out += "</section>\n"
    }

    private mutating func indicators() {
        out += section("indicators", "2. Bộ chỉ số năm \(d.year)")
        out +=
            "<table class=\"indicators\"><thead><tr><th>Chỉ số</th><th class=\"num\">Giá trị</th><th class=\"num\">Mục tiêu</th><th>Đánh giá</th></tr></thead><tbody>\n"
        var current: IndicatorKey.Section? = nil
        for i in d.current.total.indicators {
            if i.key.section != current {
                current = i.key.section
                out += "<tr class=\"group\"><th colspan=\"4\">\(esc(i.key.section.labelVietnamese))</th></tr>\n"
            }
            let sub = i.key.isPart
            let met =
                i.met.map { $0 ? "<span class=\"badge met\">Đạt</span>" : "<span class=\"badge miss\">Chưa đạt</span>" }
                ?? ""
            out +=
                "<tr><td class=\"\(sub ? "sub" : "")\">\(esc(i.key.labelVietnamese)) <code>\(i.key.rawValue)</code></td>"
                + "<td class=\"num\">\(esc(text(i.key, i.value)))</td><td class=\"num\">\(i.target.map { "≥ " + esc(targetText($0)) } ?? "")</td><td>\(met)</td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    private mutating func funnel() {
        let f = d.current.total.figures
        out += section("funnel", "3. Vòng đời nhiệm vụ đăng ký năm \(d.year)")
        out +=
            "<p class=\"lead\">Trong số nhiệm vụ đăng ký trong năm, số đã đạt tới từng giai đoạn (tính đến nay).</p>\n"
        let rows: [(String, Int64, String)] = [
            ("Đặt hàng", f.ordersRegistered, "#1d4ed8"),
            ("Được cấp kinh phí", f.registeredFunded, "#2563eb"),
            ("Hoàn thành (nghiệm thu đủ)", f.registeredDelivered, "#0891b2"),
            ("Thương mại hóa", f.registeredCommercialized, "#15803d"),
            ("Đã hủy", f.registeredCancelled, "#b91c1c"),
        ]
        out += horizontalBars(rows.map { ($0.0, $0.1, $0.2, String($0.1)) }, label: "Phễu vòng đời nhiệm vụ")
        out += "</section>\n"
    }

    private mutating func money() {
        let f = d.current.total.figures
        out += section("money", "4. Kinh phí cam kết và đã thanh toán theo nguồn, năm \(d.year)")
        let groups: [(String, [Int64])] = [
            ("Ngân sách nhà nước", [f.stateBudgetCommitted, f.stateBudgetPaid]),
            ("Vốn đối ứng doanh nghiệp", [f.counterpartCommitted, f.counterpartPaid]),
            ("Nguồn khác (PPP, quỹ)", [f.otherCommitted, f.otherPaid]),
        ]
        let short = ["Ngân sách", "Đối ứng", "Nguồn khác"]
        out += "<h3>Tỷ đồng</h3>\n"
        out += groupedBars(
            groups.enumerated().map { (short[$0.offset], $0.element.1) },
            series: [("Cam kết", "#1d4ed8"), ("Đã thanh toán (thuần)", "#15803d")],
            format: billions, label: "Kinh phí theo nguồn")
        out +=
            "<table><thead><tr><th>Nguồn</th><th class=\"num\">Cam kết (đồng)</th><th class=\"num\">Đã thanh toán thuần (đồng)</th></tr></thead><tbody>\n"
        for (name, values) in groups {
            out +=
                "<tr><td>\(esc(name))</td><td class=\"num\">\(Money.format(values[0]))</td><td class=\"num\">\(Money.format(values[1]))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        // The state budget advanced (tạm ứng), apart from the payments above, once the database
        // holds an advance: the same four figures as `report indicators`.
        if let a = d.current.advances {
            out += "<h3>Tạm ứng ngân sách nhà nước (ngoài các khoản thanh toán trên)</h3>\n"
            out +=
                "<table class=\"advances\"><thead><tr><th>Tạm ứng</th><th class=\"num\">Đồng</th></tr></thead><tbody>\n"
            let rows: [(AdvanceFigures.Key, String)] = [
                (.advanced, "Đã tạm ứng trong năm"),
                (.settled, "Đã thu hồi qua thanh toán trong năm"),
                (.recovered, "Doanh nghiệp nộp trả trong năm"),
                (.outstanding, "Dư tạm ứng cuối năm (chưa thu hồi)"),
            ]
            for (key, name) in rows {
                out +=
                    "<tr><td>\(esc(name)) <code>\(key.rawValue)</code></td><td class=\"num\">\(Money.format(a[key]))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "</section>\n"
    }

    private mutating func map() {
        out += section("map", "5. Bản đồ công nghệ: nhiệm vụ đăng ký năm \(d.year) theo tỉnh và lĩnh vực")
        guard !d.map.isEmpty else {
            out += "<p class=\"empty\">Chưa có nhiệm vụ nào đăng ký trong năm.</p>\n</section>\n"
            return
        }
        let peak = max(1, d.map.flatMap { $0.orders.values }.max() ?? 1)
        out += "<table class=\"map\"><thead><tr><th>Tỉnh, thành phố</th>"
        for field in Field.allCases { out += "<th class=\"num\">\(esc(Self.fieldName(field)))</th>" }
        out += "<th class=\"num\">Tổng</th></tr></thead><tbody>\n"
        for row in d.map {
            let mark = row.province == d.province ? " class=\"focus\"" : ""
            out += "<tr\(mark)><td>\(esc(row.province.name))</td>"
            for field in Field.allCases {
                let n = row.orders[field] ?? 0
                // Shade from white to blue by the count (integer steps of 1/10).
                let step = n == 0 ? 0 : 1 + Int(n * 8 / peak)
                out += "<td class=\"num heat h\(step)\">\(n)</td>"
            }
            out += "<td class=\"num\"><strong>\(row.total)</strong></td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    private mutating func trend() {
        out += section("trend", "6. Xu hướng qua các năm")
        let years = d.trend
        let counts: [(String, [Int64])] = years.map { y in
            (String(y.year), [y.ordersRegistered, y.outputsAccepted, y.results])
        }
        out += "<div class=\"charts\">\n<div>\n<h3>Số lượng</h3>\n"
        out += groupedBars(
            counts,
            series: [
                ("Nhiệm vụ đăng ký", "#1d4ed8"), ("Sản phẩm nghiệm thu", "#0891b2"),
                ("Kết quả thương mại hóa", "#15803d"),
            ],
            format: { String($0) }, label: "Xu hướng số lượng")
        out += "</div>\n<div>\n<h3>Tiền (tỷ đồng)</h3>\n"
        let money: [(String, [Int64])] = years.map { y in (String(y.year), [y.stateBudgetPaid, y.revenue]) }
        out += groupedBars(
            money, series: [("Ngân sách đã thanh toán", "#b45309"), ("Doanh thu thương mại hóa", "#15803d")],
            format: billions, label: "Xu hướng tiền")
        out += "</div>\n</div>\n"
        out +=
            "<table><thead><tr><th>Năm</th><th class=\"num\">Đăng ký</th><th class=\"num\">Sản phẩm nghiệm thu</th><th class=\"num\">NSNN đã thanh toán (đồng)</th><th class=\"num\">Kết quả</th><th class=\"num\">Doanh thu (đồng)</th></tr></thead><tbody>\n"
        for y in years {
            let mark = y.year == d.year ? " class=\"focus\"" : ""
            out +=
                "<tr\(mark)><td>\(y.year)</td><td class=\"num\">\(y.ordersRegistered)</td><td class=\"num\">\(y.outputsAccepted)</td><td class=\"num\">\(Money.format(y.stateBudgetPaid))</td><td class=\"num\">\(y.results)</td><td class=\"num\">\(Money.format(y.revenue))</td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    private mutating func fields() {
        out += section("fields", "7. Theo lĩnh vực, năm \(d.year)")
        out += "<table><thead><tr><th>Chỉ số</th>"
        for (field, _) in d.current.byField { out += "<th class=\"num\">\(esc(Self.fieldName(field)))</th>" }
        out += "</tr></thead><tbody>\n"
        for key in IndicatorKey.allCases {
            out += "<tr><td>\(esc(key.labelVietnamese))</td>"
            for (_, set) in d.current.byField { out += "<td class=\"num\">\(esc(text(key, set[key]?.value)))</td>" }
            out += "</tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    private mutating func results() {
        out += section("results", "8. Kết quả thương mại hóa năm \(d.year)")
        guard !d.results.isEmpty else {
            out += "<p class=\"empty\">Chưa có kết quả thương mại hóa nào trong năm.</p>\n</section>\n"
            return
        }
        out +=
            "<table class=\"results\"><thead><tr><th>Ngày</th><th>Nhiệm vụ</th><th>Doanh nghiệp</th><th>Tỉnh</th><th>Hình thức</th><th class=\"num\">Doanh thu (đồng)</th><th class=\"num\">NSNN đã chi (đồng)</th></tr></thead><tbody>\n"
        for r in d.results {
            out +=
                "<tr><td>\(r.commercializedOn)</td><td><code>\(esc(r.orderCode))</code> \(esc(r.orderTitle))</td><td>\(esc(r.enterpriseName))</td><td>\(esc(r.province.name))</td><td>\(esc(Self.channelName(r.channel)))</td><td class=\"num\">\(Money.format(r.revenue))</td><td class=\"num\">\(Money.format(r.stateBudgetPaid))</td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    // MARK: Charts (inline SVG)

    /// `value * length / peak` with a 128-bit intermediate product (amounts can be large).
    static func scale(_ value: Int64, _ peak: Int64, _ length: Int) -> Int {
        guard value > 0, peak > 0 else { return 0 }
        let (q, _) = peak.dividingFullWidth(value.multipliedFullWidth(by: Int64(length)))
        return Int(min(Int64(length), q))
    }

    private func horizontalBars(_ rows: [(String, Int64, String, String)], label: String) -> String {
        let width = 720
        let labelWidth = 210
        let barWidth = 420
        let rowHeight = 30
        let peak = max(1, rows.map(\.1).max() ?? 1)
        let height = rows.count * rowHeight + 10
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(esc(label))\">\n"
        for (index, row) in rows.enumerated() {
            let y = index * rowHeight + 5
            let w = Self.scale(row.1, peak, barWidth)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">\(esc(row.0))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(w, row.1 > 0 ? 2 : 0))\" height=\"\(rowHeight - 8)\" rx=\"3\" fill=\"\(row.2)\"/>"
            svg += "<text x=\"\(labelWidth + max(w, 0) + 8)\" y=\"\(y + 18)\" class=\"value\">\(esc(row.3))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func groupedBars(
        _ groups: [(String, [Int64])], series: [(String, String)], format: (Int64) -> String,
        label: String
    ) -> String {
        let height = 220
        let top = 24
        let bottom = 40
        let left = 10
        let plot = height - top - bottom
        let barWidth = 22
        let gap = 6
        let groupGap = 26
        let barsWidth = series.count * barWidth + (series.count - 1) * gap
        // Each group is as wide as its bars or its label, whichever is wider.
        let groupWidth = max(barsWidth, (groups.map { $0.0.count }.max() ?? 0) * 7)
        let width = max(360, left * 2 + groups.count * (groupWidth + groupGap))
        let peak = max(1, groups.flatMap(\.1).max() ?? 1)
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height + 24)\" width=\"\(width)\" height=\"\(height + 24)\" role=\"img\" aria-label=\"\(esc(label))\">\n"
        svg +=
            "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width - left)\" y2=\"\(top + plot)\" stroke=\"#9ca3af\"/>\n"
        for (g, group) in groups.enumerated() {
            let x0 = left + groupGap / 2 + g * (groupWidth + groupGap)
            let bars0 = x0 + (groupWidth - barsWidth) / 2
            for (s, value) in group.1.enumerated() where s < series.count {
                let h = Self.scale(value, peak, plot)
                let x = bars0 + s * (barWidth + gap)
                svg +=
                    "<rect x=\"\(x)\" y=\"\(top + plot - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(series[s].1)\"><title>\(esc(series[s].0)): \(esc(format(value)))</title></rect>"
                svg +=
                    "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plot - h - 4)\" text-anchor=\"middle\" class=\"small\">\(esc(format(value)))</text>\n"
            }
            svg +=
                "<text x=\"\(x0 + groupWidth / 2)\" y=\"\(top + plot + 16)\" text-anchor=\"middle\">\(esc(group.0))</text>\n"
        }
        // Legend.
        var x = left
        for (name, color) in series {
            svg +=
                "<rect x=\"\(x)\" y=\"\(height)\" width=\"12\" height=\"12\" fill=\"\(color)\"/><text x=\"\(x + 16)\" y=\"\(height + 10)\" class=\"small\">\(esc(name))</text>"
            x += 24 + name.count * 7
        }
        return svg + "\n</svg>\n"
    }

    // MARK: Text

    private func section(_ id: String, _ title: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(esc(title))</h2>\n"
    }

    /// Amounts in tỷ đồng (billions) with one decimal, by integer arithmetic.
    private func billions(_ amount: Int64) -> String {
        let sign = amount < 0 ? "−" : ""
        let r = Ratio(amount.magnitude > UInt64(Int64.max) ? Int64.max : Int64(amount.magnitude), 1_000_000_000)
        return sign + (r?.fixed(places: 1).replacingDot() ?? "0")
    }

    private func text(_ key: IndicatorKey, _ v: IndicatorValue?) -> String {
        switch v {
        case nil: return "–"
        case .count(let n)?: return String(n)
        case .money(let n)?: return Money.format(n) + " đ"
        case .ratio(let r)?:
            switch key.kind {
            case .share: return r.percent(places: 1).replacingDot() + " %"
            case .days: return r.decimal(places: 1).replacingDot() + " ngày"
            default: return r.fixed(places: 2).replacingDot()
            }
        }
    }

    private func targetText(_ t: TargetValue?) -> String {
        switch t {
        case nil: return "–"
        case .count(let n)?: return String(n)
        case .share?: return (t?.description ?? "").replacingDot().replacingPercent()
        }
    }

    /// Progress toward the target in per-mille (capped at 1000).
    private func progressPermille(_ i: Indicator) -> Int {
        switch (i.value, i.target) {
        case (.count(let v)?, .count(let t)?): return Self.scale(min(v, t), t, 1000)
        case (.ratio(let v)?, let t?):
            let target = t.ratio
            guard let share = Ratio(min(v.basisPoints, target.basisPoints), max(1, target.basisPoints)) else {
                return 0
            }
            return Int(share.basisPoints / 10)
        default: return 0
        }
    }

    public static func fieldName(_ f: Field) -> String {
        switch f {
        case .science: return "Khoa học và công nghệ"
        case .innovation: return "Đổi mới sáng tạo"
        case .digital: return "Chuyển đổi số"
        }
    }

    public static func channelName(_ c: Channel) -> String {
        switch c {
        case .sale: return "Bán"
        case .license: return "Cấp phép"
        case .transfer: return "Chuyển giao"
        case .spinOff: return "Thành lập doanh nghiệp"
        case .internalUse: return "Sử dụng nội bộ"
        }
    }

    static func notesVietnamese(_ d: Dashboard) -> [String] {
        var notes = [
            "Tỷ lệ đặt hàng được quyết định trong năm (được cấp kinh phí hoặc hủy ngay trong năm đăng ký) là chỉ số đại diện cho chỉ tiêu ít nhất 80 % hồ sơ được hoàn thành trong năm.",
            "Doanh nghiệp tham gia đổi mới công nghệ: doanh nghiệp có nhiệm vụ được cấp kinh phí, nghiệm thu, thanh toán hoặc thương mại hóa trong năm.",
            "Số tiền thanh toán là số thuần (đã trừ các khoản hoàn trả); tiền tính bằng đồng, không làm tròn.",
            "Đóng góp vào GRDP (5-7 % đến năm 2030) không tính được từ dữ liệu nhiệm vụ nên không hiển thị.",
        ]
        if d.province == nil {
            notes.append("Toàn quốc: mục tiêu số lượng là tổng mục tiêu của 34 tỉnh, thành phố.")
        }
        return notes
    }

    /// Escapes text for HTML content and attribute values.
    private func esc(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        // Invisible format characters (bidirectional controls) in stored names: shown escaped.
        for ch in Text.escapingInvisible(s, controls: false).unicodeScalars {
            switch ch {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&#39;"
            default: r.unicodeScalars.append(ch)
            }
        }
        return r
    }

    /// The standalone file's own rules: the page, its header, the printed page.
    static let pageCSS = """

        :root { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --accent: #1d4ed8; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
               background: #f3f4f6; font-size: 14px; line-height: 1.45; }
        header { background: #0f2a5f; color: #fff; padding: 18px 28px; }
        header h1 { margin: 0 0 4px; font-size: 24px; }
        header .sub { margin: 0; color: #dbe4f5; }
        @media print {
          @page { size: A4; margin: 12mm; }
          body { background: #fff; font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          header { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 6px; }
          header .sub { color: #000; }
        }
        """

    /// The rules of `content()`, each inside `.dashboard` (so a page that holds the dashboard
    /// keeps its own look elsewhere); the server serves them as a stylesheet of their own.
    public static let css = """

        .dashboard { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --accent: #1d4ed8;
                     padding: 16px 28px 28px; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
        .dashboard section, .dashboard footer { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px;
                                               overflow-x: auto; }
        .dashboard #targets, .dashboard #indicators, .dashboard #map, .dashboard #trend, .dashboard #fields,
        .dashboard #results, .dashboard footer { grid-column: 1 / -1; }
        .dashboard h2 { font-size: 17px; margin: 0 0 10px; color: #0f2a5f; }
        .dashboard h3 { font-size: 14px; margin: 4px 0; color: var(--muted); }
        .dashboard .cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
        .dashboard .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .dashboard .card-label { color: var(--muted); min-height: 2.9em; }
        .dashboard .card-value { font-size: 28px; font-weight: 700; margin: 4px 0; }
        .dashboard .card-target { font-size: 14px; font-weight: 400; color: var(--muted); }
        .dashboard .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
        .dashboard .badge.met { background: #dcfce7; color: #14532d; }
        .dashboard .badge.miss { background: #fef3c7; color: #7c2d12; }
        .dashboard .badge.none { background: #e5e7eb; color: #374151; }
        .dashboard table { border-collapse: collapse; width: 100%; margin-top: 8px; }
        .dashboard th, .dashboard td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
        .dashboard thead th { background: #f9fafb; font-weight: 600; }
        .dashboard .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .dashboard tr.group th { background: #eef2ff; color: #1e3a8a; }
        .dashboard td.sub { padding-left: 26px; color: var(--muted); }
        .dashboard code { font-size: 11px; color: #6b7280; }
        .dashboard tr.focus td { font-weight: 700; background: #fffbeb; }
        .dashboard .heat.h1 { background: #eff6ff; } .dashboard .heat.h2 { background: #dbeafe; }
        .dashboard .heat.h3 { background: #bfdbfe; } .dashboard .heat.h4 { background: #93c5fd; }
        .dashboard .heat.h5 { background: #60a5fa; } .dashboard .heat.h6 { background: #3b82f6; color: #fff; }
        .dashboard .heat.h7 { background: #2563eb; color: #fff; } .dashboard .heat.h8 { background: #1d4ed8; color: #fff; }
        .dashboard .heat.h9 { background: #1e40af; color: #fff; }
        .dashboard .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        .dashboard svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; fill: var(--ink); }
        .dashboard svg text.small { font-size: 10px; fill: var(--muted); }
        .dashboard svg text.value { font-weight: 600; }
        .dashboard .lead, .dashboard .note, .dashboard .empty { color: var(--muted); margin: 4px 0; }
        .dashboard footer ul { margin: 0; padding-left: 18px; color: var(--muted); }
        @media (max-width: 900px) {
          .dashboard { grid-template-columns: 1fr; padding: 12px 8px; } .dashboard .cards { grid-template-columns: 1fr 1fr; }
          .dashboard .charts { grid-template-columns: 1fr; }
        }
        @media print {
          .dashboard { display: block; padding: 0; }
          .dashboard section, .dashboard footer { border: none; border-radius: 0; padding: 6px 0; margin: 0 0 8px; break-inside: avoid; }
          .dashboard #results, .dashboard #indicators { break-inside: auto; }
          .dashboard thead { display: table-header-group; }
          .dashboard tr { break-inside: avoid; }
        }

        """
}

extension String {
    /// Vietnamese writes the decimal mark as a comma: 66.7 → 66,7.
    fileprivate func replacingDot() -> String { String(map { $0 == "." ? "," : $0 }) }
    fileprivate func replacingPercent() -> String {
        hasSuffix("%") && !hasSuffix(" %") ? String(dropLast()) + " %" : self
    }
}
