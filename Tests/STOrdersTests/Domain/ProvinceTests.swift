import Testing

@testable import STOrders

@Suite struct ProvinceTests {
    @Test(arguments: [
        ("thai nguyen", "19"), ("Thái Nguyên", "19"), ("THAI-NGUYEN", "19"), ("tỉnh Thái Nguyên", "19"),
        ("Ho Chi Minh City", "79"), ("HCMC", "79"), ("TP.HCM", "79"), ("tp hcm", "79"), ("Thành phố Hồ Chí Minh", "79"),
        ("19", "19"), ("1", "01"), ("01", "01"), ("Ha Noi", "01"), ("hà nội", "01"), ("HANOI", "01"),
        ("Đà Nẵng", "48"), ("da nang", "48"), ("Thua Thien Hue", "46"), ("Huế", "46"), ("Dak Lak", "66"),
        ("Đắk Lắk", "66"), ("can tho", "92"), ("Cà Mau", "96"), ("Tha\u{0301}i Nguye\u{0302}n", "19"),
        ("Thanh Hoa", "38"), ("Khánh Hoà", "56"),
    ])
    func resolves(_ input: String, _ code: String) throws {
        let p = try Province.named(input)
        #expect(p.code == code)
    }

    @Test func alwaysGivesTheOfficialName() throws {
        #expect(try Province.named("hcmc").name == "Thành phố Hồ Chí Minh")
        #expect(try Province.named("thai nguyen").name == "Thái Nguyên")
    }

    @Test func unknownNamesSuggestTheClosest() {
        do {
            _ = try Province.named("Thai Ngyen")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("did you mean Thái Nguyên"), "\(error)")
        }
    }

    @Test func formerProvincesPointToTheirSuccessor() {
        do {
            _ = try Province.named("Bắc Giang")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("merged into Bắc Ninh"), "\(error)")
        }
    }

    @Test(arguments: ["", "xyz", "Atlantis", "123"])
    func refuses(_ input: String) {
        #expect(throws: STOrdersError.unknownProvince(input, suggestions: [], note: nil)) { try Province.named(input) }
    }

    @Test(arguments: ["99", "00"])
    func refusesCodesOfNoUnit(_ input: String) {
        let note = "no unit has code \(input); codes are the statistics office's, 01 to 96"
        #expect(throws: STOrdersError.unknownProvince(input, suggestions: [], note: note)) { try Province.named(input) }
    }

    @Test func thirtyFourUnitsSixCities() {
        #expect(Province.all.count == 34)
        #expect(Province.all.filter(\.isCity).count == 6)
        #expect(Set(Province.all.map(\.code)).count == 34)
    }
}
