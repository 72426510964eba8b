import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli assistance payroll --month YYYY-MM [--street CODE]`: the month's payment rolls of every street (or one).
struct AssistanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assistance", abstract: "社会救助：payroll 生成月度救助金发放名册", subcommands: [Payroll.self])

    struct Payroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payroll",
            abstract: "生成各街道（镇）某月的救助金发放名册（已核对或已发放的名册保持不变）",
            discussion: "名册未核对前可重复运行：生成的各笔重新计算，已登记的更正保留。")
        @Option(help: "发放月份 YYYY-MM") var month: String
        @Option(help: "只生成这个街道（镇）的名册（12位区划代码）") var street: String?

        func validate() throws {
            guard AssistanceMonth.parse(month) != nil else { throw ValidationError("--month 应为 YYYY-MM，例如 2026-06") }
            if let street, (try? DivisionCode(street))?.level != .street { throw ValidationError("--street 应为街道（镇）的12位区划代码") }
        }

        func run() async throws {
            let summary = try await LinliApp.run { app in try await Self.generate(on: app, month: month, street: street, progress: true) }
            for line in summary.lines { say(line) }
            say("共 \(summary.rolls) 个名册，\(summary.payments) 笔，合计 \(summary.total) 元" + (summary.skipped > 0 ? "；\(summary.skipped) 个已核对或已发放，未改动" : "") + "。")
        }

        struct Summary: Sendable {
            var rolls = 0, payments = 0, total = 0, skipped = 0
            var lines: [String] = []
        }

        /// Generates the rolls as the system (audited as `cli`); a roll already checked or paid is left as it is.
        static func generate(on app: Application, month: String, street: String?, progress: Bool) async throws -> Summary {
            let linli = app.linli
            let q = AssistanceQueries(app.db, cipher: linli.cipher, today: linli.today(), now: linli.now)
            let actor = AssistanceActor(audit: .system(), scope: .everything, mayWrite: false, mayReview: true, mayApprove: false)
            let streets = try await q.payrollStreets(in: .everything).filter { street == nil || $0.code == street }
            if let street, streets.isEmpty { throw CommandFailure("没有街道（镇）\(street)", .noInput) }
            let bar = progress ? ProgressBar(label: "生成发放名册", unit: "个街道") : nil
            var s = Summary()
            for (i, st) in streets.enumerated() {
                do {
                    let r = try await q.generateRoll(street: st.code, month: month, by: actor)
                    s.rolls += 1; s.payments += r.lines; s.total += r.total
                    s.lines.append("\(st.code)\t\(st.name)\t\(month)\t\(r.lines) 笔\t\(r.total) 元")
                } catch RegistryError.conflictingState {
                    s.skipped += 1
                    s.lines.append("\(st.code)\t\(st.name)\t\(month)\t已核对或已发放，未改动")
                }
                bar?.update(i + 1, of: streets.count)
            }
            bar?.finish()
            return s
        }
    }
}
