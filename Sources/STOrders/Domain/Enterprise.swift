/// The orderer of S&T tasks.
public struct Enterprise: Hashable, Sendable {
    public var taxCode: TaxCode
    public var name: String
    public var province: Province
    public var innovativeStartup: Bool
    public var registeredOn: Day

    public init(taxCode: TaxCode, name: String, province: Province, innovativeStartup: Bool, registeredOn: Day) {
        self.taxCode = taxCode
        self.name = name
        self.province = province
        self.innovativeStartup = innovativeStartup
        self.registeredOn = registeredOn
    }
}
