import Foundation
import LinliCore

/// 居家养老's part of the demo district: assessments, plans, records, calls and facilities for the roll.
public struct CareDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let care = try await DemoCare.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "居家养老：%d 名老人，评估 %d 份，照护计划 %d 份，服务记录 %d 条，紧急呼叫 %d 次，设施 %d 处，用时 %.1f 秒。",
                      care.elders, care.assessments, care.plans, care.records, care.calls, care.facilities, Date().timeIntervalSince(started))
    }
}
