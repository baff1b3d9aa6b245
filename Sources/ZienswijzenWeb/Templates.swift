import Foundation
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations
import HTTP
import Logging
import Mustache

/// The web pages' Mustache templates, parsed once when the app starts.
///
/// Loaded synchronously (swift-mustache's own directory loader is `async`, and `App.init` is not):
/// every `*.mustache` file in the directory is registered under its name without extension, so
/// pages can use the shared layout as a parent (`{{<layout}}`) and partials (`{{>field-error}}`).
/// A template that fails to parse is logged and left out; rendering it later gives a plain 500,
/// never a crash.
///
/// Escaping is safe by construction: every template is loaded with `HTMLEscaping.pragma` in front,
/// so `{{x}}` escapes byte-wise (see `HTMLEscaping`) in every page, partial and layout, and a
/// template that uses an unescaped form (`{{{x}}}` or `{{& x}}`) is refused at load.
package struct PageTemplates: Sendable {
    private let library: MustacheLibrary

    package init(directory: String, logger: Logger) {
        var templates: [String: MustacheTemplate] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in names.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do {
                let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
                templates[name] = try Self.template(text)
            } catch {
                logger.error("template not loaded", metadata: ["file": "\(file)", "error": "\(error)"])
            }
        }
        if templates.isEmpty {
            logger.warning("no web templates found", metadata: ["directory": "\(directory)"])
        }
        library = MustacheLibrary(templates: templates)
    }

    /// A template with the escaping pragma in front. Refused: unescaped output, and an indented
    /// standalone partial, parent or block tag (`  {{>x}}`): swift-mustache indents such a
    /// partial's output line by line, and a value that ends in a newline counts as a line, so the
    /// text shown would gain spaces that were never typed.
    static func template(_ text: String) throws -> MustacheTemplate {
        if text.contains("{{{") || text.contains("{{&") { throw UnescapedOutput() }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.count < line.count, trimmed.hasPrefix("{{>") || trimmed.hasPrefix("{{<") || trimmed.hasPrefix("{{$") {
                throw IndentedPartial(line: String(line))
            }
        }
        HTMLEscaping.register()
        return try MustacheTemplate(string: HTMLEscaping.pragma + text)
    }

    struct IndentedPartial: Error, CustomStringConvertible {
        var line: String
        var description: String { "an indented partial, parent or block tag would indent the values inside it: \(line)" }
    }

    struct UnescapedOutput: Error, CustomStringConvertible {
        var description: String { "the template writes a value unescaped ({{{x}}} or {{& x}}), which pages never may" }
    }

    /// The rendered page, or nil when the template is missing.
    func render(_ template: String, _ model: Any) -> String? {
        library.render(model, withTemplate: template)
    }
}

/// What every page's layout shows: the title, who is logged in, and the navigation.
struct LayoutView {
    /// The `<title>`: page title, then the service name.
    var title: String
    /// Set on a page that shows an error summary, so the title starts with "Fout:" (screen readers
    /// announce the title first).
    var hasErrors: Bool = false
    var user: UserView?
    /// The session's CSRF token, for the logout form in the header.
    var csrf: String?
    var nav: [NavItem] = []
    /// Stored, not computed: templates see values through `Mirror`, which lists stored properties only.
    var hasNav: Bool = false
    /// The pages of the consultation the page is about, under its title.
    var subnav: [NavItem] = []
    var hasSubnav: Bool = false
    var subnavTitle: String = ""
    /// The RSIV contact in the footer, when configured.
    var contact: ContactView? = nil
}

struct ContactView {
    var naam: String?
    var email: String?
    var mailto: String?
    var telefoon: String?
    var tel: String?
}

struct UserView {
    var naam: String
    var rol: String
}

struct NavItem {
    var href: String
    var label: String
    /// This is the page shown (`aria-current="page"`).
    var current: Bool
    /// The page shown lies under this item (`aria-current="true"`): a gemeente's reactions under "Reacties".
    var inSection: Bool = false
}

/// The object every template is rendered with: `layout` for the shared frame, `content` for the page.
struct PageModel {
    var layout: LayoutView
    var content: Any
}

extension Web {
    /// Renders `template` inside the layout as a complete HTML response. HTML pages are not cached:
    /// they carry CSRF tokens and personal data. `consultation` is the consultation the page is
    /// about, whose pages the navigation then lists.
    func page(_ template: String, title: String, session: Session?, status: Int = 200,
              hasErrors: Bool = false, path: String = "", consultation: Raadpleging? = nil, content: Any) -> HTTPResponse {
        let nav = navigation(for: session, path: path)
        let subnav = consultation.map { subnavigation(for: session, consultation: $0, path: path) } ?? []
        let layout = LayoutView(
            title: (hasErrors ? "Fout: " : "") + title + " – Zienswijzen politie-eenheid Den Haag",
            hasErrors: hasErrors,
            user: session.map { UserView(naam: $0.principal.naam, rol: roleLabel($0.principal)) },
            csrf: session?.csrfToken,
            nav: nav, hasNav: !nav.isEmpty,
            subnav: subnav, hasSubnav: !subnav.isEmpty, subnavTitle: consultation?.titel ?? "",
            contact: contactView)
        guard let html = pages.render(template, PageModel(layout: layout, content: content)) else {
            logger.error("template missing", metadata: ["template": "\(template)"])
            return .text(500, "Er ging iets mis aan onze kant: de pagina kon niet worden opgebouwd.")
        }
        var response = HTTPResponse.html(status, html)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    private var contactView: ContactView? {
        let c = configuration.contact
        guard !c.isEmpty else { return nil }
        let nonEmpty = { (s: String) in s.isEmpty ? nil : s }
        return ContactView(naam: nonEmpty(c.naam), email: nonEmpty(c.email), mailto: nonEmpty(c.email).map { "mailto:" + $0 },
                           telefoon: nonEmpty(c.telefoon),
                           tel: nonEmpty(c.telefoon).map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } })
    }

    private func roleLabel(_ principal: Principal) -> String {
        switch principal.role {
        case .coordinator: "coördinator"
        case .griffie: "griffie"
        }
    }

    private func navigation(for session: Session?, path: String) -> [NavItem] {
        guard let session else { return [] }
        let items: [(String, String)] = switch session.principal.role {
        case .griffie: [("/", "Raadplegingen")]
        case .coordinator: [(Links.coordinatorHome, "Raadplegingen"), ("/coordinator/toegangscodes", "Toegangscodes"),
                            (Links.register, "Gemeenten"), ("/coordinator/bezorging", "Bezorging"),
                            (Links.audit(gemeente: nil), "Logboek")]
        }
        return items.map { NavItem(href: $0.0, label: $0.1, current: path == $0.0) }
    }

    private func subnavigation(for session: Session?, consultation c: Raadpleging, path: String) -> [NavItem] {
        let items: [(String, String)] = switch session?.principal.role {
        case .coordinator?: [(Links.overview(c.id), "Overzicht"), (Links.deadline(c.id), "Deadline"), (Links.edit(c.id), "Bewerken"),
                             (Links.documents(c.id), "Documenten"), (Links.reacties(c.id), "Reacties"),
                             (Links.reactienota(c.id), "Reactienota"), (Links.consultation(c.id), "Openbare pagina")]
        case .griffie?: [(Links.consultation(c.id), "Raadpleging"), (Links.form(c.id), "Zienswijze")]
        case nil: []
        }
        // A page below an item's address (`.../reacties/themas/x`) lies in the section of the
        // item with the longest such address, unless an item is the page itself.
        let exact = items.contains { $0.0 == path }
        let section = exact ? nil : items.filter { path.hasPrefix($0.0 + "/") }.max { $0.0.count < $1.0.count }?.0
        return items.map { NavItem(href: $0.0, label: $0.1, current: path == $0.0, inSection: $0.0 == section) }
    }
}
