import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// A code just issued: the only time it exists in clear.
package struct IssuedCode: Sendable {
    package var code: String
    package var record: ToegangscodeRecord
    /// The gemeente of a griffie code.
    package var gemeente: Gemeente?
}

extension Operations {
    /// Issues a griffie code (for `gemeente`) or a coordinator code. The name is trimmed and must
    /// be a one-line name without control or hidden format characters; a coordinator code needs
    /// one, a griffie code without one is named after its gemeente ("Griffie Delft").
    /// A griffie code may carry the e-mail address its reminders go to (`email`).
    package func issueCode(role: Role, gemeente code: String?, naam typed: String, email typedEmail: String? = nil,
                           by actor: Actor) throws -> IssuedCode {
        try actor.requireCoordinator()
        let naam = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = typedEmail.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        var problems: [InvalidParam] = []
        switch role {
        case .griffie where code == nil:
            problems.append(InvalidParam(name: "gemeente", reason: "verplicht voor een griffiecode"))
        case .coordinator where code != nil:
            problems.append(InvalidParam(name: "gemeente", reason: "hoort niet bij een coördinatorcode"))
        case .coordinator where naam.isEmpty:
            problems.append(InvalidParam(name: "naam", reason: "verplicht voor een coördinatorcode"))
        default:
            break
        }
        if !naam.isEmpty, let problem = TextRules.nameProblem(naam, max: SubmissionRules.maxNaam) {
            problems.append(InvalidParam(name: "naam", reason: problem))
        }
        if let email {
            if role == .coordinator {
                problems.append(InvalidParam(name: "email", reason: "hoort alleen bij een griffiecode (voor herinneringen)"))
            } else if !TextRules.isValidEmail(email) || email.utf8.count > 254 {
                problems.append(InvalidParam(name: "email", reason: "moet een geldig e-mailadres zijn"))
            }
        }
        let now = clock.now()
        return try write { db in
            var gemeente: Gemeente?
            if role == .griffie, let code {
                gemeente = try GemeenteStore.find(db, code: code)
                if gemeente == nil { problems.append(InvalidParam(name: "gemeente", reason: "onbekende gemeentecode")) }
            }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            let label = naam.isEmpty ? "Griffie \(gemeente?.naam ?? "")" : naam
            let issued = try ToegangscodeStore.issue(db, role: role, gemeente: gemeente?.code, naam: label, email: email, at: now)
            try audit(db, AuditRecord(.toegangscodeUitgegeven, by: actor, at: now, onderwerp: "toegangscode:\(issued.record.id)",
                                      details: "\(role.rawValue) \(gemeente?.code ?? "")"))
            return IssuedCode(code: issued.code, record: issued.record, gemeente: gemeente)
        }
    }

    /// Revokes a code: it stops working at once, also for web sessions opened with it. A
    /// coordinator cannot revoke the code they are using.
    package func revokeCode(id: Int64, by actor: Actor) throws {
        try actor.requireCoordinator()
        if actor.principal?.codeID == id { throw Refusal.forbidden(.ownCode) }
        let now = clock.now()
        try write { db in
            guard try ToegangscodeStore.revoke(db, id: id, at: now) else { throw Refusal.notFound(.toegangscode) }
            try audit(db, AuditRecord(.toegangscodeIngetrokken, by: actor, at: now, onderwerp: "toegangscode:\(id)"))
        }
    }

    /// On a first start with no coordinator code, issues one (audited as `cli`) and returns it, so
    /// a newcomer can log in and issue the rest; nil when a coordinator code exists.
    package func bootstrapCoordinatorIfNeeded() throws -> String? {
        let now = clock.now()
        return try write { db in
            guard try !ToegangscodeStore.hasCoordinator(db) else { return nil }
            let issued = try ToegangscodeStore.issue(db, role: .coordinator, gemeente: nil, naam: "Eerste coördinator", at: now)
            try audit(db, AuditRecord(.toegangscodeUitgegeven, by: .cli, at: now, onderwerp: "toegangscode:\(issued.record.id)",
                                      details: "coordinator bootstrap"))
            return issued.code
        }
    }
}
