import Foundation
import LinliCore
import LinliData
import Vapor

/// What `linli boundary …` runs: the due orders applied (each in its own transaction), and the bench that times a
/// merge's preview and application on the database at hand.
public enum BoundaryRunner {
    public struct Applied: Sendable { public var documentNo: String; public var summary: String; public var seconds: Double }

    /// Applies every approved order whose effective date has come, oldest first.
    public static func applyDue(_ app: Application) async throws -> [Applied] {
        let q = BoundaryQueries(app.db, today: app.linli.today(), now: app.linli.now)
        var done: [Applied] = []
        for o in try await q.due() {
            let t = Date()
            let a = try await q.apply(o.id, version: nil, columns: Capabilities.divisionColumns, in: .everything, by: .system())
            done.append(Applied(documentNo: a.documentNo, summary: a.summary(names: [:]), seconds: Date().timeIntervalSince(t)))
        }
        app.linli.residentCache?.removeAll()
        app.linli.sessionCache.removeAll()
        return done
    }

    public struct Bench: Sendable {
        public var residents: Int
        public var households: Int
        public var previewSeconds: [Double]
        public var applySeconds: Double
        public var created: String
    }

    /// Drafts, approves, previews (`rounds` times) and applies a merge of `sources` effective today. Changes the database:
    /// run it on a copy (a demo district in a scratch `LINLI_DATA_DIR`).
    /// `holdAfter`: a step of the apply (a table's name, "divisions", "buildings" …) after which the open transaction
    /// waits a minute, saying so on standard error: the crash check kills the process there.
    public static func bench(_ app: Application, sources: [String], rounds: Int, holdAfter: String? = nil) async throws -> Bench {
        let q = BoundaryQueries(app.db, today: app.linli.today(), now: app.linli.now)
        let names = try await DivisionQueries(app.db).all(in: .everything, level: .community)
        let stems = sources.map { s in (names.first { $0.code == s }?.name ?? s).replacingOccurrences(of: "社区", with: "") }
        let o = try await q.create(BoundaryInput(kind: .merge, sources: sources, newNames: [stems.joined() + "社区（测）"], effectiveOn: app.linli.today(),
                                                 documentNo: "测〔\(app.linli.today().year)〕1号", documentTitle: "区划调整性能测试"),
                                   in: .everything, by: .system())
        let approved = try await q.decide(o.id, approve: true, version: o.version, in: .everything, by: .system())
        var previews: [Double] = []
        var figures: BoundaryPreview?
        for _ in 0..<rounds {
            let t = Date()
            figures = try await q.preview(o.id, in: .everything)
            previews.append(Date().timeIntervalSince(t))
        }
        let t = Date()
        var hold: BoundaryQueries.Fault?
        if let step = holdAfter {
            hold = { @Sendable (done: String) in
                guard done == step else { return }
                FileHandle.standardError.write(Data("区划调整：事务进行中，已完成 \(done)，暂停 60 秒\n".utf8))
                Thread.sleep(forTimeInterval: 60)
            }
        }
        let applied = try await q.apply(o.id, version: approved.version, columns: Capabilities.divisionColumns, in: .everything, by: .system(),
                                        fault: hold)
        let seconds = Date().timeIntervalSince(t)
        return Bench(residents: figures?.after.first?.residents ?? 0, households: figures?.after.first?.households ?? 0, previewSeconds: previews,
                     applySeconds: seconds, created: applied.plan?.created.first?.code ?? "")
    }
}
