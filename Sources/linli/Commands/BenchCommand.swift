import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import SQLKit
import Vapor

/// `linli bench search|ids`: measurements on the database in LINLI_DATA_DIR (load it first with
/// `linli demo --load-only --residents N`). Run on a release build; `Benchmarks/run.sh` runs them all.
struct BenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "search：检索延迟；ids：导出随机居民ID供 wrk 使用")
        var what: String
        @Option(name: "queries", help: "每类检索的次数（默认 2000）")
        var queries: Int?
        @Option(name: "out", help: "ids 的输出文件")
        var out: String?
    }
    var help: String { "性能测试（请使用 release 构建）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.what {
        case "search": try await search(app, context: context, count: signature.queries ?? 2000)
        case "ids": try await ids(app, out: signature.out ?? "bench-ids.txt", count: signature.queries ?? 10_000)
        default: throw Abort(.badRequest, reason: "未知的测试：\(signature.what)（可用：search、ids）")
        }
    }

    /// Random sample of residents: id, name and the decrypted ID number (the bench holds the key).
    func sample(_ app: Application, count: Int) async throws -> [(id: UUID, name: String, idNumber: String)] {
        let sql = app.db as! any SQLDatabase
        let rows = try await sql.raw("SELECT id, name, id_cipher FROM residents ORDER BY random() LIMIT \(literal: count)").all()
        return try rows.map { r in
            (try r.decode(column: "id", as: UUID.self), try r.decode(column: "name", as: String.self),
             try app.linli.cipher.open(try r.decode(column: "id_cipher", as: Data.self)))
        }
    }

    func search(_ app: Application, context: CommandContext, count: Int) async throws {
        let total = try await Resident.query(on: app.db).count()
        let people = try await sample(app, count: count)
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
        context.console.print(report.joined(separator: "\n"))
    }

    func ids(_ app: Application, out: String, count: Int) async throws {
        let ids = try await sample(app, count: count).map { $0.id.uuidString }
        try (ids.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
    }
}
