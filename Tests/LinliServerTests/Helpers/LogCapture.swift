import Foundation
import Logging
import NIOConcurrencyHelpers

/// Captures every log line of the test process while switched on, so a test can prove that personal
/// numbers never reach the logs — at the most verbose level, SQL with its bound values included.
enum LogCapture {
    private static let lines = NIOLockedValueBox<[String]>([])
    private static let active = NIOLockedValueBox(0)

    private static let installed: Bool = {
        LoggingSystem.bootstrap { label in Handler(label: label) }
        return true
    }()

    static func during<T>(_ body: () async throws -> T) async rethrows -> (T, [String]) {
        _ = installed
        active.withLockedValue { $0 += 1 }
        defer { active.withLockedValue { $0 -= 1 } }
        let result = try await body()
        return (result, lines.withLockedValue { $0 })
    }

    struct Handler: LogHandler {
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level {
            get { LogCapture.active.withLockedValue { $0 } > 0 ? .trace : .warning }
            set {}
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(label) \(event.message) \(all)"
            if LogCapture.active.withLockedValue({ $0 }) > 0 { LogCapture.lines.withLockedValue { $0.append(text) } }
        }
    }
}
