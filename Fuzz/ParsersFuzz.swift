// libFuzzer target for the parsers of user input: amounts, dates, tax codes, province names and
// free text. Built by `scripts/fuzz` together with Sources/STOrders/Domain (plain Swift, no GRDB)
// with `swiftc -sanitize=fuzzer`; see that script.
//
// Every input goes through every parser. A parser may accept or refuse, but must never trap, and:
// - what it accepts round-trips (formatting the value and parsing it again gives it back);
// - a refusal is an STOrdersError whose message is one printable line of bounded length
//   (it is what a user reads after `Error:`).
// A broken property calls `fatalError`, which libFuzzer reports as a crash with the input saved.

@_cdecl("LLVMFuzzerTestOneInput")
public func stordersFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkMoney(text)
    checkDay(text)
    checkTaxCode(text)
    checkProvince(text)
    checkText(text)
    return 0
}

/// The message a user would read: one line, no control characters, not a wall of text.
func checkRefusal(_ error: Error, _ parser: String, _ input: String) {
    guard let error = error as? STOrdersError else { fatalError("\(parser): not an STOrdersError: \(error)") }
    let message = error.description
    for scalar in message.unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        fatalError("\(parser): message holds control character \(scalar.value): \(message.debugDescription)")
    }
    if message.count > 1_000 {
        fatalError("\(parser): message of \(message.count) characters for input \(input.count)")
    }
}

func checkMoney(_ text: String) {
    for allowZero in [false, true] {
        do {
            let value = try Money.parse(text, allowZero: allowZero)
            guard value > 0 || (allowZero && value == 0) else { fatalError("Money.parse accepted \(value)") }
            // The grouped form a user sees parses back to the same amount, and so does the plain one.
            guard (try? Money.parse(Money.format(value), allowZero: allowZero)) == value,
                (try? Money.parse(String(value), allowZero: allowZero)) == value
            else {
                fatalError("Money round trip failed for \(text.debugDescription) → \(value)")
            }
        } catch {
            checkRefusal(error, "Money.parse", text)
        }
    }
}

func checkDay(_ text: String) {
    do {
        let day = try Day(parsing: text)
        // Only the exact YYYY-MM-DD form is accepted, so the day prints back as the input.
        guard day.description == text else { fatalError("Day(parsing: \(text.debugDescription)) printed \(day)") }
        guard Day(year: day.year, month: day.month, day: day.day) == day else {
            fatalError("Day \(day) not a real day")
        }
    } catch {
        checkRefusal(error, "Day(parsing:)", text)
    }
}

func checkTaxCode(_ text: String) {
    do {
        let code = try TaxCode(parsing: text)
        guard (try? TaxCode(parsing: code.value))?.value == code.value else {
            fatalError("TaxCode round trip failed for \(text.debugDescription) → \(code)")
        }
        let digits = code.value.unicodeScalars.filter { $0 != "-" }
        guard code.value.utf8.count == 10 || code.value.utf8.count == 14,
            digits.allSatisfy({ ("0"..."9").contains($0) })
        else { fatalError("TaxCode canonical form \(code)") }
    } catch {
        checkRefusal(error, "TaxCode(parsing:)", text)
    }
}

func checkProvince(_ text: String) {
    do {
        let province = try Province.named(text)
        guard (try? Province.named(province.name)) == province, (try? Province.named(province.code)) == province else {
            fatalError("Province round trip failed for \(text.debugDescription) → \(province.name)")
        }
    } catch {
        checkRefusal(error, "Province.named", text)
    }
}

func checkText(_ text: String) {
    do {
        let valid = try Text.validate(text, what: "title")
        guard (try? Text.validate(valid, what: "title")) == valid, !valid.isEmpty else {
            fatalError("Text.validate is not idempotent on \(text.debugDescription)")
        }
    } catch {
        checkRefusal(error, "Text.validate", text)
    }
}
