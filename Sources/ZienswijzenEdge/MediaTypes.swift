import HTTP
import ZienswijzenDomain

/// 415 unless the request says it carries JSON.
package func requireJSON(_ request: HTTPRequest) throws {
    let type = mediaType(request.headers["Content-Type"])
    guard type == "application/json" || type == "application/merge-patch+json" else {
        throw Problem.unsupportedMediaType("Stuur JSON met Content-Type: application/json.")
    }
}

/// The media type of a Content-Type value, lowercased, without parameters.
package func mediaType(_ contentType: String?) -> String {
    guard let contentType else { return "" }
    return contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
}
