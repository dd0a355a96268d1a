import GRDB

extension Store {
    /// What the access policy needs to know of one order (its province, enterprise and state),
    /// read in one small query; `unknownOrder` when there is no such order.
    public func orderScope(code: String) throws -> OrderScope {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.province_code, e.tax_code, o.state
                        FROM orders o JOIN enterprises e ON e.id = o.enterprise_id WHERE o.code = ?
                        """, arguments: [code])
            else { throw STOrdersError.unknownOrder(code: code) }
            return OrderScope(
                province: try Store.province(code: row[0]), enterprise: try Store.taxCode(row[1]),
                state: try Store.vocabulary(OrderState.self, row[2]))
        }
    }

    /// The province and tax code of an enterprise, for the access policy; `unknownEnterprise`
    /// when there is none with this tax code.
    public func enterpriseScope(taxCode: TaxCode) throws -> (province: Province, taxCode: TaxCode) {
        let e = try enterprise(taxCode: taxCode)
        return (e.province, e.taxCode)
    }
}
