import Foundation
import LinliData
import NIOCore
import Vapor

/// Hands overdue requests up a level by the escalation rule, every `escalationInterval` seconds while
/// the server runs. Several servers on one database may each run it: a request one of them moved is
/// stale for the others, who skip it.
public struct EscalationTimer: LifecycleHandler {
    /// `linli serve` starts it at boot; `linli demo` calls `start` once the district is loaded.
    let startOnBoot: Bool
    public init(startOnBoot: Bool = true) { self.startOnBoot = startOnBoot }

    public func didBoot(_ app: Application) throws {
        if startOnBoot { EscalationTimer.start(app) }
    }

    public static func start(_ app: Application) {
        let interval = app.linli.escalationInterval
        guard interval > 0 else { return }
        let task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .milliseconds(Int64(interval * 1000))) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do {
                    let moved = try await app.requestQueries.escalateOverdue(now: Int64(app.linli.now().timeIntervalSince1970))
                    if moved > 0 { app.logger.info("escalated \(moved) overdue requests") }
                } catch {
                    app.logger.warning("escalation round failed: \(String(describing: type(of: error)))")
                }
            }
        }
        app.storage[Key.self] = task
    }

    public func shutdown(_ app: Application) {
        app.storage[Key.self]?.cancel()
    }

    struct Key: StorageKey { typealias Value = RepeatedTask }
}

extension Application {
    public var requestQueries: RequestQueries {
        RequestQueries(db, cipher: linli.cipher, photos: RequestPhotoStore(directory: linli.photoDirectory ?? (linli.dataDirectory as NSString).appendingPathComponent("photos")))
    }
}
