import Foundation
import LinliCore

/// The requests' part of the demo district: a history of reported and handled requests.
public struct RequestsDemo: DemoStep {
    public init() {}

    /// Requests loaded when none are asked for: one for every eight residents, at least 200.
    public static func defaultCount(residents: Int) -> Int { max(200, residents / 8) }

    public func load(_ demo: DemoContext) async throws -> String? {
        let count = demo.requests ?? Self.defaultCount(residents: demo.residents)
        guard count > 0 else { return nil }
        let started = Date()
        let bar = demo.progress("载入历史事项", "件")
        try await DemoRequests.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, count: count, now: demo.now,
                                    days: max(365, count / 1000)) { bar.update($0, $1) }
        bar.finish()
        return String(format: "历史事项 %d 件已载入，用时 %.1f 秒。", count, Date().timeIntervalSince(started))
    }
}
