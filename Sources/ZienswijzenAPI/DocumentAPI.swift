import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// The documents of a consultation: listed and downloaded by whoever may see them (every griffie
    /// once the consultation is not a concept, anyone once a document is `openbaar`), uploaded,
    /// published and removed by coordinators. Uploads go into the piece store while they are read;
    /// downloads are pulled piece by piece.
    func registerDocumenten(_ routes: inout RouteTable) {
        let base = "/api/v1/raadplegingen/{id}/documenten"
        route(&routes, .get, base, caller: .anyone) { [ops] request in
            let documenten = try ops.documenten(raadpleging: request.parameters["id"] ?? "", by: optionalCaller(request))
            return .json(200, .array(documenten.map(Representation.document)))
        }
        route(&routes, .post, base, bodyLimit: BodyLimits.upload, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let id = request.parameters["id"] ?? ""
            _ = try ops.raadpleging(id, by: actor)  // 404 before a byte is stored
            let (upload, soort, titel, openbaar) = try uploadedDocument(request)
            let document = try ops.addDocument(upload, soort: soort, titel: titel, openbaar: openbaar, raadpleging: id, by: actor)
            return .json(201, Representation.document(document), headers: [("Location", "\(request.path)/\(document.id)")])
        }
        route(&routes, .get, base + "/{documentId}", caller: .anyone) { [ops] request in
            let (document, reader) = try ops.documentReader(request.parameters["documentId"] ?? "", raadpleging: request.parameters["id"] ?? "",
                                                            by: optionalCaller(request))
            return .download(reader, cacheControl: document.openbaar ? "public, no-cache" : "private, no-cache")
        }
        route(&routes, .patch, base + "/{documentId}", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let document = try ops.changeDocument(request.parameters["documentId"] ?? "", raadpleging: request.parameters["id"] ?? "",
                                                  try DocumentChange.decode(request), by: coordinator(request))
            return .json(200, Representation.document(document))
        }
        route(&routes, .delete, base + "/{documentId}", caller: .coordinator) { [ops] request in
            try ops.removeDocument(request.parameters["documentId"] ?? "", raadpleging: request.parameters["id"] ?? "",
                                   by: coordinator(request))
            return HTTPResponse(status: 204)
        }
    }

    /// The PDF of a document upload and its description: a multipart form with the file in
    /// `bestand` and text fields `soort`, `titel`, `openbaar` (`true`/`false`), or a raw
    /// `application/pdf` body named by its Content-Disposition with those fields in the query.
    private func uploadedDocument(_ request: HTTPRequest) throws -> (BijlageUpload, DocumentSoort, String, Bool) {
        var fields: [(String, String)]
        var upload: BijlageUpload?
        switch mediaType(request.headers["Content-Type"]) {
        case "application/pdf":
            fields = ((try? request.queryFields()) ?? FormFields()).map { ($0.name, $0.value) }
            let sink = ops.receiveUpload(filename: dispositionFilename(request.headers["Content-Disposition"]) ?? "document.pdf")
            var reader = request.bodyReader()
            while let piece = try reader.next() { try sink.write(piece) }
            upload = try sink.finish()
        case "multipart/form-data":
            let form = try FormBody.read(request, ops: ops, files: ["bestand"])
            let problems = form.fileProblems.filter { $0.name == "bestand" }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            fields = form.fields.filter { $0.0 != "bestand" }
            upload = form.uploads.first { $0.field == "bestand" }?.upload
        default:
            throw Problem.unsupportedMediaType("Stuur een PDF als multipart/form-data (veld 'bestand') of als application/pdf.")
        }
        var problems: [InvalidParam] = []
        let value = { (name: String) in fields.first { $0.0 == name }?.1 }
        let soort = DocumentSoort(rawValue: value("soort") ?? DocumentSoort.overig.rawValue)
        if soort == nil { problems.append(InvalidParam(name: "soort", reason: DocumentSoort.reason)) }
        let openbaarText = value("openbaar") ?? "false"
        if openbaarText != "true" && openbaarText != "false" { problems.append(InvalidParam(name: "openbaar", reason: "moet true of false zijn")) }
        if upload == nil { problems.append(InvalidParam(name: "bestand", reason: "verplicht: het PDF-bestand")) }
        guard problems.isEmpty, let upload, let soort else { throw Problem.invalid(problems) }
        return (upload, soort, value("titel") ?? "", openbaarText == "true")
    }
}
