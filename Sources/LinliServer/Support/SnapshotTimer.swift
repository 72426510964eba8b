import Foundation
import LinliData
import NIOCore
import Vapor

/// Keeps the monthly snapshot of the indicators: soon after start and then every hour, takes this
/// month's snapshot if there is none yet. Several servers on one database may race at the turn of a
/// month; the snapshot replaces its period in one transaction, so the last one wins and nothing doubles.
public struct SnapshotTimer: LifecycleHandler {
    public init() {}

    public func didBoot(_ app: Application) throws {
        let task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(30), delay: .hours(1)) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do {
                    let today = app.linli.today(), q = IndicatorQueries(app.db)
                    let period = IndicatorQueries.period(of: today)
                    if try await !q.hasSnapshot(period: period) {
                        let rows = try await q.snapshot(period: period, today: today, now: app.linli.now(), by: .system("snapshot-timer"))
                        app.logger.info("indicator snapshot \(period): \(rows) values")
                    }
                } catch {
                    app.logger.warning("indicator snapshot failed: \(String(describing: type(of: error)))")
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
