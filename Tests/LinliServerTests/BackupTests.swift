import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("Backup and restore", .serialized)
struct BackupTests {
    /// Everything that must come back: every resident's id, version and grid, every event, every request
    /// with its steps and tallies, the audit chain.
    func fingerprint(_ app: Application) async throws -> [String] {
        let sql = try app.sql()
        var out: [String] = []
        for query in ["SELECT id, version, grid_code, name FROM residents ORDER BY id",
                      "SELECT id, kind, occurred_on FROM resident_events ORDER BY id",
                      "SELECT id, seq, status, version, description FROM requests ORDER BY id",
                      "SELECT id, request_id, seq, action, note FROM request_steps ORDER BY id",
                      "SELECT community_code, category_code, status, level, n FROM request_tallies ORDER BY 1, 2, 3, 4",
                      "SELECT seq, hash FROM audit_log ORDER BY seq"] {
            for row in try await sql.raw(SQLQueryString(stringLiteral: query)).all() {
                out.append(row.allColumns.map { c in
                    (try? row.decode(column: c, as: String.self)) ?? (try? row.decode(column: c, as: Int.self)).map(String.init)
                        ?? (try? row.decode(column: c, as: UUID.self))?.uuidString ?? "?"
                }.joined(separator: "|"))
            }
        }
        return out
    }

    @Test("an online backup restores to the identical registry, history and audit chain")
    func roundTrip() async throws {
        let dir = NSTemporaryDirectory() + "linli-backup-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var original: [String] = []
        try await withTestApp(residents: 500, storage: .sqliteFile(dir + "/linli.sqlite")) { app in
            let h = try await app.anyHousehold()
            let r = try await app.call(.POST, "/api/v1/residents", json: ["name": "备份", "id_number": newID(), "household_id": h.id, "relation": "other"])
            #expect(r.status == .created)
            let id = try #require(r.json["id"].string, "\(r.text)")
            _ = try await app.call(.GET, "/api/v1/residents/\(id)/full")
            let request = try #require(try await app.submitRequest(description: "备份前上报")["id"].string)
            #expect(try await app.act(request, "accept", version: 1, as: .worker).status == .ok)
            try await SQLiteBackup.backup(app.db, to: dir + "/backup.sqlite")
            // Writes after the backup are not in it.
            _ = try await app.call(.PATCH, "/api/v1/residents/\(id)", json: ["name": "之后", "version": 1])
            original = try await fingerprint(app)
        }
        #expect(original.count > 1000)
        #expect(original.contains { $0.hasSuffix("|备份前上报") }, "the request is part of what is compared")
        try await withTestApp(residents: 0, storage: .sqliteFile(dir + "/backup.sqlite")) { app in
            #expect(try await SQLiteBackup.integrity(app.db) == "ok")
            let restored = try await fingerprint(app)
            let verification = try await AuditLog.verify(on: app.db)
            #expect(verification.firstBroken == nil)
            // Identical up to the backup: the later edit (one resident's version and name, one event, one audit entry) is absent.
            #expect(Set(original).subtracting(restored).count == 3)
            #expect(Set(restored).subtracting(original).count == 1)
            #expect(restored.contains { $0.hasSuffix("|备份") })
        }
    }
}
