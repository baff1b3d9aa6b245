import Testing
@testable import HTTP

private func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
    HTTPRequest(head: head(method, target), path: "", query: nil)
}

private func head(_ method: HTTPMethod, _ target: String) -> RequestHead {
    RequestHead(method: method, target: target, version: .http1_1, headers: HTTPHeaders(), framing: .none)
}

private func text(_ response: HTTPResponse) -> String {
    if case .bytes(let bytes) = response.body { String(decoding: bytes, as: UTF8.self) } else { "<stream>" }
}

/// A handler that answers with its own name, the method it saw and the sorted parameters,
/// e.g. `user GET id=42`.
private func named(_ name: String) -> Router.Handler {
    { request in
        let parameters = request.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return .text(200, ([name, request.method.rawValue] + parameters).joined(separator: " "))
    }
}

private extension Router {
    func answer(_ method: HTTPMethod, _ target: String) -> (status: Int, text: String, allow: String?) {
        let response = respond(to: request(method, target))
        return (response.status, text(response), response.headers["Allow"])
    }
}

@Suite struct RouterTests {
    // MARK: The index by first segment

    @Test func routesWithAParameterFirstAreFoundBesideTheFirstSegmentsIndex() {
        var router = Router()
        router.add(.get, "/{gemeente}/status", named("wild"))
        router.add(.get, "/api/{id}", named("api"))
        router.add(.post, "/{x}/{y}", named("post"))
        router.add(.get, "/", named("root"))
        #expect(router.answer(.get, "/api/7").text == "api GET id=7")
        #expect(router.answer(.get, "/api/status").text == "api GET id=status")  // the first segment decides: a literal beats a parameter
        #expect(router.answer(.get, "/delft/status").text == "wild GET gemeente=delft")
        #expect(router.answer(.get, "/").text == "root GET")
        // 405 names the methods of every pattern that matches, indexed or not.
        let refused = router.answer(.delete, "/api/7")
        #expect(refused.status == 405 && refused.allow == "GET, HEAD, POST")
        #expect(router.answer(.get, "/other/7/8").status == 404)
    }

    @Test func literalSegmentsCompareAsBytesNotAsCanonicallyEquivalentText() {
        var router = Router()
        router.add(.get, "/Kelvin", named("k"))
        router.add(.get, "/Kelvin/{id}", named("kid"))
        #expect(router.answer(.get, "/Kelvin").status == 200)
        #expect(router.answer(.get, "/Kelvin/1").text == "kid GET id=1")
        // U+212A KELVIN SIGN is canonically equivalent to "K"; as bytes it is not.
        let pattern = try! RoutePattern.parse("/Kelvin/{id}").get()
        #expect(pattern.match(["Kelvin", "1"]) == ["id": "1"])
        #expect(pattern.match(["\u{212A}elvin", "1"]) == nil)
    }

    @Test func pathsSplitAtEverySlashByte() {
        #expect(Router.segments(of: "/") == [])
        #expect(Router.segments(of: "/a") == ["a"])
        #expect(Router.segments(of: "/a//b/") == ["a", "", "b", ""])
        // "/" and a combining accent are one Character; still two segments.
        #expect(Router.segments(of: "/a/\u{301}b") == ["a", "\u{301}b"])
        #expect(Router.segments(of: "/\u{301}x") == ["\u{301}x"])
    }

    // MARK: Precedence

    @Test(arguments: [false, true])
    func literalBeatsParameterBeatsCatchAllInAnyRegistrationOrder(reversed: Bool) {
        var routes: [(String, String)] = [
            ("/files/{path...}", "catchAll"),
            ("/files/{name}", "parameter"),
            ("/files/readme", "literal"),
        ]
        if reversed { routes.reverse() }
        var router = Router()
        for (pattern, name) in routes { router.add(.get, pattern, named(name)) }

        #expect(router.answer(.get, "/files/readme").text == "literal GET")
        #expect(router.answer(.get, "/files/other").text == "parameter GET name=other")
        #expect(router.answer(.get, "/files/readme/more").text == "catchAll GET path=readme/more")
        #expect(router.answer(.get, "/files/a/b/c.txt").text == "catchAll GET path=a/b/c.txt")
        #expect(router.answer(.get, "/files").status == 404)
    }

    @Test(arguments: [false, true])
    func theFirstDifferingSegmentDecides(reversed: Bool) {
        var routes: [(String, String)] = [
            ("/{kind}/b", "paramFirst"),
            ("/a/{id}", "literalFirst"),
            ("/{x}/{y}/c", "twoParams"),
            ("/a/{rest...}", "literalThenCatchAll"),
        ]
        if reversed { routes.reverse() }
        var router = Router()
        for (pattern, name) in routes { router.add(.get, pattern, named(name)) }

        // `/a/{id}` and `/{kind}/b` both match `/a/b`: the literal `a` in the first segment wins.
        #expect(router.answer(.get, "/a/b").text == "literalFirst GET id=b")
        #expect(router.answer(.get, "/z/b").text == "paramFirst GET kind=z")
        // `/a/{rest...}` beats `/{x}/{y}/c` on `/a/b/c`, even though the latter is longer.
        #expect(router.answer(.get, "/a/b/c").text == "literalThenCatchAll GET rest=b/c")
        #expect(router.answer(.get, "/z/y/c").text == "twoParams GET x=z y=y")
        #expect(router.answer(.get, "/z/y/d").status == 404)
    }

    @Test func rootAndCatchAllAtTheRoot() {
        var router = Router()
        router.add(.get, "/{path...}", named("any"))
        #expect(router.answer(.get, "/").status == 404) // a catch-all needs one segment at least
        #expect(router.answer(.get, "/x/y").text == "any GET path=x/y")
        router.add(.get, "/", named("home"))
        #expect(router.answer(.get, "/").text == "home GET")
        #expect(router.answer(.get, "/x").text == "any GET path=x")
    }

    // MARK: 404 and 405

    @Test func unknownPathsAre404() {
        var router = Router()
        router.add(.get, "/api/raadplegingen", named("list"))
        router.add(.get, "/api/raadplegingen/{id}", named("one"))
        for target in ["/", "/api", "/api/raadplegingen/1/extra", "/API/raadplegingen", "/api/raadpleging", "/nope"] {
            let answer = router.answer(.get, target)
            #expect(answer.status == 404, "\(target)")
            #expect(answer.text == "404 Not Found\n", "\(target)")
            #expect(answer.allow == nil, "\(target)")
        }
        // Also for a method no route uses: 404 says nothing about methods.
        #expect(router.answer(.delete, "/nope").status == 404)
    }

    @Test func wrongMethodIs405WithASortedAllowIncludingHead() {
        var router = Router()
        router.add(.post, "/items", named("create"))
        router.add(.get, "/items", named("list"))
        router.add(.delete, "/items", named("clear"))
        router.add(HTTPMethod("PROPFIND"), "/items", named("dav"))
        let answer = router.answer(.put, "/items")
        #expect(answer.status == 405)
        #expect(answer.allow == "DELETE, GET, HEAD, POST, PROPFIND")
        #expect(answer.text == "405 Method Not Allowed\n")
        // Methods are case-sensitive: `get` is not GET.
        #expect(router.answer(HTTPMethod("get"), "/items").status == 405)
    }

    @Test func allowCombinesEveryPatternThatMatchesThePath() {
        var router = Router()
        router.add(.get, "/items/{id}", named("show"))
        router.add(.put, "/items/special", named("replace"))
        router.add(.patch, "/items/{name}/x", named("other path"))
        #expect(router.answer(.delete, "/items/special").allow == "GET, HEAD, PUT")
        #expect(router.answer(.delete, "/items/7").allow == "GET, HEAD")
    }

    @Test func allowHasNoHeadWithoutGet() {
        var router = Router()
        router.add(.post, "/login", named("login"))
        let get = router.answer(.get, "/login")
        #expect(get.status == 405)
        #expect(get.allow == "POST")
        #expect(router.answer(.head, "/login").status == 405)
        #expect(router.answer(.head, "/login").allow == "POST")
    }

    // MARK: HEAD

    @Test func headFallsBackToGet() {
        var router = Router()
        router.add(.get, "/page/{id}", named("page"))
        let answer = router.answer(.head, "/page/3")
        #expect(answer.status == 200)
        #expect(answer.text == "page HEAD id=3") // the GET handler, seeing the real method
    }

    @Test(arguments: [false, true])
    func anExplicitHeadRouteWins(headFirst: Bool) {
        var router = Router()
        if headFirst { router.add(.head, "/page/{id}", named("head")) }
        router.add(.get, "/page/{id}", named("get"))
        if !headFirst { router.add(.head, "/page/{id}", named("head")) }
        #expect(router.answer(.head, "/page/3").text == "head HEAD id=3")
        #expect(router.answer(.get, "/page/3").text == "get GET id=3")
        #expect(router.answer(.post, "/page/3").allow == "GET, HEAD")
    }

    @Test func aHeadOnlyRouteDoesNotServeGet() {
        var router = Router()
        router.add(.head, "/ping", named("ping"))
        #expect(router.answer(.head, "/ping").status == 200)
        let get = router.answer(.get, "/ping")
        #expect(get.status == 405)
        #expect(get.allow == "HEAD")
    }

    // MARK: Empty segments

    @Test func trailingSlashesAndEmptySegmentsAre404() {
        var router = Router()
        router.add(.get, "/a", named("a"))
        router.add(.get, "/a/{id}", named("id"))
        router.add(.get, "/files/{path...}", named("files"))
        router.add(.post, "/", named("root"))
        #expect(router.answer(.get, "/a").status == 200)
        for target in ["/a/", "//a", "/a//", "/a/1/", "/a//1", "//", "/files/", "/files//x", "/files/x/", "/files/x//y"] {
            let answer = router.answer(.get, target)
            #expect(answer.status == 404, "\(target)")
            #expect(answer.allow == nil, "\(target)")
        }
        // `/` itself is not an empty segment.
        #expect(router.answer(.post, "/").status == 200)
        #expect(router.answer(.get, "/").status == 405)
    }

    // MARK: OPTIONS * and bad targets

    @Test func optionsAsteriskListsEveryMethod() {
        var router = Router()
        router.add(.get, "/a", named("a"))
        router.add(.post, "/b", named("b"))
        router.add(.delete, "/c/{id}", named("c"))
        router.add(.post, "/d", named("d"))
        let response = router.respond(to: request(.options, "*"))
        #expect(response.status == 204)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, POST")
        #expect(text(response).isEmpty)
        for method in [HTTPMethod.get, .head, .post, .delete] {
            #expect(router.answer(method, "*").status == 400, "\(method)")
        }
        // OPTIONS on a path is an ordinary method: 405 unless routed.
        #expect(router.answer(.options, "/a").status == 405)
        #expect(router.answer(.options, "/a").allow == "GET, HEAD")
    }

    @Test func invalidTargetsAre400() {
        var router = Router()
        router.add(.get, "/{anything...}", named("any"))
        for target in ["/a%2Fb", "/a%00", "/%zz", "/a%", "/%FF", "/a b", "a/b", "", "/a#b", "/a%0Ab"] {
            let answer = router.answer(.get, target)
            #expect(answer.status == 400, "\(target.debugDescription)")
            #expect(answer.text == "400 Bad Request\n", "\(target.debugDescription)")
        }
    }

    // MARK: Decoding

    @Test func parametersArePercentDecodedOnce() {
        var router = Router()
        router.add(.get, "/gemeenten/{naam}", named("gemeente"))
        router.add(.get, "/bestanden/{pad...}", named("bestand"))
        router.add(.get, "/café", named("literal"))
        #expect(router.answer(.get, "/gemeenten/%27s-Hertogenbosch").text == "gemeente GET naam='s-Hertogenbosch")
        #expect(router.answer(.get, "/gemeenten/Su%CC%88dwest").text == "gemeente GET naam=Su\u{308}dwest")
        #expect(router.answer(.get, "/gemeenten/a%20b").text == "gemeente GET naam=a b")
        #expect(router.answer(.get, "/gemeenten/a+b").text == "gemeente GET naam=a+b") // `+` is no space in a path
        #expect(router.answer(.get, "/gemeenten/%252F").text == "gemeente GET naam=%2F") // decoded once
        #expect(router.answer(.get, "/gemeenten/%2F").status == 400)
        #expect(router.answer(.get, "/bestanden/a%20b/c%C3%A9.pdf").text == "bestand GET pad=a b/cé.pdf")
        #expect(router.answer(.get, "/caf%C3%A9").text == "literal GET")
        #expect(router.answer(.get, "/caf%c3%a9").text == "literal GET")
        // Dot segments are removed after decoding, before matching.
        #expect(router.answer(.get, "/x/%2e%2e/gemeenten/y").text == "gemeente GET naam=y")
        #expect(router.answer(.get, "/gemeenten/x/%2e%2e/z").text == "gemeente GET naam=z")
        #expect(router.answer(.get, "/gemeenten/.").status == 404) // becomes `/gemeenten/`
    }

    @Test func handlerSeesPathQueryAndParameters() {
        var router = Router()
        router.add(.get, "/a/{id}") { request in
            .text(200, "\(request.path)|\(request.query ?? "-")|\(request.parameters)")
        }
        #expect(router.answer(.get, "/a/%31?x=%20+&y").text == "/a/1|x=%20+&y|[\"id\": \"1\"]")
        #expect(router.answer(.get, "/a/1").text == "/a/1|-|[\"id\": \"1\"]")
        #expect(router.answer(.get, "http://example.nl/a/2?q").text == "/a/2|q|[\"id\": \"2\"]")
    }

    // MARK: Body limits

    @Test func bodyLimitsPerRouteAndTheDefault() {
        var router = Router()
        router.add(.post, "/upload", bodyLimit: 5_000_000, named("upload"))
        router.add(.post, "/small/{id}", bodyLimit: 10, named("small"))
        router.add(.get, "/page", bodyLimit: 0, named("page"))
        router.add(.put, "/default", named("default"))
        router.defaultBodyLimit = 1234

        #expect(router.bodyLimit(for: head(.post, "/upload")) == 5_000_000)
        #expect(router.bodyLimit(for: head(.post, "/upload?x=1")) == 5_000_000)
        #expect(router.bodyLimit(for: head(.post, "/small/7")) == 10)
        #expect(router.bodyLimit(for: head(.post, "/x/%2e%2e/small/7")) == 10)
        #expect(router.bodyLimit(for: head(.get, "/page")) == 0)
        #expect(router.bodyLimit(for: head(.head, "/page")) == 0) // HEAD is routed to GET
        #expect(router.bodyLimit(for: head(.put, "/default")) > 1234) // the route's own default, not the router's

        // Unknown path, wrong method, bad target, `*`, trailing slash: the router's default.
        for (method, target) in [(HTTPMethod.post, "/nope"), (.put, "/upload"), (.post, "/upload/"), (.post, "/up%2Fload"),
                                 (.post, "/%zz"), (.options, "*"), (.post, "*"), (.post, "")] {
            #expect(router.bodyLimit(for: head(method, target)) == 1234, "\(method) \(target)")
        }
    }

    @Test func theDefaultBodyLimitForUnknownPathsIsSmall() {
        let router = Router()
        #expect(router.bodyLimit(for: head(.post, "/anything")) == router.defaultBodyLimit)
        #expect(router.defaultBodyLimit <= 64 * 1024)
    }

    // MARK: Fallback and introspection

    @Test func theFallbackRendersRefusalsAndAllowIsAddedWhenMissing() {
        var router = Router()
        router.add(.get, "/a", named("a"))
        router.add(.post, "/b", named("b"))
        router.fallback = { status, request, allow in
            .json(status, Array("{\"status\":\(status),\"path\":\"\(request.path)\",\"allow\":\"\(allow.joined(separator: " "))\"}".utf8),
                  contentType: "application/problem+json")
        }
        let notFound = router.respond(to: request(.get, "/x"))
        #expect(notFound.status == 404)
        #expect(text(notFound) == "{\"status\":404,\"path\":\"/x\",\"allow\":\"\"}")
        #expect(notFound.headers["Content-Type"] == "application/problem+json")

        let notAllowed = router.respond(to: request(.delete, "/a"))
        #expect(text(notAllowed) == "{\"status\":405,\"path\":\"/a\",\"allow\":\"GET HEAD\"}")
        #expect(notAllowed.headers.values("Allow") == ["GET, HEAD"])

        #expect(router.respond(to: request(.get, "/%zz")).status == 400)
        #expect(router.respond(to: request(.get, "*")).status == 400)
    }

    @Test func anAllowHeaderFromTheFallbackIsKept() {
        var router = Router()
        router.add(.get, "/a", named("a"))
        router.fallback = { status, _, _ in
            HTTPResponse(status: status, headers: HTTPHeaders([("Allow", "GET")]))
        }
        #expect(router.respond(to: request(.post, "/a")).headers.values("Allow") == ["GET"])
    }

    @Test func routesAreListedInRegistrationOrder() {
        var router = Router()
        router.add(.post, "/b", named("b"))
        router.add(.get, "/a/{id}", named("a"))
        router.add(.get, "/b", named("b2"))
        #expect(router.routes.map { "\($0.method) \($0.pattern)" } == ["POST /b", "GET /a/{id}", "GET /b"])
    }

    // Malformed patterns and duplicate routes stop the process in `Router.add` (a programming error
    // at start-up); that trap is not exercised here. `RoutePatternTests` checks the parse failures.
}

/// `Router.respondInline`: the matching route's inline handler answers, with its parameters;
/// no inline handler, a declining one, a body or an unknown path leave the request to `respond`.
@Suite struct RouterInlineTests {
    private var router: Router {
        var router = Router()
        router.add(.get, "/fast/{id}", inline: { request in
            request.parameters["id"] == "skip" ? nil : .text(200, "inline \(request.parameters["id"] ?? "") \(request.query ?? "-")")
        }, named("fast"))
        router.add(.get, "/slow", named("slow"))
        return router
    }

    @Test func theInlineHandlerAnswersWithParametersAndQuery() {
        let response = router.respondInline(to: request(.get, "/fast/7?x=1"))
        #expect(response.map(text) == "inline 7 x=1")
        // HEAD follows GET, inline too.
        #expect(router.respondInline(to: request(.head, "/fast/8")).map(text) == "inline 8 -")
    }

    @Test func everythingElseIsLeftToTheHandler() {
        #expect(router.respondInline(to: request(.get, "/fast/skip")) == nil)
        #expect(router.respondInline(to: request(.get, "/slow")) == nil)
        #expect(router.respondInline(to: request(.get, "/nowhere")) == nil)
        #expect(router.respondInline(to: request(.post, "/fast/7")) == nil)
        #expect(router.respondInline(to: request(.get, "/fast/%zz")) == nil)
        var withBody = request(.get, "/fast/7")
        withBody.body = [1]
        #expect(router.respondInline(to: withBody) == nil)
        // The handler still answers what the inline one declined.
        #expect(text(router.respond(to: request(.get, "/fast/skip"))) == "fast GET id=skip")
    }
}
