/// Small constructors for the responses handlers build most often.
///
/// Header values are passed through as given; the server refuses CR, LF and NUL in outgoing
/// headers (HTTP-PITFALLS 9), so a `Location` built from user input cannot split a response.
extension HTTPResponse {
    /// A plain-text response in UTF-8.
    package static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", text: text)
    }

    /// An HTML page in UTF-8.
    package static func html(_ status: Int, _ html: String) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", text: html)
    }

    /// Already-encoded JSON (`application/problem+json` for RFC 9457 problems).
    package static func json(_ status: Int, _ bytes: [UInt8], contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, contentType: contentType, body: bytes)
    }

    /// 303 See Other by default: after a form POST the browser follows with a GET, so reloading
    /// the result page never re-submits the form.
    package static func redirect(to location: String, status: Int = 303) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Location", location)]))
    }
}
