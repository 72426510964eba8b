import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A resident as stored after the race.
fileprivate struct StoredResident: Decodable {
    var name: String
    var version: Int
    var householdId: String
}

/// Many clients writing the same records at once: every conflicting write is refused with 409, none is
/// lost or silently overwritten, and the history and the audit log count exactly the writes that won.
/// On SQLite a file (several connections, as the server runs), on PostgreSQL a database of the test's own.
@Suite("Concurrent writes", .serialized)
struct ConcurrencyTests {
    static let digits = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")

    func withFileApp(_ body: (Application) async throws -> Void) async throws {
        try await withFileTestApp(residents: 200, body)
    }

    func count(_ app: Application, _ query: String, _ target: any Encodable & Sendable) async throws -> Int {
        let row = try #require(try await app.sql().raw("\(unsafeRaw: query)\(bind: target)").first())
        return try row.decode(column: "n", as: Int.self)
    }

    @Test("twelve clients edit one resident with the same version, five rounds: one 200 and eleven 409 each time")
    func sameVersion() async throws {
        try await withFileApp { app in
            let first = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let id = try #require(first["id"].string)
            let startVersion = try #require(first["version"].int)
            let uuid = try #require(UUID(uuidString: id))
            let eventsBefore = try await count(app, "SELECT COUNT(*) AS n FROM resident_events WHERE kind = 'update' AND resident_id = ", uuid)
            var version = startVersion
            for round in 0..<5 {
                let current = version
                let answers = try await withThrowingTaskGroup(of: (String, APIResponse).self) { group in
                    for client in 0..<12 {
                        let name = "并" + String(Self.digits[round]) + String(Self.digits[client])
                        group.addTask { (name, try await app.call(.PATCH, "/api/v1/residents/\(id)", json: ["name": name, "version": current])) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let winners = answers.filter { $0.1.status == .ok }
                let refused = answers.filter { $0.1.status == .conflict }
                #expect(winners.count == 1, "round \(round): \(answers.map(\.1.status.code))")
                #expect(refused.count == 11)
                #expect(refused.allSatisfy { $0.1.isProblem && $0.1.json["current_version"].int == version + 1 })
                // What the winner wrote is what is stored, with the next version.
                let now = try await app.call(.GET, "/api/v1/residents/\(id)").json
                #expect(now["name"].string == winners.first?.0)
                #expect(now["version"].int == version + 1)
                version += 1
            }
            #expect(version == startVersion + 5)
            let events = try await count(app, "SELECT COUNT(*) AS n FROM resident_events WHERE kind = 'update' AND resident_id = ", uuid)
            #expect(events - eventsBefore == 5)
            let audited = try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'resident.update' AND target = ", "resident:\(id)")
            #expect(audited == 5)
            #expect(try await AuditLog.verify(on: app.db).firstBroken == nil)
        }
    }

    @Test("an edit and a move racing on one version: exactly one wins")
    func editAgainstMove() async throws {
        try await withFileApp { app in
            let r = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let id = try #require(r["id"].string), version = try #require(r["version"].int), household = try #require(r["household_id"].string)
            let other = try #require(try await app.call(.GET, "/api/v1/households?per_page=2").json["items"].array
                .compactMap { $0["id"].string }.first { $0 != household })
            async let edit = app.call(.PATCH, "/api/v1/residents/\(id)", json: ["name": "竞争", "version": version])
            async let move = app.call(.POST, "/api/v1/residents/\(id)/events",
                                      json: ["kind": "move", "to_household_id": other, "relation": "other", "version": version])
            let statuses = [try await edit.status, try await move.status]
            #expect(statuses.filter { $0 == .ok || $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 1)
            let now = try await app.call(.GET, "/api/v1/residents/\(id)").decode(StoredResident.self)
            #expect(now.version == version + 1)
            // Exactly the winner's change is stored.
            #expect((now.name == "竞争") != (now.householdId == other))
        }
    }

    @Test("thirty clients register residents at once, eight of them the same person: none lost, one of the eight")
    func creates() async throws {
        try await withFileApp { app in
            let household = try await app.anyHousehold()
            let before = try await app.rowCount("residents")
            let auditBefore = try await app.rowCount("audit_log")
            let shared = newID("1985-02-03", sequence: 432)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for client in 0..<30 {
                    let number = client < 8 ? shared : newID("1970-01-01", sequence: 100 + client)
                    let name = "新" + String(Self.digits[client % 20]) + String(Self.digits[client / 20])
                    group.addTask {
                        try await app.call(.POST, "/api/v1/residents",
                                           json: ["name": name, "id_number": number, "household_id": household.id, "relation": "other"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 23, "\(answers.map(\.status.code))")
            #expect(answers.filter { $0.status == .conflict }.count == 7)
            #expect(try await app.rowCount("residents") == before + 23)
            // 23 creations and 7 refusals recorded, nothing else.
            #expect(try await app.rowCount("audit_log") == auditBefore + 30)
            #expect(try await AuditLog.verify(on: app.db).firstBroken == nil)
        }
    }
}
