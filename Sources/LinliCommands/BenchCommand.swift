import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import SQLKit
import Vapor

/// `linli bench search|ids|requests|indicators|payroll`: measurements on the database in LINLI_DATA_DIR (load it
/// first with `linli demo --load-only --residents N`). Run on a release build; `Benchmarks/run.sh` runs them all.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "性能测试（请使用 release 构建）",
        discussion: "测的是 LINLI_DATA_DIR 中的数据库：先用 linli demo --load-only --residents N 载入。Benchmarks/run.sh 运行全部测试。",
        subcommands: [Search.self, IDs.self, Requests.self, Indicators.self, Payroll.self, Findings.self, Measures.self]
    )

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "检索延迟：姓名、拼音、身份证号")
        @Option(help: "每类检索的次数") var queries = 2000
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).search(count: queries) } }
    }

    struct IDs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ids", abstract: "导出随机居民ID（供 wrk 使用）")
        @Option(help: "导出的个数") var queries = 10_000
        @Option(help: "输出文件") var out = "bench-ids.txt"
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).ids(out: out, count: queries) } }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "requests", abstract: "督办列表与分区统计的延迟")
        @Option(help: "每项查询的次数") var queries = 500
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).requests(count: queries) } }
    }

    struct Indicators: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "indicators", abstract: "全区全部指标的计算时间")
        @Option(help: "计算的次数") var queries = 50
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).indicators(count: queries) } }
    }
}

struct BenchWork {
    let app: Application

    static func check(_ queries: Int) throws {
        guard (1...10_000_000).contains(queries) else { throw ValidationError("--queries 应为正整数") }
    }

    /// Random sample of residents: id, name and the decrypted ID number (the bench holds the key).
    func sample(count: Int) async throws -> [(id: UUID, name: String, idNumber: String)] {
        let sql = app.db as! any SQLDatabase
        let rows = try await sql.raw("SELECT id, name, id_cipher FROM residents ORDER BY random() LIMIT \(literal: count)").all()
        return try rows.map { r in
            (try r.decode(column: "id", as: UUID.self), try r.decode(column: "name", as: String.self),
             try app.linli.cipher.open(try r.decode(column: "id_cipher", as: Data.self)))
        }
    }

    func search(count: Int) async throws {
        let total = try await Resident.query(on: app.db).count()
        let people = try await sample(count: count)
        let queries = ResidentQueries(app.db, cipher: app.linli.cipher, today: app.linli.today())
        var report: [String] = ["residents: \(total)", "queries per kind: \(people.count)"]
        let kinds: [(String, (String, String) -> ResidentQueries.SearchKind)] = [
            ("name (姓名前缀)", { name, _ in .name(name) }),
            ("pinyin initials (拼音首字母)", { name, _ in .pinyin(Pinyin.reading(ofName: name).initials) }),
            ("full pinyin (全拼)", { name, _ in .pinyin(Pinyin.reading(ofName: name).full) }),
            ("ID number (公民身份号码)", { _, id in .idNumber(id) }),
        ]
        for (label, make) in kinds {
            // One warm-up pass, then the measured one.
            for p in people.prefix(50) { _ = try await queries.search(make(p.name, p.idNumber), in: .everything, filter: ResidentFilter(), page: PageRequest()) }
            var micros: [Double] = []
            var hits = 0
            for p in people {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let page = try await queries.search(make(p.name, p.idNumber), in: .everything, filter: ResidentFilter(), page: PageRequest())
                micros.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
                hits += page.items.contains { $0.id == p.id } || page.total > page.items.count ? 1 : 0
            }
            micros.sort()
            func pct(_ q: Double) -> Double { micros[min(micros.count - 1, Int(Double(micros.count) * q))] / 1000 }
            report.append(String(format: "%@: p50 %.2f ms, p99 %.2f ms, max %.2f ms (found %d/%d)",
                                 label, pct(0.5), pct(0.99), micros.last! / 1000, hits, people.count))
        }
        say(report.joined(separator: "\n"))
    }

    func ids(out: String, count: Int) async throws {
        let ids = try await sample(count: count).map { $0.id.uuidString }
        try (ids.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
    }

    /// The supervision board and the per-area counts, for the district, a street and a community, each
    /// `count` times after a warm-up: p50 and p99 in milliseconds.
    func requests(count: Int) async throws {
        let q = app.requestQueries
        let total = try await requestCount()
        let now = Int64(app.linli.now().timeIntervalSince1970)
        var report = ["requests: \(total)", "runs per query: \(count)"]
        let scopes: [(String, RequestScope)] = [("district", .everything), ("street 321271002", .area(prefix: "321271002")),
                                                ("community 321271002001", .area(prefix: "321271002001"))]
        for (label, scope) in scopes {
            let cases: [(String, () async throws -> Void)] = [
                ("supervision list (督办列表, page 1)", { _ = try await q.supervision(in: scope, now: now, page: PageRequest()) }),
                ("per-area counts (分区统计)", { _ = try await q.figures(in: scope) }),
                ("open list (待办列表, page 1)", {
                    var f = RequestFilter()
                    f.isOpen = true
                    _ = try await q.list(in: scope, filter: f, now: now, page: PageRequest())
                }),
            ]
            for (name, run) in cases {
                for _ in 0..<20 { try await run() }
                var ms: [Double] = []
                for _ in 0..<count {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    try await run()
                    ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000)
                }
                ms.sort()
                report.append(String(format: "%@ — %@: p50 %.2f ms, p99 %.2f ms, max %.2f ms", label, name,
                                     ms[ms.count / 2], ms[min(ms.count - 1, ms.count * 99 / 100)], ms.last!))
            }
        }
        let s = try await q.supervision(in: .everything, now: now, page: PageRequest())
        report.append("district board: \(s.red) red, \(s.yellow) yellow")
        say(report.joined(separator: "\n"))
    }

    func requestCount() async throws -> Int {
        let row = try await (app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM requests").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Every indicator for every division of the district (what the district's dashboard and a snapshot
    /// compute), `count` times after a warm-up: p50 and p99.
    func indicators(count: Int) async throws {
        let q = IndicatorQueries(app.db)
        let today = app.linli.today()
        let stats = try await RegistryStats.compute(on: app.db, today: today)
        var report = ["residents: \(stats.residents)", "requests: \(try await requestCount())", "runs: \(count)"]
        for _ in 0..<3 { _ = try await q.compute(in: .everything, today: today) }
        var ms: [Double] = []
        var table: IndicatorTable?
        for _ in 0..<count {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let t = try await q.compute(in: .everything, today: today)
            // The values themselves, for every division, as the page and the snapshot read them.
            for d in t.divisions { _ = t.values(for: d.code) }
            ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000)
            table = t
        }
        ms.sort()
        report.append(String(format: "all indicators, whole district (%d divisions): p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                             table?.divisions.count ?? 0, ms[ms.count / 2], ms[min(ms.count - 1, ms.count * 99 / 100)], ms.last!))
        for (name, t) in try await q.sourceTimes(in: .everything, today: today, runs: 5) {
            report.append(String(format: "  counted alone, best of 5: %@ %.1f ms", name, t))
        }
        if let t = table, let top = t.divisions.first, let share = t.reading("population.age_60_plus", for: top.code) {
            report.append(String(format: "check: residents aged 60+ %.0f of %.0f (%.2f %%)", share.numerator, share.denominator ?? 0, share.value))
        }
        say(report.joined(separator: "\n"))
    }
}
