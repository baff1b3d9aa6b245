import Dispatch

/// Bodies up to this size are copied behind the head into one buffer (one `send`); larger ones
/// are queued as a second buffer to avoid copying megabytes.
private let coalesceLimit = 16 * 1024

/// A `.pull` body being sent.
struct PullState {
    var source: any ResponseChunkSource
    /// The promised Content-Length, if any.
    var length: Int?
    var chunked: Bool
    /// Body bytes queued so far.
    var delivered = 0
    /// A `next()` is running on a handler thread.
    var inFlight = false
}

/// Responses: handler results, refusals and errors to bytes; streamed and pulled bodies; keep-alive
/// or close afterwards. All on `loop.queue` (see `Connection`).
extension Connection {
    // MARK: Starting a response

    func handlerFinished(_ response: HTTPResponse) {
        guard !closed, machine.phase == .handling, let head = request?.head else { return }
        let plan = ResponseSerializer.plan(response, for: head, forceClose: loop.draining, date: loop.date())
        servedWell = plan.status < 400
        clientWillSendNothingMore = !ResponseSerializer.requestAllowsKeepAlive(head)
        machine.responseStarted(now: Self.now(), keepAlive: plan.keepAlive)
        begin(plan, response: response)
    }

    /// The application's refusal of a head: sent at once with `Connection: close`, then linger.
    func sendFinalResponse(_ response: HTTPResponse, for head: RequestHead) {
        clientWillSendNothingMore = false  // its body may still be on the way
        let plan = ResponseSerializer.plan(response, for: head, forceClose: true, date: loop.date())
        pauseReading()
        machine.finalResponseStarted(now: Self.now())
        begin(plan, response: response)
    }

    /// Answers with the responder's `refusal` (when the head is known) or a minimal error (status,
    /// empty body), with `Connection: close`, and closes after it. Only called while no response
    /// has begun (the state machine sees to that).
    func respondWithError(_ status: Int) {
        clientWillSendNothingMore = false
        pauseReading()
        responseStream?.cancel()
        responseStream = nil
        pull = nil
        continuePending = false
        if let refusal = context.responder.refusal(status: status, head: request?.head) {
            // An unparsable request is answered as if it were a plain HTTP/1.1 GET.
            let head = request?.head ?? RequestHead(method: .get, target: "*", version: .http1_1,
                                                    headers: HTTPHeaders(), framing: .none)
            var plan = ResponseSerializer.plan(refusal, for: head, forceClose: true, date: loop.date())
            plan.stream = nil
            plan.pull = nil
            machine.finalResponseStarted(now: Self.now())
            begin(plan, response: refusal)
        } else {
            machine.finalResponseStarted(now: Self.now())
            responseStatus = status
            responseRequestID = nil
            responseUnrecorded = true
            bytesSentForResponse = 0
            send(ResponseSerializer.minimal(status: status, date: loop.date()))
        }
    }

    private func begin(_ plan: ResponsePlan, response: HTTPResponse) {
        if !plan.droppedHeaders.isEmpty {
            context.logger.warning("dropped unsafe response header(s): \(plan.droppedHeaders.joined(separator: ", "))")
        }
        responseStatus = plan.status
        responseRequestID = response.headers["X-Request-ID"]
        responseUnrecorded = true
        bytesSentForResponse = 0
        closeAfterResponse = false
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
        if let source = plan.pull {
            pull = PullState(source: source, length: plan.pullLength, chunked: plan.chunked)
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
        machine.outputFlushed()
        switch machine.phase {
        case .responding, .closing:
            if let channel = responseStream {
                pump(channel)
            } else if pull != nil {
                fetchNextPiece()
            } else {
                finishResponse()
            }
        case .readingBody:
            if continuePending {
                // The `100 Continue` left: the client starts sending the body only now.
                continuePending = false
                machine.continueSent(now: Self.now())
            }
        default:
            break
        }
    }

    /// Moves what a stream producer queued into the output, framed as chunks on HTTP/1.1.
    private func pump(_ channel: ResponseStreamChannel) {
        let (pieces, end) = channel.take()
        if pieces.isEmpty && end == nil {
            machine.awaitingProducer(now: Self.now())  // the channel wakes us with the next write
            return
        }
        machine.producerDelivered(now: Self.now())
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
        case .failed:
            // Cut the response short: without the last chunk (or with the connection closing
            // early), the client can tell the body is incomplete.
            responseStream = nil
            context.logger.warning("response stream failed; closing connection \(id)")
            closeNow()
            return
        }
        if !frame.isEmpty { send(frame) } else if end == .finished { finishResponse() }
    }

    /// Asks the pull source for its next piece on a handler thread. Only ever one at a time, and
    /// only once the socket took everything: a slow client holds no thread.
    private func fetchNextPiece() {
        guard var state = pull, !state.inFlight else { return }
        state.inFlight = true
        pull = state
        machine.awaitingProducer(now: Self.now())
        let source = state.source
        let queue = loop.queue
        context.pool.submit { [self] in
            let result: Result<ArraySlice<UInt8>?, any Error>
            do {
                result = .success(try source.next())
            } catch {
                result = .failure(error)
            }
            queue.async { self.pulled(result) }
        }
    }

    private func pulled(_ result: Result<ArraySlice<UInt8>?, any Error>) {
        guard !closed, var state = pull else { return }
        state.inFlight = false
        pull = state
        machine.producerDelivered(now: Self.now())
        switch result {
        case .failure(let error):
            context.logger.warning("response source failed (\(error)); closing connection \(id)")
            closeNow()
        case .success(nil):
            pull = nil
            if let length = state.length, state.delivered != length {
                context.logger.warning("response source ended after \(state.delivered) of \(length) bytes; closing connection \(id)")
                closeNow()
                return
            }
            if state.chunked {
                send(ResponseSerializer.lastChunk)
            } else {
                finishResponse()
            }
        case .success(var piece?):
            if piece.isEmpty { return fetchNextPiece() }
            var overran = false
            if let length = state.length, piece.count > length - state.delivered {
                piece = piece.prefix(length - state.delivered)
                overran = true
            }
            state.delivered += piece.count
            pull = state
            if overran {
                // More than the promised Content-Length: send what was promised, then close
                // rather than let the extra bytes be read as the next response.
                context.logger.warning("response source delivered more than its length \(state.length ?? 0); closing connection \(id)")
                pull = nil
                closeAfterResponse = true
                if piece.isEmpty { finishResponse() } else { send(slices: [piece]) }
                return
            }
            if state.chunked {
                send(slices: [ResponseSerializer.chunkHeader(piece.count)[...], piece, ResponseSerializer.crlf[...]])
            } else {
                send(slices: [piece])
            }
        }
    }

    /// The last byte of the response was handed to the kernel.
    private func finishResponse() {
        recordCompletion()
        request = nil
        let action = machine.responseComplete(now: Self.now(), draining: loop.draining || closeAfterResponse)
        switch action {
        case .readNextRequest:
            parser.releaseSpareCapacity()
            loop.enteredIdle(self)
            // A pipelined request may already be buffered; handle it before reading more.
            processParser()
            switch machine.phase {
            case .idle, .readingHead, .readingBody: resumeReading()
            default: break
            }
        default:
            perform(action)
        }
    }

    // MARK: Shutdown and bookkeeping

    /// Graceful shutdown reached this connection: close it now if idle; otherwise the current
    /// response goes out with `Connection: close`.
    func drain() {
        perform(machine.drain(now: Self.now()))
    }

    /// Called once from `closeNow`: stop a producer, and log a request that never got its answer.
    func connectionClosing(from phase: ConnectionStateMachine.Phase) {
        responseStream?.cancel()
        responseStream = nil
        pull = nil
        if !responseUnrecorded, request != nil, phase == .deciding || phase == .handling {
            // Closed (shutdown's grace ended) while the application had the request: no answer.
            responseStatus = 0
            bytesSentForResponse = 0
            responseRequestID = nil
            responseUnrecorded = true
        }
        recordCompletion()
        request = nil
    }

    private func recordCompletion() {
        guard responseUnrecorded else { return }
        responseUnrecorded = false
        let head = request?.head
        let path = head.map { RequestTargetSplit.split($0.target).path } ?? "-"
        let elapsed = Self.now() &- requestStarted
        context.record(RequestLogRecord(
            method: head?.method.rawValue ?? "-", path: path, status: responseStatus,
            bytesSent: bytesSentForResponse, duration: .nanoseconds(Int64(truncatingIfNeeded: elapsed)),
            remoteAddress: remoteAddress, connectionID: id, requestID: responseRequestID))
    }
}
