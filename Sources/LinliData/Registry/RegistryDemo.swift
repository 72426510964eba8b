import Foundation
import LinliCore

/// The registry's part of the demo district: divisions, grids, buildings, households and residents.
public struct RegistryDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let bar = demo.progress("载入演示居民", "人")
        let started = Date()
        let summary = try await DemoDistrict.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, residents: demo.residents) {
            bar.update($0, $1)
        }
        bar.finish()
        return String(format: "演示区已载入，用时 %.1f 秒：", Date().timeIntervalSince(started))
            + "\(summary.streets) 个镇/街道，\(summary.communities) 个村/社区，\(summary.grids) 个网格，"
            + "\(summary.buildings) 栋楼，\(summary.households) 户，\(summary.residents) 名居民"
            + String(format: "（60岁以上 %.1f%%）", Double(summary.aged60Plus) * 100 / Double(max(1, summary.residents)))
            + "，另有 \(summary.formerResidents) 名已死亡或迁出者的历史记录。"
    }
}
