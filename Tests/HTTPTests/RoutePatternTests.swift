import Testing
@testable import HTTP

private func pattern(_ text: String) throws -> RoutePattern {
    try RoutePattern.parse(text).get()
}

/// The request path split as the router splits it: leading `/` removed, empty segments kept.
private func segments(_ path: String) -> [Substring] {
    path == "/" ? [] : path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
}

@Suite struct RoutePatternTests {
    @Test func parsesLiteralsParametersAndACatchAll() throws {
        #expect(try pattern("/").segments == [])
        #expect(try pattern("/api/v1/raadplegingen").segments == [.literal("api"), .literal("v1"), .literal("raadplegingen")])
        #expect(try pattern("/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}").segments == [
            .literal("api"), .literal("v1"), .literal("raadplegingen"), .parameter("id"),
            .literal("zienswijzen"), .parameter("gemeente"),
        ])
        #expect(try pattern("/assets/{path...}").segments == [.literal("assets"), .catchAll("path")])
        #expect(try pattern("/{all...}").segments == [.catchAll("all")])
        #expect(try pattern("/{id_2}/{Naam}").segments == [.parameter("id_2"), .parameter("Naam")])
        #expect(try pattern("/café/{straße}").segments == [.literal("café"), .parameter("straße")])
        #expect(try pattern("/a.json/v1.2/x-y").segments == [.literal("a.json"), .literal("v1.2"), .literal("x-y")])
        #expect(try pattern("/assets/{path...}").text == "/assets/{path...}")
    }

    @Test(arguments: [
        "",
        "a",
        "a/b",
        "{id}",
        "//",
        "/a/",
        "/a//b",
        "//a",
        "/{}",
        "/{...}",
        "/{a-b}",
        "/{a b}",
        "/{a.b}",
        "/{a....}",
        "/{{a}}",
        "/{a}/{a}",
        "/{a}/{a...}",
        "/{rest...}/b",
        "/{a...}/{b...}",
        "/{a}.json",
        "/v{version}",
        "/{a",
        "/a}",
        "/a/{b}c/d",
        "/a{b}c",
    ])
    func malformedPatternsAreRefused(text: String) {
        // `Router.add` turns this failure into a trap at start-up; only the parse result is checked here.
        guard case .failure(let error) = RoutePattern.parse(text) else {
            Issue.record("\(text.debugDescription) was accepted")
            return
        }
        #expect(error.pattern == text)
        #expect(error.description.hasPrefix("invalid route pattern \(text): "))
        #expect(!error.reason.isEmpty)
    }

    @Test func literalsAndParametersMatchOneNonEmptySegment() throws {
        let p = try pattern("/gemeenten/{code}/zienswijzen")
        #expect(p.match(segments("/gemeenten/GM0518/zienswijzen")) == ["code": "GM0518"])
        #expect(p.match(segments("/gemeenten/GM0518")) == nil)
        #expect(p.match(segments("/gemeenten/GM0518/zienswijzen/x")) == nil)
        #expect(p.match(segments("/gemeenten//zienswijzen")) == nil)
        #expect(p.match(segments("/gemeenten/GM0518/zienswijzen/")) == nil)
        #expect(p.match(segments("/Gemeenten/GM0518/zienswijzen")) == nil) // literals are case-sensitive
        #expect(p.match(segments("/")) == nil)
    }

    @Test func theRootPatternMatchesOnlyTheRoot() throws {
        let root = try pattern("/")
        #expect(root.match(segments("/")) == [:])
        #expect(root.match(segments("//")) == nil)
        #expect(root.match(segments("/a")) == nil)
    }

    @Test func aCatchAllTakesOneOrMoreNonEmptySegments() throws {
        let p = try pattern("/assets/{path...}")
        #expect(p.match(segments("/assets/app.css")) == ["path": "app.css"])
        #expect(p.match(segments("/assets/css/site/app.css")) == ["path": "css/site/app.css"])
        #expect(p.match(segments("/assets")) == nil)
        #expect(p.match(segments("/assets/")) == nil)
        #expect(p.match(segments("/assets/css/")) == nil)
        #expect(p.match(segments("/assets//app.css")) == nil)
        #expect(p.match(segments("/other/app.css")) == nil)

        let both = try pattern("/{kind}/{rest...}")
        #expect(both.match(segments("/a/b/c")) == ["kind": "a", "rest": "b/c"])
        #expect(both.match(segments("/a")) == nil)
    }

    @Test func specificityIsDecidedAtTheFirstDifferingSegment() throws {
        let literal = try pattern("/files/readme")
        let parameter = try pattern("/files/{name}")
        let catchAll = try pattern("/files/{path...}")
        #expect(literal.isMoreSpecific(than: parameter))
        #expect(literal.isMoreSpecific(than: catchAll))
        #expect(parameter.isMoreSpecific(than: catchAll))
        #expect(!parameter.isMoreSpecific(than: literal))
        #expect(!catchAll.isMoreSpecific(than: literal))
        #expect(!catchAll.isMoreSpecific(than: parameter))
        #expect(!parameter.isMoreSpecific(than: parameter))

        // Earlier segments outrank later ones.
        #expect(try pattern("/a/{x}").isMoreSpecific(than: pattern("/{y}/b")))
        #expect(try !pattern("/{y}/b").isMoreSpecific(than: pattern("/a/{x}")))
        #expect(try pattern("/a/{rest...}").isMoreSpecific(than: pattern("/{x}/{y}/c")))
    }
}
