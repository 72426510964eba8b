import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli boundary apply-due`: apply the approved change orders whose effective date has come (run daily, e.g. from
/// cron, or let the console's 立即实施 do it); `linli boundary bench`: time a merge's preview and application.
struct BoundaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary", abstract: "区划调整：apply-due 实施已到生效日的调整令，bench 测量预览和实施用时", subcommands: [ApplyDue.self, Bench.self])

    struct ApplyDue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply-due", abstract: "实施已批准且已到生效日的区划调整令（每件一个事务，失败则该件不做任何改动）")

        func run() async throws {
            let done = try await LinliApp.run { app in try await BoundaryRunner.applyDue(app) }
            if done.isEmpty { say("没有到期待实施的区划调整令。") }
            for a in done { say("已实施 \(a.documentNo)：\(a.summary)（用时 \(String(format: "%.2f", a.seconds)) 秒）") }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench", abstract: "拟定、批准、预览并实施一次两个村/社区的合并，报告用时（会改动数据库，请在演示数据副本上运行）",
            discussion: "例：LINLI_DATA_DIR=$(mktemp -d) linli demo --load-only && LINLI_DATA_DIR=… linli boundary bench。请用 release 版本测量。")
        @Option(help: "合并的村/社区代码，以逗号分隔") var sources = "321271003001,321271003002"
        @Option(help: "预览次数（1–20）") var rounds = 3
        @Option(help: "崩溃检查用：实施事务完成该步骤（如 residents）后暂停 60 秒，以便在事务中途终止进程") var holdAfter: String?

        func validate() throws {
            guard (1...20).contains(rounds) else { throw ValidationError("--rounds 应为 1 至 20") }
            guard sources.split(separator: ",").count >= 2 else { throw ValidationError("--sources 至少两个村/社区代码") }
        }

        func run() async throws {
            let codes = sources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, rounds = self.rounds, hold = holdAfter
            let b = try await LinliApp.run { app in try await BoundaryRunner.bench(app, sources: codes, rounds: rounds, holdAfter: hold) }
            let p = b.previewSeconds.sorted()
            func s(_ x: Double) -> String { String(format: "%.3f", x) }
            say("合并 \(codes.joined(separator: "、"))（\(b.residents) 名在册居民，\(b.households) 户）→ \(b.created)：预览 最快 \(s(p[0])) 秒、中位 \(s(p[p.count / 2])) 秒、"
                + "最慢 \(s(p[p.count - 1])) 秒；实施 \(s(b.applySeconds)) 秒。")
        }
    }
}
