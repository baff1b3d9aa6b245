import Foundation
import HTTP
import SQLite
import Testing
import ZienswijzenApp
import ZienswijzenDomain
import ZienswijzenOperations

/// The OpenAPI document (`Public/openapi.json`) and the router agree: every API route the server
/// registers is documented with its method, and every documented path + method is a route. Web
/// pages and assets (anything outside `/api/`, `/healthz`, `/readyz`, `/metrics`) are not part of
/// the API and are left out on both sides.
@Suite("OpenAPI document matches the router")
struct OpenAPIRouteTests {
    /// The repository's `Public/` directory, found from this file's location.
    static let publicDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Public").path

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// An app on a fresh database in a temporary directory, serving the repository's `Public/`.
    private static func makeApp() throws -> (App, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (ops, _) = try Operations.open(path: directory.appendingPathComponent("test.sqlite").path)
        var configuration = AppConfiguration()
        configuration.edge.publicDirectory = publicDirectory
        return (App(ops: ops, configuration: configuration), directory)
    }

    private static func isAPI(_ pattern: String) -> Bool {
        pattern.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(pattern)
    }

    /// `METHOD path` for every operation in the document.
    private static func documentedOperations(_ document: JSONValue) throws -> Set<String> {
        let paths = try #require(document["paths"]?.objectValue)
        var operations = Set<String>()
        for (path, item) in paths {
            for (key, _) in try #require(item.objectValue) where httpMethods.contains(key) {
                operations.insert("\(key.uppercased()) \(path)")
            }
        }
        return operations
    }

    private static func loadDocument() throws -> JSONValue {
        let bytes = try #require(FileManager.default.contents(atPath: publicDirectory + "/openapi.json"))
        return try JSONValue.parse(Array(bytes))
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws {
        let (app, directory) = try Self.makeApp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let routes = app.makeResponder().router.routes.filter { Self.isAPI($0.pattern) }
        let registered = Set(routes.map { "\($0.method) \($0.pattern)" })
        let documented = try Self.documentedOperations(try Self.loadDocument())

        #expect(registered.count >= 18, "the router should hold the whole API, got \(registered.sorted())")
        let undocumented = registered.subtracting(documented).sorted()
        let phantom = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "routes missing from Public/openapi.json: \(undocumented)")
        #expect(phantom.isEmpty, "documented operations the router does not have: \(phantom)")
    }

    /// Every `{name}` in a documented path has a path parameter of that name (at path or operation
    /// level), and no path parameter is declared that the path does not have.
    @Test func pathParametersMatchThePathTemplates() throws {
        let document = try Self.loadDocument()
        let components = document["components"]?["parameters"]
        for (path, item) in try #require(document["paths"]?.objectValue) {
            let inTemplate = Set(path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
                .map { String($0.dropFirst().dropLast()) })
            func pathParameters(_ list: JSONValue?) -> Set<String> {
                Set((list?.arrayValue ?? []).compactMap { parameter -> JSONValue? in
                    if let ref = parameter["$ref"]?.stringValue {
                        return components?[String(ref.split(separator: "/").last ?? "")]
                    }
                    return parameter
                }.filter { $0["in"]?.stringValue == "path" }.compactMap { $0["name"]?.stringValue })
            }
            let shared = pathParameters(item["parameters"])
            for (key, operation) in try #require(item.objectValue) where Self.httpMethods.contains(key) {
                let declared = shared.union(pathParameters(operation["parameters"]))
                #expect(declared == inTemplate, "\(key.uppercased()) \(path): declared \(declared.sorted()), template \(inTemplate.sorted())")
            }
        }
    }

    /// `info.version` is what the server sends as `API-Version`, and the served document is the file.
    @Test func versionMatchesTheAPIVersionHeaderAndTheFileIsServed() throws {
        let (app, directory) = try Self.makeApp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = try Self.loadDocument()
        #expect(document["info"]?["version"]?.stringValue == app.configuration.edge.apiVersion)
        #expect(document["info"]?["contact"]?["email"]?.stringValue?.contains("@") == true)

        let head = RequestHead(method: .get, target: "/api/v1/openapi.json", version: .http1_1, headers: HTTPHeaders(),
                               framing: .none)
        let request = HTTPRequest(head: head, path: "/api/v1/openapi.json", query: nil, remoteAddress: "127.0.0.1")
        let response = app.makeResponder().respond(to: request)
        #expect(response.status == 200)
        #expect(response.headers["API-Version"] == app.configuration.edge.apiVersion)
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
        guard case .bytes(let body) = response.body else {
            Issue.record("openapi.json should be served as bytes")
            return
        }
        #expect(body == Array(try Data(contentsOf: URL(fileURLWithPath: Self.publicDirectory + "/openapi.json"))))
    }
}
