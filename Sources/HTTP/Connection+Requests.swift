import Dispatch

/// A request between its head and its response.
struct InFlightRequest {
    var head: RequestHead
    var policy = BodyPolicy(limit: 0, memoryLimit: 0)
    /// The body while it fits in memory.
    var body: [UInt8] = []
    /// The body once it passed `policy.memoryLimit` (then `body` is empty).
    var spool: SpooledBody?
    var received = 0
}

/// Bodies of at most this many bytes that arrived together with their head are read at once and
/// handed to the handler thread with the head: `decide` and `respond` then run in one job (one
/// hop to a handler thread and back, as for a GET), instead of a hop for the decision and another
/// for the response. They were already in our buffer, so nothing more was read before deciding.
let bodyWithHeadLimit = 64 * 1024

/// The request flow of a connection: parser events to a decision, the body to memory or a
/// spool, the complete request to the handler pool. All on `loop.queue` (see `Connection`).
extension Connection {
    /// Pulls parser events while the connection is reading. Stops at the end of a request and
    /// while the application decides: the bytes of the body (or of a pipelined next request)
    /// stay in the parser until the connection reads again.
    func processParser() {
        while !closed {
            switch machine.phase {
            case .idle, .readingHead, .readingBody: break
            default: return
            }
            let event: ParserEvent?
            do {
                event = try parser.next()
            } catch {
                context.logger.debug("bad request from \(remoteAddress): \(error.reason)")
                fail(error.status)
                return
            }
            guard let event else {
                if machine.phase == .idle && parser.isMidRequest { beginRequest() }
                return
            }
            switch event {
            case .head(let head):
                if machine.phase == .idle { beginRequest() }
                headArrived(head)
            case .body(let bytes):
                bodyArrived(bytes)
            case .end(let trailers):
                requestComplete(trailers: trailers)
            }
        }
    }

    private func beginRequest() {
        requestStarted = Self.now()
        machine.requestBegan(now: requestStarted)
    }

    func fail(_ status: Int) {
        perform(machine.failed(now: Self.now(), status: status))
    }

    /// The head is complete and no body byte has been consumed.
    private func headArrived(_ head: RequestHead) {
        var expectContinue = false
        // Expectations only exist in HTTP/1.1; a 1.0 client's Expect is ignored (RFC 9110 §10.1.1).
        if head.version == .http1_1 {
            let expectations = head.headers.tokens("Expect")
            if !expectations.isEmpty {
                request = InFlightRequest(head: head)
                guard expectations == ["100-continue"] else { return fail(417) }
                expectContinue = true
            }
        }
        let hasBody: Bool
        switch head.framing {
        case .none: hasBody = false
        case .contentLength(let n): hasBody = n > 0
        case .chunked: hasBody = true
        }
        request = InFlightRequest(head: head)
        // Without a body the parser's next event is `.end`: the request goes to the handler there.
        guard hasBody else { return }
        guard machine.headReceived(now: Self.now(), hasBody: true, expectContinue: expectContinue) == .callDecide else { return }
        if case .contentLength(let n) = head.framing, n <= bodyWithHeadLimit, parser.bufferedByteCount >= n {
            decideWithBody(head, length: n)
        } else {
            decide(head)
        }
    }

    /// Asks the application about the head on a handler thread; reading waits for the answer.
    private func decide(_ head: RequestHead) {
        let responder = context.responder
        let queue = loop.queue
        let remote = remoteAddress
        context.pool.submit(first: servedWell) { [self] in
            let decision = responder.decide(head, remoteAddress: remote)
            queue.async { self.decided(decision) }
        }
    }

    private func decided(_ decision: HeadDecision) {
        guard !closed, machine.phase == .deciding, let head = request?.head else { return }
        switch decision {
        case .refuse(let response):
            sendFinalResponse(response, for: head)
        case .accept(let policy):
            request?.policy = policy
            if case .contentLength(let n) = head.framing {
                if n > policy.limit { return fail(413) }
                if n > policy.memoryLimit, !startSpool() { return }
            }
            guard case .readBody(let sendContinue) = machine.accepted(now: Self.now()) else { return }
            if sendContinue {
                continuePending = true
                send(ResponseSerializer.continueLine)
            }
            processParser()
            switch machine.phase {
            case .readingBody, .idle, .readingHead: resumeReading()
            default: break
            }
        }
    }

    /// The whole (small) body is already buffered: read it now and let one handler job decide
    /// and, on an accept within the limits, respond.
    private func decideWithBody(_ head: RequestHead, length: Int) {
        var collected: [UInt8] = []
        collected.reserveCapacity(length)
        var ended: HTTPHeaders?
        while ended == nil {
            guard let event = try? parser.next() else { return fail(400) }
            if case .body(let bytes) = event { collected += bytes }
            if case .end(let t) = event { ended = t }
        }
        let body = collected
        let trailers = ended ?? HTTPHeaders()
        let responder = context.responder
        let queue = loop.queue
        let remote = remoteAddress
        let request = makeRequest(head: head, body: body, spool: nil, trailers: trailers)
        context.pool.submit(first: servedWell) { [self] in
            let decision = responder.decide(head, remoteAddress: remote)
            if case .accept(let policy) = decision, length <= policy.limit, length <= policy.memoryLimit {
                let response = responder.respond(to: request)
                queue.async { self.answeredWithBody(response) }
            } else {
                queue.async { self.decidedWithBody(decision, body: body, trailers: trailers) }
            }
        }
    }

    private func answeredWithBody(_ response: HTTPResponse) {
        guard !closed, machine.phase == .deciding else { return }
        machine.answeredWithoutReading(now: Self.now())
        handlerFinished(response)
    }

    /// The decision on a body that was read with its head: a refusal, 413, or a body to spool.
    private func decidedWithBody(_ decision: HeadDecision, body: [UInt8], trailers: HTTPHeaders) {
        guard !closed, machine.phase == .deciding, let head = request?.head else { return }
        switch decision {
        case .refuse(let response):
            sendFinalResponse(response, for: head)
        case .accept(let policy):
            if body.count > policy.limit { return fail(413) }
            request?.policy = policy
            guard startSpool() else { return }
            guard machine.accepted(now: Self.now()) != .none else { return }
            bodyArrived(body)
            if machine.phase == .readingBody { requestComplete(trailers: trailers) }
        }
    }

    /// Moves the body to a new spool file (what memory held so far is written first). False when
    /// the file could not be made or written: then the connection is already answering 503.
    private func startSpool() -> Bool {
        guard var current = request else { return false }
        request = nil
        do throws(SpoolError) {
            let spool = try SpooledBody(directory: context.configuration.spoolDirectory)
            try spool.append(current.body)
            current.body = []
            current.spool = spool
            request = current
            return true
        } catch {
            request = current
            spoolFailed(error)
            return false
        }
    }

    private func spoolFailed(_ error: SpoolError) {
        context.logger.error("cannot spool a request body to \(context.configuration.spoolDirectory): \(error)")
        request?.spool = nil
        request?.body = []
        fail(503)
    }

    /// A piece of an accepted body: counted against the limit, then kept in memory or written to
    /// the spool.
    ///
    /// Spool writes happen here, on the I/O queue: they go to the page cache (no fsync), which is
    /// a memory copy unless the machine is out of dirty-page budget, the same trade nginx makes
    /// when it buffers client bodies to temporary files from its event loop. Moving them to
    /// another thread would need a second buffer per connection and ordering between the writer
    /// and the hand-over to the handler, for little gain.
    private func bodyArrived(_ bytes: [UInt8]) {
        guard request != nil else { return fail(400) }
        request!.received += bytes.count
        if request!.received > request!.policy.limit { return fail(413) }
        if let spool = request!.spool {
            do throws(SpoolError) {
                try spool.append(bytes)
            } catch {
                return spoolFailed(error)
            }
        } else if request!.body.count + bytes.count > request!.policy.memoryLimit {
            guard startSpool(), let spool = request!.spool else { return }
            do throws(SpoolError) {
                try spool.append(bytes)
            } catch {
                return spoolFailed(error)
            }
        } else {
            request!.body += bytes
        }
        machine.bodyReceived(now: Self.now(), count: bytes.count)
    }

    /// The parser reached the end of the request: hand it to a handler thread.
    private func requestComplete(trailers: HTTPHeaders) {
        guard let current = request else { return fail(400) }
        let action: ConnectionStateMachine.Action
        switch machine.phase {
        case .readingBody: action = machine.bodyComplete(now: Self.now())
        case .idle, .readingHead: action = machine.headReceived(now: Self.now(), hasBody: false, expectContinue: false)
        default: return
        }
        guard action == .callRespond else { return }
        // Reading stops only if the client sends more before this response is done (see
        // `readable`): suspending and resuming the read source for every request costs a
        // round trip through Dispatch's manager thread, and most clients wait for the answer.
        let request = makeRequest(head: current.head, body: current.body, spool: current.spool, trailers: trailers)
        // Keep only the head: the spool file closes once the handler lets go of the request.
        self.request = InFlightRequest(head: current.head, policy: current.policy)
        let responder = context.responder
        let queue = loop.queue
        if current.spool == nil, current.body.isEmpty, let response = responder.respondInline(to: request) {
            // Answered from memory: no trip to a handler thread. Sent from a later turn of this
            // queue, so a run of pipelined requests does not nest one answer inside the other.
            queue.async { self.handlerFinished(response) }
            return
        }
        context.pool.submit(first: servedWell) { [self] in
            let response = responder.respond(to: request)
            queue.async { self.handlerFinished(response) }
        }
    }

    private func makeRequest(head: RequestHead, body: [UInt8], spool: SpooledBody?, trailers: HTTPHeaders) -> HTTPRequest {
        // The decoded path when the target is valid; otherwise the raw split, and the router answers 400.
        let (path, query) = (try? RequestTarget.parse(head.target)) ?? RequestTargetSplit.split(head.target)
        return HTTPRequest(head: head, path: path, query: query, body: body, trailers: trailers,
                           remoteAddress: remoteAddress, spooledBody: spool)
    }
}
