/// A response kept for `Idempotency-Key` replays.
package struct StoredResponse: Sendable, Equatable {
    package var status: Int
    package var headers: [[String]]
    package var body: [UInt8]

    package init(status: Int, headers: [[String]], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
