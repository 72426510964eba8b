import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Log output: one JSON object per line (for journald, a log shipper, `jq`), or Vapor's text for a person
/// at a terminal. `LINLI_LOG_FORMAT=json|text`; unset, JSON unless standard error is a terminal.
public enum LogFormat: String, Sendable {
    case json, text

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> LogFormat {
        if let raw = env["LINLI_LOG_FORMAT"], let format = LogFormat(rawValue: raw.lowercased()) { return format }
        return isatty(STDERR_FILENO) == 1 ? .text : .json
    }

    /// Installs the log handler for the whole process (once, before the application is made). The level
    /// comes from `--log` or `LOG_LEVEL` as in Vapor.
    public static func bootstrap(from env: inout Environment) throws {
        switch fromEnvironment() {
        case .text: try LoggingSystem.bootstrap(from: &env)
        case .json:
            let level = try Logger.Level.detect(from: &env)
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level, sink: JSONLogHandler.standardError) }
        }
    }
}

/// A swift-log handler writing each entry as one line of JSON: `ts`, `level`, `logger`, `msg`, then the
/// metadata as fields. Integer and floating-point metadata are written as JSON numbers.
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let sink: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    /// Writes a line to standard error in one `write`, so that lines of concurrent requests never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        sink(Self.render(level: event.level, label: label, message: "\(event.message)", fields: fields, at: Date()))
    }

    static func render(level: Logger.Level, label: String, message: String, fields: Logger.Metadata, at date: Date) -> String {
        var out = JSONBytes()
        out.open()
        out.field("ts", timestamp(date))
        out.field("level", level.rawValue)
        out.field("logger", label)
        out.field("msg", message)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            out.key(key.replacingOccurrences(of: "-", with: "_"))
            append(value, to: &out)
        }
        out.close()
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// A metadata value as JSON; strings are escaped (so a value cannot break the line or forge a field).
    static func append(_ value: Logger.Metadata.Value, to out: inout JSONBytes) {
        switch value {
        case .string(let s): out.string(s)
        case .stringConvertible(let v):
            if v is any BinaryInteger { out.raw(v.description) } else if let d = v as? Double, d.isFinite { out.raw(String(d)) } else {
                out.string(v.description)
            }
        case .array(let items):
            out.raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.raw(",") }
                append(item, to: &out)
            }
            out.raw("]")
        case .dictionary(let dict):
            var nested = JSONBytes()
            nested.open()
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                nested.key(k)
                append(v, to: &nested)
            }
            nested.close()
            out.bytes.append(contentsOf: nested.bytes)
        }
    }

    /// `2026-11-25T08:01:02.345Z`, written by hand: `String(format:)` costs more than the rest of the line.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = max(0, min(999, Int((seconds - Double(t)) * 1000)))
        var out = [UInt8]()
        out.reserveCapacity(24)
        func put(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-")); put(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        put(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T")); put(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
        put(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":")); put(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
        put(millis, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// Gives every request an id and logs one line when it is answered: id, method, the route's pattern
/// (never the concrete path or the query, which may hold names or ID numbers), status and duration.
/// The id is the caller's `X-Request-Id` when it is a plain token (letters, digits, `-._:`, at most 128),
/// else a new UUID; it goes back in the response's `X-Request-Id` and on every log line of the request.
struct RequestLogMiddleware: Middleware {
    static let header = "X-Request-Id"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = DispatchTime.now().uptimeNanoseconds
        let id = Self.acceptable(request.headers.first(name: Self.header)) ?? UUID().uuidString
        request.logger[metadataKey: "request-id"] = .string(id)
        return next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: Self.header, value: id)
            if request.logger.logLevel <= .info {
                let millis = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                request.logger.info("request", metadata: [
                    "method": .string(request.method.rawValue),
                    "route": .string(request.routePattern),
                    "status": .stringConvertible(Int(response.status.code)),
                    "duration_ms": .stringConvertible((millis * 1000).rounded() / 1000),
                ])
            }
            return response
        }
    }

    /// The caller's id if it is safe to repeat in logs and headers.
    static func acceptable(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 128,
              raw.utf8.allSatisfy({ c in
                  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x3A
              }) else { return nil }
        return raw
    }
}

extension Request {
    /// The matched route as a pattern (`/api/v1/residents/:id`), or `(unmatched)`: a label for logs and
    /// metrics whose number of values is fixed by the routes, not by the paths asked for.
    var routePattern: String {
        route.map { "/" + $0.path.map { "\($0)" }.joined(separator: "/") } ?? "(unmatched)"
    }
}
