import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import ZienswijzenDomain

/// Webhook requests over HTTP(S) with `URLSession` (libcurl on Linux, which verifies TLS against
/// the system's CA certificates): a POST with a timeout for the whole request, no cookies, no
/// cache, and no redirect followed at all (a 3xx is a failed attempt that names where it pointed).
/// Unless private targets are allowed, every address the host name resolves to must be public;
/// the check runs before each attempt. (libcurl resolves the name again for the connection, so a
/// name whose answer changes within that moment is not caught; the operator's firewall is the
/// backstop for that.)
package final class URLSessionWebhookSender: WebhookSender {
    private let session: URLSession
    private let timeout: Double
    private let allowPrivate: Bool

    package init(timeout: Double = 10, allowPrivate: Bool = false) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.httpAdditionalHeaders = ["User-Agent": "zienswijzen-webhooks/1"]
        session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
        self.timeout = timeout
        self.allowPrivate = allowPrivate
    }

    package func post(url text: String, body: [UInt8], headers: [(String, String)]) throws(DeliveryFailure) {
        guard let url = URL(string: text), let host = url.host else { throw DeliveryFailure("ongeldig webadres") }
        if !allowPrivate {
            let name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard let addresses = Self.resolve(name), !addresses.isEmpty else {
                throw DeliveryFailure("de naam \(name) is niet gevonden")
            }
            if addresses.contains(where: { !WebhookTarget.isPublic($0) }) || WebhookTarget.isPrivateHost(name) {
                throw DeliveryFailure("\(name) wijst naar een privé- of lokaal netwerkadres; dat is niet toegestaan")
            }
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        struct Outcome: Sendable {
            var status: Int?
            var location: String?
            var error: String?
        }
        let outcome = Mutex<Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            let http = response as? HTTPURLResponse
            let result = Outcome(status: http?.statusCode, location: http?.value(forHTTPHeaderField: "Location"),
                                 error: error.map { ($0 as NSError).localizedDescription })
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            throw DeliveryFailure("geen antwoord binnen \(Int(timeout)) seconden")
        }
        guard let result = outcome.withLock({ $0 }) else { throw DeliveryFailure("geen antwoord") }
        if let status = result.status {
            switch status {
            case 200..<300: return
            case 300..<400: throw DeliveryFailure("HTTP \(status): doorverwijzing\(result.location.map { " naar \($0.prefix(200))" } ?? "") niet gevolgd")
            default: throw DeliveryFailure("HTTP \(status)")
            }
        }
        throw DeliveryFailure(result.error ?? "geen antwoord")
    }

    /// Every address `host` resolves to (4 or 16 bytes each); nil when it does not resolve.
    static func resolve(_ host: String) -> [[UInt8]]? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        var out: [[UInt8]] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    out.append(withUnsafeBytes(of: &v4) { Array($0) })
                case AF_INET6:
                    var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    out.append(withUnsafeBytes(of: &v6) { Array($0) })
                default: break
                }
            }
            node = current.pointee.ai_next
        }
        return out
    }
}

/// Follows no redirect: the request ends with the 3xx answer.
///
/// `@unchecked Sendable`: it has no state.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
