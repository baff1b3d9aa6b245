import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenOperations

/// A form as received (urlencoded or `multipart/form-data`), read once, front to back: text
/// fields in memory (at most `BodyLimits.structured` bytes of them in all), each file streamed
/// into the store as it arrives (`UploadSink`), never held whole.
package struct FormBody: Sendable {
    /// Text fields in order. A file field also leaves a pair `(name, filename)` here (empty when
    /// no file was chosen), so a page can say which file must be chosen again.
    package var fields: [(String, String)]
    /// The files received and stored.
    package var uploads: [(field: String, upload: BijlageUpload)]
    /// Files that were refused (not a PDF, empty, an unknown file field), by field.
    package var fileProblems: [InvalidParam]

    package func first(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

    /// Reads `request`'s form. Files are accepted only in the fields named in `files` (others are
    /// refused as unknown file fields, their bytes discarded). `beforeFile` runs with the text
    /// fields read so far when the first file begins, so a form can check its CSRF token before
    /// anything is stored. A body of another media type is `WebFailure`-neutral: 415.
    package static func read(_ request: HTTPRequest, ops: Operations, files: Set<String> = [],
                             limits: MultipartLimits = .upload,
                             beforeFile: (([(String, String)]) throws -> Void)? = nil) throws -> FormBody {
        switch mediaType(request.headers["Content-Type"]) {
        case "application/x-www-form-urlencoded":
            let bytes = try request.smallBody()
            let fields: FormFields
            do {
                fields = try FormFields(urlencoded: bytes)
            } catch {
                throw Problem.badRequest("Het formulier kon niet worden gelezen.")
            }
            return FormBody(fields: fields.map { ($0.name, $0.value) }, uploads: [], fileProblems: [])
        case "multipart/form-data":
            return try readMultipart(request, ops: ops, files: files, limits: limits, beforeFile: beforeFile)
        default:
            throw Problem.unsupportedMediaType("Stuur het formulier als application/x-www-form-urlencoded of multipart/form-data.")
        }
    }

    private static func readMultipart(_ request: HTTPRequest, ops: Operations, files: Set<String>, limits: MultipartLimits,
                                      beforeFile: (([(String, String)]) throws -> Void)?) throws -> FormBody {
        var parser: MultipartStreamParser
        do {
            parser = try MultipartStreamParser(contentType: request.headers["Content-Type"] ?? "", limits: limits)
        } catch {
            throw multipartProblem(error)
        }
        var form = FormBody(fields: [], uploads: [], fileProblems: [])
        var reader = request.bodyReader()
        var textBytes = 0
        var checkedBeforeFiles = false

        /// What the current part is becoming.
        enum Current {
            case text(name: String, bytes: [UInt8])
            /// A file field; the sink is made at its first byte (no bytes: no file chosen).
            case file(name: String, filename: String, sink: UploadSink?)
            /// A refused file: its bytes are dropped.
            case discard
        }
        var current = Current.discard

        func tooLarge(_ field: String) -> InvalidParam {
            InvalidParam(name: field, reason: "het is groter dan 25 MB; kies een kleiner PDF-bestand. Wat u verder invulde, is bewaard")
        }

        func handle(_ event: MultipartStreamParser.Event) throws {
            switch event {
            case .part(let name, let filename, _, _):
                if let filename {
                    form.fields.append((name, filename))
                    if files.contains(name) {
                        if !checkedBeforeFiles, let beforeFile { try beforeFile(form.fields) }
                        checkedBeforeFiles = true
                        current = .file(name: name, filename: filename, sink: nil)
                    } else {
                        form.fileProblems.append(InvalidParam(name: name, reason: "onbekend bestandsveld; gebruik 'bestand'"))
                        current = .discard
                    }
                } else {
                    current = .text(name: name, bytes: [])
                }
            case .data(let bytes):
                switch current {
                case .text(let name, var text):
                    textBytes += bytes.count
                    guard textBytes <= BodyLimits.structured else {
                        throw Problem.tooLarge("De tekstvelden van het formulier zijn samen groter dan 1 MiB.")
                    }
                    text += bytes
                    current = .text(name: name, bytes: text)
                case .file(let name, let filename, let existing):
                    let sink = existing ?? ops.receiveUpload(field: name, filename: filename.isEmpty ? "bijlage.pdf" : filename)
                    do {
                        try sink.write(bytes)
                        current = .file(name: name, filename: filename, sink: sink)
                    } catch Refusal.invalid(let params, _) {
                        form.fileProblems += params
                        current = .discard
                    } catch Refusal.tooLarge {
                        // Over 25 MB: the rest of the file is dropped, the form read on, and given back with its text.
                        form.fileProblems.append(tooLarge(name))
                        current = .discard
                    }
                case .discard:
                    break
                }
            case .partEnd:
                switch current {
                case .text(let name, let bytes):
                    form.fields.append((name, String(decoding: bytes, as: UTF8.self)))
                case .file(let name, _, let sink?):
                    do {
                        form.uploads.append((name, try sink.finish()))
                    } catch Refusal.invalid(let params, _) {
                        form.fileProblems += params
                    } catch Refusal.tooLarge {
                        form.fileProblems.append(tooLarge(name))
                    }
                case .file, .discard:
                    break  // no file chosen, or already refused
                }
                current = .discard
            case .end:
                break
            }
        }

        do {
            while let piece = try reader.next() {
                parser.feed(piece)
                while let event = try parser.next() { try handle(event) }
            }
            parser.finish()
            while let event = try parser.next() { try handle(event) }
        } catch let error as MultipartError {
            throw multipartProblem(error)
        }
        return form
    }
}
