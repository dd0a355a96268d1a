/// The demo: the seed article's story (an enterprise in Thái Nguyên orders an improved
/// camera-module production process, is funded, delivers, is paid per output and
/// commercializes) and a few more orders in several provinces and states. Everything goes
/// through the store's own operations, so the demo obeys every rule a user does.
public enum DemoData {
    /// The enterprise of the seed's story; its presence marks a database that has the demo.
    public static let storyTaxCode = "4601234560"

    /// Fills the store with the demo unless it is there already. Returns false when it was.
    @discardableResult
    public static func populate(_ store: Store) throws -> Bool {
        let story = try TaxCode(parsing: storyTaxCode)
        if (try? store.enterprise(taxCode: story)) != nil { return false }
        func day(_ s: String) throws -> Day { try Day(parsing: s) }
        func province(_ s: String) throws -> Province { try Province.named(s) }

        // 1. The seed's story, in Thái Nguyên.
        try store.addEnterprise(
            name: "Công ty TNHH Quang học Yên Bình", taxCode: story,
            province: province("Thái Nguyên"), on: day("2025-03-01"))
        let camera = try store.registerOrder(
            enterprise: story, title: "Cải tiến quy trình sản xuất mô-đun camera tại KCN Yên Bình",
            field: .innovation, on: day("2025-03-10"))
        try store.addOutput(
            order: camera.code,
            NewOutput(
                title: "Quy trình sản xuất mô-đun camera cải tiến", type: .model, novelty: .improved,
                value: 1_200_000_000, dueOn: day("2025-09-30")), on: day("2025-03-10"))
        try store.addOutput(
            order: camera.code,
            NewOutput(
                title: "Dây chuyền kiểm tra quang học tự động", type: .product, novelty: .new,
                value: 800_000_000, dueOn: day("2025-12-31")), on: day("2025-03-10"))
        try store.fund(
            order: camera.code,
            Funding(
                stateBudget: 1_200_000_000, enterpriseFunds: 900_000_000,
                fundedOn: day("2025-04-02"), startsOn: day("2025-04-02"), endsOn: day("2026-03-31")))
        try store.acceptOutput(
            order: camera.code, number: 1, evidence: "Biên bản nghiệm thu số 12/BB-SKHCN",
            on: day("2025-09-15"))
        try store.recordPayment(
            order: camera.code, output: 1, amount: 1_200_000_000, source: .state,
            reference: "UNC 0142/KBNN-TN", on: day("2025-09-30"))
        try store.acceptOutput(
            order: camera.code, number: 2, evidence: "Biên bản nghiệm thu số 27/BB-SKHCN",
            on: day("2025-11-20"))
        try store.recordPayment(
            order: camera.code, output: 2, amount: 800_000_000, source: .enterprise,
            reference: "Chứng từ 88/QHYB", on: day("2025-12-05"))
        try store.commercialize(
            order: camera.code, channel: .sale, revenue: 4_500_000_000,
            note: "Hợp đồng cung ứng mô-đun camera cho đối tác xuất khẩu", on: day("2026-02-10"))

        // 2. A digital platform in Hà Nội by an innovative startup, licensed.
        let thangLong = try TaxCode(parsing: "0100233488")
        try store.addEnterprise(
            name: "Công ty Cổ phần Công nghệ Số Thăng Long", taxCode: thangLong,
            province: province("Ha Noi"), innovativeStartup: true, on: day("2025-05-02"))
        let platform = try store.registerOrder(
            enterprise: thangLong, title: "Nền tảng số truy xuất nguồn gốc nông sản", field: .digital,
            on: day("2025-05-20"))
        try store.addOutput(
            order: platform.code,
            NewOutput(
                title: "Dịch vụ truy xuất nguồn gốc trên nền tảng đám mây", type: .service, novelty: .new,
                value: 650_000_000, dueOn: day("2025-12-31")), on: day("2025-05-20"))
        try store.fund(
            order: platform.code,
            Funding(
                stateBudget: 400_000_000, enterpriseFunds: 250_000_000,
                fundedOn: day("2025-06-16"), startsOn: day("2025-06-16"), endsOn: day("2026-06-15")))
        try store.acceptOutput(
            order: platform.code, number: 1, evidence: "Biên bản nghiệm thu số 05/BB-HĐ",
            on: day("2025-12-18"))
        try store.recordPayment(
            order: platform.code, output: 1, amount: 400_000_000, source: .state,
            reference: "UNC 2211/KBNN-HN", on: day("2025-12-29"))
        try store.recordPayment(
            order: platform.code, output: 1, amount: 250_000_000, source: .enterprise,
            on: day("2025-12-29"))
        try store.commercialize(
            order: platform.code, channel: .license, revenue: 1_100_000_000,
            note: "Cấp phép cho 3 hợp tác xã", on: day("2026-03-05"))
        try store.commercialize(
            order: platform.code, channel: .sale, revenue: 320_000_000,
            note: "Thuê bao dịch vụ năm đầu", on: day("2026-06-30"))

        // 3. New materials in Thành phố Hồ Chí Minh, funded with a venture fund; one output accepted.
        let saigon = try TaxCode(parsing: "0312345673")
        try store.addEnterprise(
            name: "Công ty TNHH Vật liệu Mới Sài Gòn", taxCode: saigon,
            province: province("HCMC"), on: day("2025-08-01"))
        let nano = try store.registerOrder(
            enterprise: saigon, title: "Vật liệu nano kháng khuẩn cho bao bì thực phẩm", field: .science,
            on: day("2025-08-12"))
        try store.addOutput(
            order: nano.code,
            NewOutput(
                title: "Màng bao bì nano kháng khuẩn", type: .product, novelty: .new, value: 900_000_000,
                dueOn: day("2026-04-30")),
            on: day("2025-08-12"))
        try store.addOutput(
            order: nano.code,
            NewOutput(
                title: "Quy trình phủ nano quy mô pilot", type: .model, novelty: .new, value: 500_000_000,
                dueOn: day("2026-09-30")),
            on: day("2025-08-12"))
        try store.fund(
            order: nano.code,
            Funding(
                stateBudget: 700_000_000, enterpriseFunds: 400_000_000,
                other: 300_000_000, otherSource: "Quỹ đầu tư mạo hiểm Sông Sài Gòn",
                fundedOn: day("2025-09-25"), startsOn: day("2025-09-25"), endsOn: day("2026-12-31")))
        try store.acceptOutput(
            order: nano.code, number: 1, evidence: "Phiếu kết quả thử nghiệm QUATEST 3",
            on: day("2026-05-14"))
        try store.recordPayment(
            order: nano.code, output: 1, amount: 600_000_000, source: .state,
            reference: "UNC 0519/KBNN-HCM", on: day("2026-05-28"))
        // Its deadlines move: the office extends the contract, the enterprise asks for more time
        // for the pilot process (a request still waiting in the office's inbox).
        try store.amend(
            order: nano.code, .contractEnd, to: day("2027-03-31"),
            reason: "Bổ sung thử nghiệm theo yêu cầu nghiệm thu", on: day("2026-05-29"))
        try store.requestAmendment(
            order: nano.code, .output(2), to: day("2027-02-28"),
            reason: "Chậm giao thiết bị phủ nhập khẩu", on: day("2026-05-30"))

        // 4. A robotics startup in Đà Nẵng: ordered, outputs defined, waiting for funding.
        let songHan = try TaxCode(parsing: "4812152807")
        try store.addEnterprise(
            name: "Công ty Cổ phần Robot Sông Hàn", taxCode: songHan,
            province: province("da nang"), innovativeStartup: true, on: day("2026-01-05"))
        let robot = try store.registerOrder(
            enterprise: songHan, title: "Robot tự hành kiểm kê kho hàng", field: .innovation, on: day("2026-07-01"))
        try store.addOutput(
            order: robot.code,
            NewOutput(
                title: "Nguyên mẫu robot kiểm kê", type: .product, novelty: .new, value: 1_500_000_000,
                dueOn: day("2027-06-30")),
            on: day("2026-07-01"))

        // 5. A smart-irrigation order in Cần Thơ, cancelled before funding.
        let tayDo = try TaxCode(parsing: "9215792418")
        try store.addEnterprise(
            name: "Công ty TNHH Nông nghiệp Công nghệ cao Tây Đô", taxCode: tayDo,
            province: province("Can Tho"), on: day("2025-10-10"))
        let irrigation = try store.registerOrder(
            enterprise: tayDo, title: "Mô hình tưới tiết kiệm nước thông minh cho lúa", field: .digital,
            on: day("2025-10-20"))
        try store.addOutput(
            order: irrigation.code,
            NewOutput(
                title: "Mô hình tưới thông minh 50 ha", type: .model, novelty: .improved, value: 700_000_000,
                dueOn: day("2026-10-31")),
            on: day("2025-10-20"))
        try store.cancel(order: irrigation.code, reason: "Doanh nghiệp rút đề xuất đặt hàng", on: day("2025-12-01"))

        // 6. A second Thái Nguyên order, used in-house.
        let tea = try store.registerOrder(
            enterprise: story, title: "Ứng dụng thị giác máy kiểm tra lỗi ống kính", field: .science,
            on: day("2025-06-03"))
        try store.addOutput(
            order: tea.code,
            NewOutput(
                title: "Hệ thống thị giác máy phát hiện lỗi", type: .product, novelty: .improved, value: 350_000_000,
                dueOn: day("2026-01-31")),
            on: day("2025-06-03"))
        try store.fund(
            order: tea.code,
            Funding(
                stateBudget: 200_000_000, enterpriseFunds: 150_000_000,
                fundedOn: day("2025-07-01"), startsOn: day("2025-07-01"), endsOn: day("2026-02-28")))
        try store.acceptOutput(order: tea.code, number: 1, on: day("2026-01-22"))
        try store.recordPayment(order: tea.code, output: 1, amount: 200_000_000, source: .state, on: day("2026-02-02"))
        try store.commercialize(
            order: tea.code, channel: .internalUse, revenue: 0,
            note: "Dùng trong dây chuyền của doanh nghiệp", on: day("2026-03-01"))
        return true
    }
}
