import Foundation

package enum Role: String, Sendable {
    case griffie, coordinator
}

/// Who is calling: an access code that matched, by its id (the code itself is never kept).
package struct Principal: Sendable, Equatable {
    package var codeID: Int64
    package var role: Role
    package var gemeente: String?
    package var naam: String

    package init(codeID: Int64, role: Role, gemeente: String?, naam: String) {
        self.codeID = codeID
        self.role = role
        self.gemeente = gemeente
        self.naam = naam
    }

    /// How the audit log names this caller.
    package var actor: String { "\(role.rawValue):\(codeID)" }

    package func mayRead(gemeente code: String) -> Bool { role == .coordinator || gemeente == code }
    package func mayWrite(gemeente code: String) -> Bool { role == .griffie && gemeente == code }
}

/// A stored access code as the coordinator sees it (never the code itself).
package struct ToegangscodeRecord: Sendable, Equatable {
    package var id: Int64
    package var role: Role
    package var gemeente: String?
    package var naam: String
    package var aangemaaktOp: Date
    package var ingetrokkenOp: Date?
    package var laatstGebruiktOp: Date?
    /// Where reminders for this griffie go (given when the code is issued); nil: none.
    package var email: String?

    package init(id: Int64, role: Role, gemeente: String?, naam: String, aangemaaktOp: Date,
                 ingetrokkenOp: Date? = nil, laatstGebruiktOp: Date? = nil, email: String? = nil) {
        self.email = email
        self.id = id
        self.role = role
        self.gemeente = gemeente
        self.naam = naam
        self.aangemaaktOp = aangemaaktOp
        self.ingetrokkenOp = ingetrokkenOp
        self.laatstGebruiktOp = laatstGebruiktOp
    }

    /// The caller this code stands for, while it is not revoked.
    package var principal: Principal? {
        ingetrokkenOp == nil ? Principal(codeID: id, role: role, gemeente: gemeente, naam: naam) : nil
    }
}

/// A logged-in web session: the code's principal and the token that every form must repeat.
package struct Session: Sendable, Equatable {
    package var principal: Principal
    package var csrfToken: String
    package var expiresAt: Date

    /// How long a session lasts after login: a working day.
    package static let lifetime: TimeInterval = 8 * 3600

    package init(principal: Principal, csrfToken: String, expiresAt: Date) {
        self.principal = principal
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
