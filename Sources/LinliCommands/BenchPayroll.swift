import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

extension BenchCommand {
    /// `linli bench payroll`: the largest street's monthly roll generated and exported for the bank.
    struct Payroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payroll", abstract: "最大街道（镇）月度救助金发放名册的生成和导出时间",
            discussion: "数据库中该街道已批准的救助案件不足居民数的1%时，先为约1.5%的居民（户主）写入已批准的低保案件（编号 BENCH…）。")
        @Option(help: "生成并导出的次数") var queries = 10
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).payroll(count: queries) } }
    }
}

extension BenchWork {
    func payroll(count: Int) async throws {
        let linli = app.linli
        guard let street = try await AssistancePayrollBenchSeed.largestStreet(on: app.db) else { throw CommandFailure("数据库中没有居民", .noInput) }
        let month = AssistanceMonth.of(linli.today())
        var report = ["street: \(street.code), active residents: \(street.residents)", "month: \(month)"]
        var cases = try await AssistancePayrollBenchSeed.approvedCases(street: street.code, on: app.db)
        if cases * 100 < street.residents {
            let added = try await AssistancePayrollBenchSeed.seed(street: street.code, count: street.residents * 15 / 1000, firstMonth: month,
                                                                  cipher: linli.cipher, on: app.db)
            report.append("setup: inserted \(added) approved dibao cases (1.5 % of the street's residents, one per household head)")
            cases += added
        }
        report.append("approved cases in the street: \(cases)")
        let q = AssistanceQueries(app.db, cipher: linli.cipher, today: linli.today(), now: linli.now)
        let actor = AssistanceActor(audit: .system("bench"), scope: .everything, mayWrite: false, mayReview: true, mayApprove: false)
        let path = NSTemporaryDirectory() + "linli-bench-roll-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var generate: [Double] = [], export: [Double] = [], both: [Double] = []
        var lines = 0, size = 0
        for _ in 0..<count {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let roll = try await q.generateRoll(street: street.code, month: month, by: actor)
            let t1 = DispatchTime.now().uptimeNanoseconds
            lines = try await q.exportRoll(roll.id, to: path, by: actor)
            let t2 = DispatchTime.now().uptimeNanoseconds
            size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            try? FileManager.default.removeItem(atPath: path)
            generate.append(Double(t1 - t0) / 1e6); export.append(Double(t2 - t1) / 1e6); both.append(Double(t2 - t0) / 1e6)
        }
        func line(_ label: String, _ ms: [Double]) -> String {
            let s = ms.sorted()
            return String(format: "%@: median %.0f ms, max %.0f ms", label, s[s.count / 2], s.last ?? 0)
        }
        report += ["runs: \(count), lines per roll: \(lines), file: \(size / 1024) KiB",
                   line("generate (one transaction, bulk insert)", generate), line("export .xlsx (ID numbers decrypted)", export),
                   line("generate + export", both)]
        say(report.joined(separator: "\n"))
    }
}
