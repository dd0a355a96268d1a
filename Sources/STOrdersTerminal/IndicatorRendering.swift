import STOrders

/// `report indicators` as a table or CSV (its JSON is the library's `Shape.indicators`): one
/// rendering for the province's report (`storders`) and the national one (`storders-national`).
public enum IndicatorRendering {
    /// One row per indicator (and per field): `field` is empty for all fields together.
    public static func csv(_ report: IndicatorReport, _ console: Console) {
        let single = report.years.count == 1
        var header = ["field", "key", "label"]
        if single {
            header += ["value", "target", "met"]
        } else {
            header.append("target")
            for y in report.years { header += [String(y.year), "met_\(y.year)"] }
        }
        console.line(CSV.line(header))
        func rows(_ field: String, _ sets: [IndicatorSet]) {
            for key in IndicatorKey.allCases {
                let lines = sets.compactMap { $0[key] }
                guard let first = lines.first else { continue }
                var cells = [field, key.rawValue, key.label]
                if single {
                    cells += [
                        Render.csvCell(Shape.indicatorValue(first.value)),
                        Render.csvCell(Shape.targetValue(first.target)),
                        Render.csvCell(Shape.met(first.met)),
                    ]
                } else {
                    cells.append(Render.csvCell(Shape.targetValue(first.target)))
                    for i in lines {
                        cells += [Render.csvCell(Shape.indicatorValue(i.value)), Render.csvCell(Shape.met(i.met))]
                    }
                }
                console.line(CSV.line(cells))
            }
        }
        rows("", report.years.map(\.total))
        for (index, field) in (report.years.first?.byField.map(\.field) ?? []).enumerated() {
            rows(field.rawValue, report.years.map { $0.byField[index].indicators })
        }
        // The state money advanced, apart from the payments (docs/advances.md): one row per
        // figure, without a target, once the database holds an advance (as in the table and JSON).
        let advances = report.years.compactMap(\.advances)
        guard !advances.isEmpty, advances.count == report.years.count else { return }
        for key in AdvanceFigures.Key.allCases {
            var cells = ["", key.rawValue, key.label]
            if single {
                cells += [String(advances[0][key]), "", ""]
            } else {
                cells.append("")
                for figures in advances { cells += [String(figures[key]), ""] }
            }
            console.line(CSV.line(cells))
        }
    }

    public static func table(_ report: IndicatorReport, _ console: Console) {
        let scope = report.province?.name ?? "all provinces"
        let fieldText = report.field.map { "field \($0.rawValue)" } ?? "all fields"
        let span =
            report.years.count == 1
            ? "\(report.years[0].year)"
            : "\(report.years.first?.year ?? 0) to \(report.years.last?.year ?? 0)"
        console.line("Indicators \(span) · \(scope) · \(fieldText)")
        console.line()
        let single = report.years.count == 1
        var columns = [Table.Column("INDICATOR", max: 72)]
        if single {
            columns += [Table.Column("VALUE", right: true), Table.Column("TARGET", right: true), Table.Column("MET")]
        } else {
            columns.append(Table.Column("TARGET", right: true))
            columns += report.years.map { Table.Column(String($0.year), right: true) }
        }
        let t = Table(columns, console: console)
        var section: IndicatorKey.Section? = nil
        for key in IndicatorKey.allCases {
            if key.section != section {
                section = key.section
                t.add([key.section.label])
            }
            let lines = report.years.compactMap { $0.total[key] }
            guard let first = lines.first else { continue }
            let label = (key.isPart ? "    " : "  ") + key.label
            if single {
                t.add([
                    label, Shape.indicatorText(key, first.value), Render.targetText(first.target),
                    Render.metText(first.met),
                ])
            } else {
                t.add(
                    [label, Render.targetText(first.target)]
                        + lines.map {
                            Shape.indicatorText(key, $0.value) + ($0.met == true ? " ✓" : $0.met == false ? " ✗" : "")
                        })
            }
        }
        t.finish(empty: "")
        if single, let year = report.years.first, year.byField.count > 1 {
            console.line()
            console.line("By field, \(year.year)")
            let f = Table(
                [Table.Column("INDICATOR", max: 72)]
                    + year.byField.map { Table.Column($0.field.rawValue, right: true) },
                console: console)
            for key in IndicatorKey.allCases {
                f.add(
                    [(key.isPart ? "    " : "  ") + key.label]
                        + year.byField.map { Shape.indicatorText(key, $0.indicators[key]?.value) })
            }
            f.finish(empty: "")
        }
        // The state money advanced (tạm ứng), apart from the payments above (docs/advances.md).
        let advanced = report.years.compactMap { y in y.advances.map { (y.year, $0) } }
        if !advanced.isEmpty {
            console.line()
            console.line("State budget advanced (tạm ứng), apart from the payments above")
            let a = Table(
                [
                    Table.Column("YEAR"), Table.Column("ADVANCED", right: true), Table.Column("SETTLED", right: true),
                    Table.Column("RECOVERED", right: true), Table.Column("OUTSTANDING AT END", right: true),
                ], console: console)
            for (year, f) in advanced {
                a.add([
                    String(year), Money.format(f.advanced), Money.format(f.settled), Money.format(f.recovered),
                    Money.format(f.outstanding),
                ])
            }
            a.finish(empty: "")
        }
        console.line()
        for note in report.notes { console.line("Note: " + note) }
    }
}
