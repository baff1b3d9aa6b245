import Foundation
import HTTP
import Synchronization
import ZienswijzenDomain
import ZienswijzenOperations

/// An attachment as a `.pull` response body: the connection asks for the next slice only when it
/// has sent the previous one, so a slow reader holds neither a thread nor a database connection,
/// and memory holds at most one stored piece (256 KiB) per download.
final class BijlageChunks: ResponseChunkSource {
    private let reader: BijlageReader
    /// The stored piece being handed out, and how far.
    private let state = Mutex<(piece: [UInt8], offset: Int)>(([], 0))
    private static let sliceSize = 64 * 1024

    init(_ reader: BijlageReader) { self.reader = reader }

    func next() throws -> ArraySlice<UInt8>? {
        try state.withLock { state -> ArraySlice<UInt8>? in
            if state.offset >= state.piece.count {
                guard let piece = try reader.nextPiece() else { return nil }
                state = (piece, 0)
            }
            let end = min(state.piece.count, state.offset + Self.sliceSize)
            defer { state.offset = end }
            return state.piece[state.offset..<end]
        }
    }
}

extension HTTPResponse {
    /// An attachment as a download (never shown inline: it is a file from outside), streamed
    /// from the database with its Content-Length.
    package static func download(_ reader: BijlageReader, cacheControl: String) -> HTTPResponse {
        let bijlage = reader.bijlage
        var response = HTTPResponse(status: 200, body: .pull(length: bijlage.grootte, BijlageChunks(reader)))
        response.headers.add("Content-Type", bijlage.mediatype)
        response.headers.add("Content-Disposition", contentDisposition(filename: bijlage.bestandsnaam))
        response.headers.add("ETag", "\"\(bijlage.sha256)\"")
        response.headers.add("Cache-Control", cacheControl)
        return response
    }
}
