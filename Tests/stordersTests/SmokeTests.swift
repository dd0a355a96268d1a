import Testing

@Suite("storders binary")
struct SmokeTests {
    @Test func demoRunsAndListsResults() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let results = try cli.ok(["results", "list", "--json"]).array()
        #expect(results.count == 4)
    }
}
