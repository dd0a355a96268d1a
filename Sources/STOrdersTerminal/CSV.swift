import STOrders

/// RFC 4180 CSV: comma-separated, CRLF-free lines ending in \n, fields quoted when they hold a
/// comma, quote or line break. Amounts are plain integers and dates ISO-8601, for spreadsheets.
public enum CSV {
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",")
    }

    public static func quote(_ field: String) -> String {
        // Stored text written before the text rules may hold invisible format characters
        // (bidirectional controls, zero-width spaces): written escaped (`\u{202E}`), never raw.
        let field = Text.escapingInvisible(field, controls: false)
        var needs = false
        for b in field.utf8 where b == 44 || b == 34 || b == 10 || b == 13 {
            needs = true
            break
        }
        guard needs else { return field }
        var out = "\""
        for ch in field {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }
}
