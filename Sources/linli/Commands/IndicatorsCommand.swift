import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli indicators snapshot [--period YYYY-MM]` and `linli indicators show [--division CODE] [--json]`.
struct IndicatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "snapshot | show")
        var action: String
        @Option(name: "period", help: "快照期间 YYYY-MM（默认本月）")
        var period: String?
        @Option(name: "division", help: "区划代码（默认全区）")
        var division: String?
        @Flag(name: "json", help: "以 JSON 输出")
        var json: Bool
    }
    var help: String { "规划指标：snapshot（保存本月快照）、show（显示各项指标）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let q = IndicatorQueries(app.db)
        let today = app.linli.today()
        switch signature.action {
        case "snapshot":
            let period = signature.period ?? IndicatorQueries.period(of: today)
            guard IndicatorQueries.isPeriod(period) else { throw CommandFailure("--period 应为 YYYY-MM，例如 2026-06") }
            let rows = try await q.snapshot(period: period, today: today, now: app.linli.now(), by: .system())
            context.console.print("已保存 \(period) 的指标快照：\(rows) 个数值。")
        case "show":
            let table: IndicatorTable, division: IndicatorDivision
            if let code = signature.division {
                guard let d = try? DivisionCode(code), let found = try await q.division(d.value) else { throw CommandFailure("区划 \(code) 不存在") }
                table = try await q.compute(in: RegistryScope(division: d), today: today)
                division = found
            } else {
                table = try await q.compute(in: .everything, today: today)
                guard let top = table.divisions.first else { throw CommandFailure("还没有区划：请先导入或运行 linli demo") }
                division = top
            }
            let values = table.values(for: division.code)
            if signature.json {
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
                context.console.print(String(decoding: data, as: UTF8.self))
            } else {
                context.console.print("\(division.name)（\(division.code)）截至 \(today)")
                for v in values {
                    let value = v.reading.map { IndicatorFormat.number($0.value) + " " + v.definition.unit } ?? "—"
                    let target = v.definition.target.map { "  目标 \($0.text)" } ?? ""
                    context.console.print("\(v.definition.name)：\(value)\(target)  [\(v.status.label)]\(v.definition.needs.map { "  尚需：\($0)" } ?? "")")
                }
            }
        default:
            throw CommandFailure("未知操作 \(signature.action)：可用 snapshot、show")
        }
    }
}
