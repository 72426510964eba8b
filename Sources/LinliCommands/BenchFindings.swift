import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import SQLKit
import Vapor

extension BenchCommand {
    struct Findings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "findings", abstract: "主动发现：全区全部规则的运行时间")
        @Option(help: "运行的次数") var queries = 20
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).findings(count: queries) } }
    }
}

extension BenchWork {
    /// Every finding rule over the whole district (what the district's list computes), `count` times after a
    /// warm-up: p50 and p99, and each rule's own time and hits once.
    func findings(count: Int) async throws {
        let today = app.linli.today()
        let f = AssistanceFindings(app.db, today: today)
        let stats = try await RegistryStats.compute(on: app.db, today: today)
        let cases = try await (app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM assistance_cases").first()?.decode(column: "n", as: Int.self) ?? 0
        var report = ["residents: \(stats.residents)", "assistance cases: \(cases)", "runs: \(count)"]
        for _ in 0..<2 { _ = try await f.hits(in: .everything) }
        for rule in FindingRules.all {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let n = try await f.hits(in: .everything, rules: [rule]).count
            report.append("  \(rule.code): \(n) hits, " + String(format: "%.1f ms", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000))
        }
        var ms: [Double] = []
        var hits = 0
        for _ in 0..<count {
            let t0 = DispatchTime.now().uptimeNanoseconds
            hits = try await f.hits(in: .everything).count
            ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000)
        }
        ms.sort()
        report.append(String(format: "all %d rules, whole district (%d hits): p50 %.1f ms, p99 %.1f ms, max %.1f ms", FindingRules.all.count, hits,
                             ms[ms.count / 2], ms[min(ms.count - 1, ms.count * 99 / 100)], ms.last!))
        say(report.joined(separator: "\n"))
    }
}
