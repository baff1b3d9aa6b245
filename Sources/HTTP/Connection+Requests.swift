import Dispatch

/// A request between its head and its response.
struct InFlightRequest {
    var head: RequestHead
    var body: [UInt8] = []
    var bodyLimit: Int
}

/// Bodies up to this size are copied behind the head into one buffer (one `send`); larger ones
/// are queued as a second buffer to avoid copying megabytes.
private let coalesceLimit = 16 * 1024

/// The HTTP flow of a connection: parser events to requests, requests to the handler pool,
/// responses back to bytes, keep-alive or close. All on `loop.queue` (see `Connection`).
extension Connection {
    // MARK: Reading requests

    /// New bytes were fed to the parser.
    func bytesArrived() {
        if phase == .idle { beginRequest() }
        processParser()
    }

    private func beginRequest() {
        phase = .readingHead
        requestStarted = Self.now()
        deadline = requestStarted + context.configuration.headerReadTimeout.nanoseconds
    }

    /// Pulls parser events while the connection is reading. Stops at the end of a request: the
    /// bytes of a pipelined next request stay in the parser until this response is done.
    func processParser() {
        while !closed {
            switch phase {
            case .idle, .readingHead, .readingBody: break
            case .handling, .responding, .closing: return
            }
            let event: ParserEvent?
            do {
                event = try parser.next()
            } catch {
                context.logger.debug("bad request from \(remoteAddress): \(error.reason)")
                respondWithError(error.status)
                return
            }
            guard let event else {
                if phase == .idle && parser.isMidRequest { beginRequest() }
                return
            }
            switch event {
            case .head(let head):
                if phase == .idle { beginRequest() }
                accept(head)
            case .body(let bytes):
                guard var current = request else { return respondWithError(400) }
                request = nil  // keep the body array uniquely referenced while appending
                current.body += bytes
                let tooLarge = current.body.count > current.bodyLimit
                request = current
                if tooLarge { return respondWithError(413) }
                deadline = Self.now() + context.configuration.bodyIdleTimeout.nanoseconds
            case .end(let trailers):
                guard let current = request else { return respondWithError(400) }
                startHandler(current, trailers: trailers)
            }
        }
    }

    /// The head is complete and no body byte has been consumed: decide whether to read the body.
    private func accept(_ head: RequestHead) {
        let limit = context.responder.bodyLimit(for: head)
        request = InFlightRequest(head: head, bodyLimit: limit)
        var sendContinue = false
        // Expectations only exist in HTTP/1.1; a 1.0 client's Expect is ignored (RFC 9110 §10.1.1).
        if head.version == .http1_1 {
            let expectations = head.headers.tokens("Expect")
            if !expectations.isEmpty {
                guard expectations == ["100-continue"] else { return respondWithError(417) }
                sendContinue = head.framing != .none
            }
        }
        if case .contentLength(let length) = head.framing, length > limit {
            return respondWithError(413)
        }
        phase = .readingBody
        deadline = Self.now() + context.configuration.bodyIdleTimeout.nanoseconds
        if sendContinue { send(ResponseSerializer.continueLine) }
    }

    /// The sweep found the header or body deadline passed while a request was being read.
    func requestTimedOut() {
        respondWithError(408)
    }

    /// Answers with the responder's `refusal` (when the head is known) or a minimal error (status,
    /// empty body), with `Connection: close`, and closes, as long as no response has begun;
    /// otherwise framing is already committed and we can only close.
    func respondWithError(_ status: Int) {
        switch phase {
        case .idle, .readingHead, .readingBody:
            break
        case .handling, .responding, .closing:
            closeNow()
            return
        }
        phase = .closing
        pauseReading()
        responseRequestID = nil
        bytesSentForResponse = 0
        if let refusal = context.responder.refusal(status: status, head: request?.head) {
            // An unparsable request is answered as if it were a plain HTTP/1.1 GET.
            let head = request?.head ?? RequestHead(method: .get, target: "*", version: .http1_1,
                                                    headers: HTTPHeaders(), framing: .none)
            let plan = ResponseSerializer.plan(refusal, for: head, forceClose: true, date: loop.date())
            responseStatus = plan.status
            responseRequestID = refusal.headers["X-Request-ID"]
            send(plan.head + plan.body)
        } else {
            responseStatus = status
            send(ResponseSerializer.minimal(status: status, date: loop.date()))
        }
        recordCompletion()
        request = nil
    }

    // MARK: Handling

    private func startHandler(_ current: InFlightRequest, trailers: HTTPHeaders) {
        phase = .handling
        deadline = 0
        // Reading stops only if the client sends more before this response is done (see
        // `readable`): suspending and resuming the read source for every request costs a
        // round trip through Dispatch's manager thread, and most clients wait for the answer.
        // The decoded path when the target is valid; otherwise the raw split, and the router answers 400.
        let (path, query) = (try? RequestTarget.parse(current.head.target)) ?? RequestTargetSplit.split(current.head.target)
        let request = HTTPRequest(head: current.head, path: path, query: query, body: current.body,
                                  trailers: trailers, remoteAddress: remoteAddress)
        self.request = InFlightRequest(head: current.head, bodyLimit: current.bodyLimit)
        let responder = context.responder
        let queue = loop.queue
        context.pool.submit { [self] in
            let response = responder.respond(to: request)
            queue.async { self.handlerFinished(response) }
        }
    }

    private func handlerFinished(_ response: HTTPResponse) {
        guard !closed, phase == .handling, let head = request?.head else { return }
        let plan = ResponseSerializer.plan(response, for: head, forceClose: loop.draining, date: loop.date())
        if !plan.droppedHeaders.isEmpty {
            context.logger.warning("dropped unsafe response header(s): \(plan.droppedHeaders.joined(separator: ", "))")
        }
        phase = .responding
        responseStatus = plan.status
        responseRequestID = response.headers["X-Request-ID"]
        responseKeepAlive = plan.keepAlive
        bytesSentForResponse = 0
        if let producer = plan.stream {
            streamChunked = plan.chunked
            let queue = loop.queue
            let channel = ResponseStreamChannel(limit: context.configuration.streamBufferLimit) { [self] in
                queue.async { self.flush() }
            }
            responseStream = channel
            context.pool.submit {
                do {
                    try producer { piece in try channel.write(piece) }
                    channel.finish(.finished)
                } catch {
                    channel.finish(.failed)
                }
            }
        }
        if plan.body.count <= coalesceLimit {
            send(plan.head + plan.body)
        } else {
            send(plan.head, plan.body)
        }
    }

    // MARK: After writing

    /// Everything queued so far has been sent; decide what comes next.
    func outputDrained() {
        switch phase {
        case .responding:
            if let channel = responseStream { pump(channel) } else { responseComplete() }
        case .closing:
            startLinger()
        case .readingBody:
            // A `100 Continue` went out; the body deadline applies again.
            deadline = Self.now() + context.configuration.bodyIdleTimeout.nanoseconds
        case .idle, .readingHead, .handling:
            break
        }
    }

    /// Moves what a stream producer queued into the output, framed as chunks on HTTP/1.1.
    private func pump(_ channel: ResponseStreamChannel) {
        deadline = 0  // waiting for the producer is not a write stall
        let (pieces, end) = channel.take()
        var frame: [UInt8] = []
        if !pieces.isEmpty {
            let total = pieces.reduce(0) { $0 + $1.count }
            frame.reserveCapacity(total + 16)
            if streamChunked { frame += ResponseSerializer.chunkHeader(total) }
            for piece in pieces { frame += piece }
            if streamChunked { frame += ResponseSerializer.crlf }
        }
        switch end {
        case nil:
            break
        case .finished:
            if streamChunked { frame += ResponseSerializer.lastChunk }
            responseStream = nil
            if !streamChunked { responseKeepAlive = false }
        case .failed:
            // Cut the response short: without the last chunk (or with the connection closing
            // early), the client can tell the body is incomplete.
            responseStream = nil
            context.logger.warning("response stream failed; closing connection \(id)")
            closeNow()
            return
        }
        if !frame.isEmpty { send(frame) } else if end == .finished { responseComplete() }
    }

    private func responseComplete() {
        recordCompletion()
        request = nil
        guard responseKeepAlive && !loop.draining else {
            phase = .closing
            startLinger()
            return
        }
        phase = .idle
        deadline = Self.now() + context.configuration.keepAliveIdleTimeout.nanoseconds
        // A pipelined request may already be buffered; handle it before reading more.
        processParser()
        switch phase {
        case .idle, .readingHead, .readingBody: resumeReading()
        case .handling, .responding, .closing: break
        }
    }

    // MARK: Shutdown and bookkeeping

    /// Graceful shutdown reached this connection: close it now if idle; otherwise the current
    /// response goes out with `Connection: close`.
    func drain() {
        if phase == .idle { closeNow() }
    }

    /// Called once from `closeNow`: stop a producer, and log a request that never got its answer.
    func connectionClosing() {
        responseStream?.cancel()
        responseStream = nil
        if request != nil, phase == .handling || phase == .responding {
            recordCompletion()
            request = nil
        }
    }

    private func recordCompletion() {
        let head = request?.head
        let path = head.map { RequestTargetSplit.split($0.target).path } ?? "-"
        let elapsed = Self.now() &- requestStarted
        context.record(RequestLogRecord(
            method: head?.method.rawValue ?? "-", path: path, status: responseStatus,
            bytesSent: bytesSentForResponse, duration: .nanoseconds(Int64(truncatingIfNeeded: elapsed)),
            remoteAddress: remoteAddress, connectionID: id, requestID: responseRequestID))
    }
}
