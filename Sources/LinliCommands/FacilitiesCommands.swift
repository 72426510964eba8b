import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli facilities coverage`: recompute the service circles' coverage snapshot; `linli facilities bench`: time the
/// coverage computation over the district's buildings, or synthetic ones when there are fewer than asked.
struct FacilitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facilities", abstract: "设施与服务圈：coverage 重新计算覆盖，bench 测量覆盖计算用时", subcommands: [Coverage.self, Bench.self])

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage", abstract: "重新计算全区每幢楼到各类设施的距离和覆盖，写入覆盖快照",
            discussion: "设施台账或服务半径改动时会自动计算；导入楼栋或设施后可手动运行。")
        @Flag(name: .long, help: "不显示进度条") var quiet = false

        func run() async throws {
            let quiet = self.quiet
            let s = try await LinliApp.run { app in
                let bar = quiet ? nil : ProgressBar(label: "计算覆盖", unit: "步")
                let s = try await FacilitiesCoverage(app.db).refresh(audit: .system()) { done, total in bar?.update(done, of: total) }
                bar?.finish()
                return s
            }
            say(String(format: "覆盖计算完成：%d 幢楼、%d 处设施、%d 个村/社区，用时 %.2f 秒。", s.buildings, s.facilities, s.communities, s.seconds))
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench", abstract: "测量全部设施类型的覆盖计算用时（内存中，不写库）",
            discussion: "--buildings 多于库中楼栋时，在本区范围内随机生成楼栋和设施（每类约每50幢楼一处）。请用 release 版本测量。")
        @Option(help: "楼栋数（1–1000000）") var buildings: Int = 100_000
        @Option(help: "重复次数（1–20）") var rounds: Int = 3

        func validate() throws {
            guard (1...1_000_000).contains(buildings) else { throw ValidationError("--buildings 应为 1 至 1000000") }
            guard (1...20).contains(rounds) else { throw ValidationError("--rounds 应为 1 至 20") }
        }

        func run() async throws {
            var rng = SystemRandomNumberGenerator()
            func point() -> GeoPoint {
                GeoPoint(latitude: Double.random(in: DistrictArea.latitude, using: &rng), longitude: Double.random(in: DistrictArea.longitude, using: &rng))
            }
            let homes = (0..<buildings).map { _ in CoverageBuilding(point: point(), residents: 57) }
            var facilities: [FacilityKind: [GeoPoint]] = [:]
            for kind in FacilityKind.allCases { facilities[kind] = (0..<max(1, buildings / 50)).map { _ in point() } }
            var times: [Double] = []
            for _ in 0..<rounds {
                let t = Date()
                let c = CoverageComputation.compute(buildings: homes, facilities: facilities, settings: FacilitySettings())
                times.append(Date().timeIntervalSince(t))
                precondition(c.covered.count == FacilityKind.allCases.count)
            }
            let sorted = times.sorted()
            say(String(format: "覆盖计算（%d 幢楼 × %d 类设施，每类 %d 处）：最快 %.3f 秒，中位 %.3f 秒，最慢 %.3f 秒。", buildings, FacilityKind.allCases.count,
                       max(1, buildings / 50), sorted[0], sorted[sorted.count / 2], sorted[sorted.count - 1]))
        }
    }
}
