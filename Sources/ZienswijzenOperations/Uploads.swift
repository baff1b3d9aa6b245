import Crypto
import Foundation
import SQLite
import Synchronization
import ZienswijzenDomain
import ZienswijzenStore

/// An attachment being received. Its bytes go to the database in pieces as they arrive, each
/// piece in its own short transaction, so nobody waits for the write lock while a client is still
/// sending; the digest is computed as the bytes pass; the rules are checked on the way: a PDF by
/// its first bytes, not empty, at most `Bijlage.maxBytes`. Memory held: at most one piece.
///
/// Use from one thread (the handler's). `finish` returns the upload for a version to list;
/// content that is never listed (the request failed later) is pruned by `pruneStagedUploads`.
package final class UploadSink {
    private let ops: Operations
    private let field: String
    private let bestandsnaam: String
    private let id = randomHexID()
    private var hasher = SHA256()
    private var piece: [UInt8] = []
    private var stored = 0
    private var checked = false
    private var created = false

    init(ops: Operations, field: String, filename: String) {
        self.ops = ops
        self.field = field
        self.bestandsnaam = sanitizedFilename(filename)
        piece.reserveCapacity(BijlageInhoudStore.pieceSize)
    }

    /// Takes the next bytes of the file. Throws `Refusal.invalid` when they do not start a PDF,
    /// `Refusal.tooLarge` once the file passes the limit.
    package func write(_ bytes: some Collection<UInt8>) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(rest.count, BijlageInhoudStore.pieceSize - piece.count)
            let end = rest.index(rest.startIndex, offsetBy: take)
            piece.append(contentsOf: rest[rest.startIndex..<end])
            rest = rest[end...]
            if !checked, stored + piece.count >= Bijlage.pdfMagic.count { try checkMagic() }
            if piece.count == BijlageInhoudStore.pieceSize { try flush() }
        }
    }

    /// The stored upload, after the last bytes.
    package func finish() throws -> BijlageUpload {
        guard stored + piece.count > 0 else { throw Refusal.invalid([InvalidParam(name: field, reason: "het bestand is leeg")]) }
        if !checked { try checkMagic() }
        if !piece.isEmpty { try flush() }
        let digest = Hex.encode(hasher.finalize())
        try ops.db.write { try BijlageInhoudStore.complete($0, id: id, grootte: stored, sha256: digest) }
        return BijlageUpload(bestandsnaam: bestandsnaam, inhoudID: id, grootte: stored, sha256: digest)
    }

    /// The first bytes must be `%PDF-`. Called once they are in `piece` (the first flush comes
    /// only at a full piece, long after), or at the end of a shorter file.
    private func checkMagic() throws {
        guard piece.starts(with: Bijlage.pdfMagic) else {
            throw Refusal.invalid([InvalidParam(name: field, reason: "alleen PDF-bestanden zijn toegestaan; dit bestand is geen PDF")])
        }
        checked = true
    }

    private func flush() throws {
        guard stored + piece.count <= Bijlage.maxBytes else {
            throw Refusal.tooLarge("Het bestand is groter dan 25 MB.")
        }
        hasher.update(data: piece)
        let number = stored / BijlageInhoudStore.pieceSize
        let (id, piece, created) = (self.id, self.piece, self.created)
        let now = ops.clock.now()
        // Background priority: a receipt's transaction goes first. Each piece is synced with its
        // own commit, so the receipt's COMMIT syncs only itself, not megabytes of pieces before it.
        try ops.db.write(priority: .background) { db in
            if !created { try BijlageInhoudStore.create(db, id: id, at: now) }
            try BijlageInhoudStore.append(db, id: id, number: number, piece: piece)
        }
        self.created = true
        stored += piece.count
        self.piece.removeAll(keepingCapacity: true)
    }
}

/// The bytes of an attachment, read piece by piece, each piece in its own short read transaction
/// (complete content never changes, so pieces read from different snapshots belong together).
/// Holds no database connection between pieces, so a slow reader costs nothing but its socket.
package final class BijlageReader: Sendable {
    package let bijlage: Bijlage
    private let ops: Operations
    private let next = Mutex(0)

    init(ops: Operations, bijlage: Bijlage) {
        self.ops = ops
        self.bijlage = bijlage
    }

    /// The next piece, or nil after the last.
    package func nextPiece() throws -> [UInt8]? {
        let number = next.withLock { n in defer { n += 1 }; return n }
        return try ops.read { try BijlageInhoudStore.piece($0, id: bijlage.id, number: number) }
    }
}

extension Operations {
    /// A sink for the bytes of an attachment sent in form field `field` as `filename`.
    package func receiveUpload(field: String = "bestand", filename: String) -> UploadSink {
        UploadSink(ops: self, field: field, filename: filename)
    }

    /// Deletes uploads that were stored but never listed by a version and are older than an hour
    /// (refused or cut off requests, a crash in between); returns how many.
    @discardableResult
    package func pruneStagedUploads() throws -> Int {
        let cutoff = clock.now().addingTimeInterval(-3600)
        return try write(priority: .background) { try BijlageInhoudStore.pruneUnused($0, before: cutoff) }
    }

    /// An attachment of this gemeente in this consultation, to be read piece by piece.
    package func bijlageReader(_ bijlageID: String, raadpleging id: String, gemeente: String,
                               by actor: Actor) throws -> BijlageReader {
        _ = try readableRaadpleging(id, gemeente: gemeente, by: actor)
        guard let bijlage = try read({ try VersieStore.attachment($0, raadpleging: id, gemeente: gemeente, id: bijlageID) })
        else { throw Refusal.notFound(.bijlage) }
        return BijlageReader(ops: self, bijlage: bijlage)
    }
}
