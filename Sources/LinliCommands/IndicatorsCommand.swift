import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli indicators snapshot [--period YYYY-MM]` and `linli indicators show [--division CODE] [--json]`.
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "规划指标：snapshot 保存月度快照，show 显示各项指标",
        subcommands: [Snapshot.self, Show.self]
    )

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot", abstract: "保存各区划全部指标的月度快照（同一期间再次保存则替换；服务每月也自动保存一次）")
        @Option(help: "快照期间 YYYY-MM（默认本月）") var period: String?
        func validate() throws {
            if let period, !IndicatorQueries.isPeriod(period) { throw ValidationError("--period 应为 YYYY-MM，例如 2026-06") }
        }
        func run() async throws {
            try await LinliApp.run { app in
                let today = app.linli.today()
                let period = period ?? IndicatorQueries.period(of: today)
                let rows = try await IndicatorQueries(app.db).snapshot(period: period, today: today, now: app.linli.now(), by: .system())
                say("已保存 \(period) 的指标快照：\(rows) 个数值。")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "显示全区（或一个区划）的各项规划指标：数值、目标、状态")
        @Option(help: "区划代码（默认全区）") var division: String?
        @Flag(help: "以 JSON 输出") var json = false
        func run() async throws {
            try await LinliApp.run { app in try await show(app) }
        }

        private func show(_ app: Application) async throws {
            let q = IndicatorQueries(app.db)
            let today = app.linli.today()
            let table: IndicatorTable, division: IndicatorDivision
            if let code = self.division {
                guard let d = try? DivisionCode(code), let found = try await q.division(d.value) else {
                    throw CommandFailure("区划 \(code) 不存在", .noInput)
                }
                table = try await q.compute(in: RegistryScope(division: d), today: today)
                division = found
            } else {
                table = try await q.compute(in: .everything, today: today)
                guard let top = table.divisions.first else { throw CommandFailure("还没有区划：请先导入或运行 linli demo", .noInput) }
                division = top
            }
            let values = table.values(for: division.code)
            if json {
                let out: [String: Any] = [
                    "division": ["code": division.code, "name": division.name, "level": division.level.rawValue],
                    "as_of": today.description,
                    "indicators": values.map { v -> [String: Any] in
                        [
                            "code": v.definition.code, "name": v.definition.name, "unit": v.definition.unit,
                            "measured": v.definition.measured, "status": v.status.rawValue,
                            "value": v.reading?.value ?? NSNull(), "numerator": v.reading?.numerator ?? NSNull(),
                            "denominator": v.reading?.denominator ?? NSNull(), "target": v.definition.target?.value ?? NSNull(),
                            "needs": v.definition.needs ?? NSNull(),
                        ]
                    },
                ]
                let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
                say(String(decoding: data, as: UTF8.self))
            } else {
                say("\(division.name)（\(division.code)）截至 \(today)")
                for v in values {
                    let value = v.reading.map { IndicatorFormat.number($0.value) + " " + v.definition.unit } ?? "—"
                    let target = v.definition.target.map { "  目标 \($0.text)" } ?? ""
                    say("\(v.definition.name)：\(value)\(target)  [\(v.status.label)]\(v.definition.needs.map { "  尚需：\($0)" } ?? "")")
                }
            }
        }
    }
}
