import HTTP

// STUB until the web front lands: the web helper replaces this file.
extension App {
    func registerWeb(_ router: inout Router) {}

    func renderErrorPage(status: Int, request: HTTPRequest) -> HTTPResponse {
        .text(status, HTTPStatus.reason(status))
    }
}
