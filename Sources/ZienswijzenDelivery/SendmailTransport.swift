import Dispatch
import Foundation
import Synchronization

/// Mail through a sendmail-compatible program (`/usr/sbin/sendmail -t -i`; Debian's `msmtp-mta`
/// provides one with TLS and authentication), as cron, Gitea and Mastodon do: the message goes
/// to the program's standard input with local (LF) line ends, the program reads the recipients
/// from the `To` header (`-t`), and exit status 0 means it took the message. Anything else, or no
/// exit within `timeout` seconds (the program is then killed), is a failed attempt that the
/// worker retries.
package struct SendmailTransport: MailTransport {
    package let arguments: [String]
    package let timeout: Double

    /// `command` is split at spaces (with '…' or "…" to keep spaces in one argument); nil when it
    /// is empty or unbalanced.
    package init?(command: String, timeout: Double = 60) {
        guard let arguments = Self.split(command), !arguments.isEmpty else { return nil }
        self.arguments = arguments
        self.timeout = timeout
    }

    /// The program only: its arguments may hold a password (`--passwordeval`), and this is logged and shown.
    package var summary: String { "sendmail-programma " + arguments[0] }

    /// Problems with the command, one line each, for the start-up check.
    package func problems() -> [String] {
        var problems: [String] = []
        if !FileManager.default.isExecutableFile(atPath: arguments[0]) {
            problems.append("--sendmail: \(arguments[0]) is not an executable file (give the full path, e.g. /usr/bin/msmtp).")
        }
        if !arguments.dropFirst().contains(where: { $0 == "-t" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("t") && $0.count <= 4) }) {
            problems.append("--sendmail must read the recipients from the message: add -t (e.g. \"/usr/sbin/sendmail -t -i\").")
        }
        return problems
    }

    package static func split(_ command: String) -> [String]? {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in command {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { out.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        guard quote == nil else { return nil }
        if inWord { out.append(current) }
        return out
    }

    package func send(_ message: [UInt8]) throws(DeliveryFailure) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw DeliveryFailure("het mailprogramma \(arguments[0]) kon niet worden gestart: \(error.localizedDescription)")
        }
        // Read the program's complaints beside it, so a chatty one cannot fill the pipe and stall.
        let stderrText = Mutex<String>("")
        let readDone = DispatchSemaphore(value: 0)
        let errorHandle = errors.fileHandleForReading
        DispatchQueue.global().async {
            let data = errorHandle.readDataToEndOfFile()
            stderrText.withLock { $0 = String(decoding: data.prefix(2000), as: UTF8.self) }
            readDone.signal()
        }
        let local = Self.localLineEnds(message)
        var writeFailure: String?
        do {
            try input.fileHandleForWriting.write(contentsOf: local)
        } catch {
            writeFailure = "het mailprogramma nam het bericht niet aan: \(error.localizedDescription)"
        }
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL); exited.wait() }
            _ = readDone.wait(timeout: .now() + 2)
            throw DeliveryFailure("het mailprogramma antwoordde niet binnen \(Int(timeout)) seconden")
        }
        _ = readDone.wait(timeout: .now() + 2)
        let status = process.terminationStatus
        guard status == 0 else {
            let said = stderrText.withLock { $0 }.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let reason = process.terminationReason == .uncaughtSignal ? "gestopt door signaal \(status)" : "afgesloten met status \(status)"
            throw DeliveryFailure("mailprogramma \(reason)" + (said.isEmpty ? "" : ": " + said))
        }
        if let writeFailure { throw DeliveryFailure(writeFailure) }
    }

    /// CRLF to LF: the sendmail interface takes text with the machine's own line ends.
    static func localLineEnds(_ bytes: [UInt8]) -> Data {
        var out = Data(capacity: bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1; continue }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
