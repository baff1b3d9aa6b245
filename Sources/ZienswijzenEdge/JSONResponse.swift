import HTTP
import ZienswijzenDomain

extension HTTPResponse {
    /// A JSON response (`application/json; charset=utf-8`).
    package static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        var response = HTTPResponse(status: status, contentType: "application/json; charset=utf-8", body: value.serialized())
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }
}
