import Foundation
import HTTP
import Logging
import SQLite
import Synchronization

package struct AppConfiguration: Sendable {
    /// Where the web assets and templates live (`Public/`).
    package var publicDirectory: String = "Public"
    /// Mark the session cookie `Secure` (set when served over HTTPS, directly or behind a proxy).
    package var secureCookies: Bool = false
    /// Peers whose `X-Forwarded-For` is believed (the reverse proxy's addresses).
    package var trustedProxies: Set<String> = []
    /// The site's public address (`https://zienswijzen.example.nl`), without a trailing slash, for
    /// every absolute link the service writes (`--public-url`). Nil: not configured, and pages say
    /// that a link they show is a guess. Check values with `PublicURL.normalized`.
    package var publicURL: String?
    /// The full API version, sent as `API-Version` on every API response.
    package var apiVersion: String = "1.0.0"

    package init() {}
}

/// The application: the database, the clock and the shared in-memory state that every handler
/// uses. Immutable after start (its mutable parts each sit behind their own lock), so handlers on
/// any thread share one instance.
package final class App: Sendable {
    package let db: Database
    package let clock: any AppClock
    package let configuration: AppConfiguration
    package let logger: Logger
    package let metrics = Metrics()
    package let throttle = LoginThrottle()
    package let lastUse = LastUseTracker()
    /// Set once a trusted proxy sent an `X-Forwarded-For` that is not an IP address (logged once).
    let invalidForwardedForLogged = Atomic<Bool>(false)
    /// The web pages' templates, parsed once at start from `publicDirectory/templates`.
    package let pages: PageTemplates

    package init(db: Database, clock: any AppClock = SystemClock(), configuration: AppConfiguration = AppConfiguration(),
                 logger: Logger = Logger(label: "zienswijzen")) {
        self.db = db
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.pages = PageTemplates(directory: configuration.publicDirectory + "/templates", logger: logger)
    }

    /// The id of the one consultation this deployment runs, for pages that show "the" consultation.
    package static let defaultConsultation = "coalitie-voor-veiligheid-2023-2026"
}
