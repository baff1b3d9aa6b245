import Crypto
import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerZienswijzen(_ routes: inout RouteTable) {
        let base = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}"
        route(&routes, .put, base, bodyLimit: BodyLimits.upload, caller: .griffie) { [ops] request in
            let actor = try caller(request)
            let (id, gemeente) = (request.parameters["id"] ?? "", request.parameters["gemeente"] ?? "")
            let raadpleging = try ops.writableRaadpleging(id, gemeente: gemeente, by: actor)
            let rules = SubmissionRules(themas: raadpleging.themas.map(\.code), today: AmsterdamTime.today(ops.clock.now()))
            let body = try SubmissionBody.decode(request, rules: rules, ops: ops)
            let outcome = try ops.submit(body.input, uploads: body.attachments, keeping: body.keeping, raadpleging: id,
                                         gemeente: gemeente, by: actor,
                                         idempotency: idempotency(request, actor) { receiptResponse($0) })
            return response(outcome) { receiptResponse($0) }
        }
        route(&routes, .get, base) { [ops] request in
            guard let versie = try ops.currentVersie(raadpleging: request.parameters["id"] ?? "",
                                                     gemeente: request.parameters["gemeente"] ?? "", by: caller(request))
            else { throw Refusal.notFound(.zienswijze) }
            return .json(200, versie.json(sha256: versie.digest))
        }
        route(&routes, .delete, base, caller: .griffie) { [ops] request in
            let actor = try caller(request)
            let outcome: Replayable<Withdrawal>
            do {
                outcome = try ops.withdraw(raadpleging: request.parameters["id"] ?? "", gemeente: request.parameters["gemeente"] ?? "",
                                           by: actor, idempotency: idempotency(request, actor) { _ in HTTPResponse(status: 204) })
            } catch Refusal.conflict(.noZienswijze) {
                throw Problem.notFound("Deze gemeente heeft geen zienswijze om in te trekken.")
            }
            return response(outcome) { _ in HTTPResponse(status: 204) } // withdrawing twice changes nothing
        }
        route(&routes, .get, base + "/versies") { [ops] request in
            let versies = try ops.versies(raadpleging: request.parameters["id"] ?? "", gemeente: request.parameters["gemeente"] ?? "",
                                          by: caller(request))
            return .json(200, .array(versies.map { $0.json(sha256: $0.digest) }))
        }
        route(&routes, .get, base + "/versies/{n}") { [ops] request in
            let actor = try caller(request)
            let (id, gemeente) = (request.parameters["id"] ?? "", request.parameters["gemeente"] ?? "")
            guard let n = Int(request.parameters["n"] ?? ""), n >= 1 else {
                _ = try ops.readableRaadpleging(id, gemeente: gemeente, by: actor)
                throw Refusal.notFound(.versie)
            }
            guard let versie = try ops.versie(n, raadpleging: id, gemeente: gemeente, by: actor) else {
                throw Refusal.notFound(.versie)
            }
            return .json(200, versie.json(sha256: versie.digest))
        }
    }

    /// 201 for a first version, 200 after, with `Location` at the version.
    func receiptResponse(_ versie: Versie) -> HTTPResponse {
        .json(versie.versie == 1 ? 201 : 200, Representation.receipt(versie), headers: [
            ("Location", "/api/v1/raadplegingen/\(versie.raadpleging)/zienswijzen/\(versie.gemeente)/versies/\(versie.versie)"),
        ])
    }

    // MARK: Idempotency-Key

    /// The request's `Idempotency-Key` as an operation takes it (nil without the header): a key of
    /// 1-255 characters, the hash of what makes two requests the same (method, path, media type,
    /// body), and the response to keep for a replay (2xx only).
    func idempotency<T>(_ request: HTTPRequest, _ actor: Actor,
                        _ render: @escaping (T) -> HTTPResponse) throws -> IdempotencyRequest<T>? {
        guard let key = request.headers["Idempotency-Key"], let principal = actor.principal else { return nil }
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw Problem.invalid([InvalidParam(name: "Idempotency-Key", reason: "moet 1 tot 255 tekens lang zijn")])
        }
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue)\n\(request.path)\n\(request.headers["Content-Type"] ?? "")\n".utf8))
        var reader = request.bodyReader()  // in memory or spooled: the whole body either way
        while let piece = try reader.next() { hasher.update(data: piece) }
        return IdempotencyRequest(codeID: principal.codeID, key: key, requestHash: Hex.encode(hasher.finalize())) { result in
            let response = render(result)
            guard (200..<300).contains(response.status), case .bytes(let body) = response.body else { return nil }
            return StoredResponse(status: response.status, headers: response.headers.map { [$0.name, $0.value] }, body: body)
        }
    }

    /// The HTTP answer of a write: the recorded response of a replay (marked `Idempotent-Replayed`),
    /// or the rendering of what was done.
    func response<T>(_ outcome: Replayable<T>, _ render: (T) -> HTTPResponse) -> HTTPResponse {
        switch outcome {
        case .done(let result, _):
            return render(result)
        case .replayed(let stored):
            var response = HTTPResponse(status: stored.status, headers: HTTPHeaders(stored.headers.compactMap {
                $0.count == 2 ? ($0[0], $0[1]) : nil
            }), body: .bytes(stored.body))
            response.headers.set("Idempotent-Replayed", "true")
            return response
        }
    }
}
