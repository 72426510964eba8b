import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// Drafts an order as the district officer; the response.
    func boundaryOrder(_ body: [String: Any]) async throws -> APIResponse {
        try await call(.POST, "/api/v1/boundary/orders", json: body, as: .district)
    }

    /// Drafts and approves an order; its id and version.
    func approvedOrder(_ body: [String: Any]) async throws -> (id: String, version: Int) {
        let r = try await boundaryOrder(body)
        #expect(r.status == .created, "\(r.text)")
        let id = try #require(r.json["id"].string)
        let a = try await call(.POST, "/api/v1/boundary/orders/\(id)/approval", json: ["version": try #require(r.json["version"].int)], as: .district)
        #expect(a.status == .ok && a.json["state"].string == "approved", "\(a.text)")
        return (id, try #require(a.json["version"].int))
    }

    func scalar(_ query: String) async throws -> Int {
        let row = try #require(try await sql().raw("\(unsafeRaw: query)").first())
        return try row.decode(column: "n", as: Int?.self) ?? 0
    }

    /// Everything a boundary change may touch, as numbers: what "the district unchanged" is checked against.
    func districtFingerprint() async throws -> [Int] {
        var out: [Int] = []
        for q in ["SELECT COUNT(*) AS n FROM divisions", "SELECT COUNT(*) AS n FROM divisions WHERE retired_on IS NOT NULL",
                  "SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE '321271002001%'", "SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE '321271002002%'",
                  "SELECT COUNT(*) AS n FROM households WHERE grid_code LIKE '321271002001%'", "SELECT COUNT(*) AS n FROM buildings WHERE grid_code LIKE '321271002001%'",
                  "SELECT COUNT(*) AS n FROM accounts WHERE division_code LIKE '321271002001%'", "SELECT COUNT(*) AS n FROM division_history",
                  "SELECT COUNT(*) AS n FROM requests WHERE area_code LIKE '321271002001%'",
                  "SELECT CAST(SUM(n) AS BIGINT) AS n FROM request_tallies WHERE community_code = '321271002001'",
                  "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'boundary.apply'"] {
            out.append(try await scalar(q))
        }
        return out
    }
}

nonisolated(unsafe) let mergeBody: [String: Any] = ["kind": "merge", "sources": ["321271002001", "321271002002"], "new_names": ["寺巷口岸社区"],
                                "effective_on": "2026-06-30", "document_no": "泰高新政复〔2026〕8号", "document_title": "关于同意调整寺巷街道部分社区区划的批复"]

@Suite("区划调整: the API", .serialized)
struct BoundaryTests {
    @Test("bad orders: 422 naming the field, nothing written; a merge across streets needs its receiving street; a past date refused")
    func badInput() async throws {
        try await withTestApp(residents: 300) { app in
            func refused(_ change: [String: Any], _ fields: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
                var body = mergeBody
                for (k, v) in change { body[k] = v }
                let r = try await app.boundaryOrder(body)
                #expect(r.status == .unprocessableEntity && r.isProblem && r.json.errorFields == fields, "\(r.text)", sourceLocation: sourceLocation)
            }
            try await refused(["sources": ["321271002001", "321271003001"]], ["receiving_street"])
            try await refused(["sources": ["321271002001", "321271003001"], "receiving_street": "321271001000"], ["receiving_street"])
            try await refused(["effective_on": "2026-06-29"], ["effective_on"])
            try await refused(["effective_on": "30/06/2026"], ["effective_on"])
            try await refused(["new_names": [" "]], ["new_names"])
            try await refused(["new_names": ["南官河社区"]], ["new_names"])
            try await refused(["sources": ["321271002001", "321271002001001"]], ["sources"])
            try await refused(["sources": ["321271002001", "321271002099"]], ["sources"])
            try await refused(["kind": "annex"], ["kind"])
            try await refused(["document_no": ""], ["document_no"])
            try await refused(["kind": "split", "sources": ["321271002001"], "new_names": ["甲社区", "乙社区"]], ["buildings"])
            let badId = try await app.boundaryOrder(mergeBody.merging(["buildings": ["x": 0]]) { $1 })
            #expect(badId.status == .unprocessableEntity && badId.json.errorFields == ["buildings"], "\(badId.text)")
            #expect(try await app.rowCount("boundary_orders") == 0)
            // Street officers read, the district orders; a community worker neither.
            #expect(try await app.call(.POST, "/api/v1/boundary/orders", json: mergeBody, as: .street).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/boundary/orders", as: .worker).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/boundary/orders", as: .street).status == .ok)
            #expect(try await app.rowCount("boundary_orders") == 0)
            // Across streets with the receiving street named: accepted.
            var across = mergeBody
            across["sources"] = ["321271002001", "321271003001"]
            across["receiving_street"] = "321271003000"
            across["new_names"] = ["跨街社区"]
            let ok = try await app.boundaryOrder(across)
            #expect(ok.status == .created && ok.json["state"].string == "draft", "\(ok.text)")
        }
    }

    @Test("a merge: previewed, applied in one go — new codes, retired rows with their successor, records, accounts, requests and tallies moved, history kept")
    func merge() async throws {
        try await withTestApp(residents: 1200) { app in
            let request = try await app.submitRequest()
            let requestId = try #require(request["id"].string)
            let residentsBefore = try await app.scalar("SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE '321271002001%' OR grid_code LIKE '321271002002%'")
            let householdsBefore = try await app.scalar("SELECT COUNT(*) AS n FROM households WHERE grid_code LIKE '321271002001%' OR grid_code LIKE '321271002002%'")
            #expect(residentsBefore > 0)
            let (id, version) = try await app.approvedOrder(mergeBody)

            let preview = try await app.call(.GET, "/api/v1/boundary/orders/\(id)/preview", as: .street)
            #expect(preview.status == .ok, "\(preview.text)")
            let before = preview.json["before"].array, after = preview.json["after"].array
            #expect(before.count == 2 && after.count == 1)
            #expect(after[0]["code"].string == "321271002014" && after[0]["name"].string == "寺巷口岸社区", "\(preview.text)")
            let active = try await app.scalar("SELECT COUNT(*) AS n FROM residents WHERE life_status = 'active' AND (grid_code LIKE '321271002001%' OR grid_code LIKE '321271002002%')")
            #expect(after[0]["residents"].int == active && before.compactMap { $0["residents"].int }.reduce(0, +) == active)
            #expect(after[0]["households"].int == householdsBefore && after[0]["open_requests"].int == 1)
            #expect(try await app.rowCount("division_history") == 0, "a preview writes nothing")

            let applied = try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: ["version": version], as: .district)
            #expect(applied.status == .ok && applied.json["state"].string == "applied", "\(applied.text)")
            #expect(applied.json["codes"]["321271002001"].string == "321271002014" && applied.json["codes"]["321271002002001"].string != nil)

            // The new community and its grids; the old ones kept, retired, pointing at their successor; the tree without them.
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM divisions WHERE code LIKE '321271002014%' AND retired_on IS NULL") > 2)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM divisions WHERE code = '321271002001' AND successor_code = '321271002014' AND retired_on = '2026-06-30'") == 1)
            let stats = try await app.call(.GET, "/api/v1/stats", as: .district)
            #expect(stats.json["communities"].int == 59, "\(stats.text)")
            let tree = try await app.call(.GET, "/api/v1/divisions?depth=3", as: .district)
            #expect(!tree.text.contains("\"321271002001\"") && tree.text.contains("321271002014"), "\(tree.text.prefix(300))")
            // Every record moved; nothing left under the old codes.
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE '321271002014%'") == residentsBefore)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM residents WHERE grid_code LIKE '321271002001%' OR grid_code LIKE '321271002002%'") == 0)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM households WHERE grid_code LIKE '321271002014%'") == householdsBefore)
            #expect(try await app.scalar("""
                SELECT COUNT(*) AS n FROM buildings b JOIN divisions d ON d.id = b.grid_id WHERE b.grid_code LIKE '321271002014%' AND d.code <> b.grid_code
                """) == 0, "each building's grid id follows its code")
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM division_history WHERE record_kind = 'resident'") == residentsBefore)
            // Accounts: the community's worker and the grid's worker now hold the successors.
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM accounts WHERE division_code = '321271002014'") == 2)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM accounts WHERE division_code LIKE '321271002014___'") == 1)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM boundary_account_flags") == 0)
            // The open request and its tally moved together.
            let moved = try await app.call(.GET, "/api/v1/requests/\(requestId)", as: .district)
            #expect(moved.json["community_code"].string == "321271002014", "\(moved.text.prefix(400))")
            #expect(try await app.scalar("SELECT CAST(SUM(n) AS BIGINT) AS n FROM request_tallies WHERE community_code = '321271002014'") == 1)
            #expect(try await app.scalar("SELECT CAST(SUM(n) AS BIGINT) AS n FROM request_tallies WHERE community_code = '321271002001'") == 0)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'boundary.apply'") == 1)

            // The worker (now of the new community) still reaches their residents; the history says where each was when.
            let mine = try await app.call(.GET, "/api/v1/residents?per_page=1", as: .worker)
            #expect(mine.status == .ok && (mine.json["total"].int ?? 0) > 0, "\(mine.text.prefix(300))")
            let someone = try #require(mine.json["items"][0]["id"].string)
            let past = try await app.call(.GET, "/api/v1/boundary/records/\(someone)", as: .worker)
            #expect(past.status == .ok && past.json[0]["new_code"].string?.hasPrefix("321271002014") == true
                    && past.json[0]["document_no"].string == "泰高新政复〔2026〕8号", "\(past.text)")
            let division = try await app.call(.GET, "/api/v1/boundary/divisions/321271002014", as: .worker)
            #expect(division.status == .ok && Set(division.json["predecessors"].array.compactMap { $0["code"].string }).isSuperset(of: ["321271002001", "321271002002"]),
                    "\(division.text.prefix(400))")
            #expect(try await app.call(.GET, "/api/v1/boundary/divisions/321271003001", as: .worker).status == .notFound)

            // Applied once: again is 409, and the retired codes are never given again.
            #expect(try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: [:], as: .district).status == .conflict)
            var next = mergeBody
            next["sources"] = ["321271002003", "321271002014"]
            next["new_names"] = ["寺巷中心社区"]
            let second = try await app.approvedOrder(next)
            let again = try await app.call(.POST, "/api/v1/boundary/orders/\(second.id)/application", json: [:], as: .district)
            #expect(again.status == .ok && again.json["created"][0].string == "321271002015", "\(again.text)")
            let chain = try await app.call(.GET, "/api/v1/boundary/divisions/321271002015", as: .district)
            #expect(Set(chain.json["predecessors"].array.compactMap { $0["code"].string }).isSuperset(of: ["321271002001", "321271002002", "321271002003", "321271002014"]))
            // A new division may not take a retired code either.
            let reuse = try await app.call(.POST, "/api/v1/divisions", json: ["code": "321271002001", "name": "复用社区", "kind": "社区"], as: .district)
            #expect(reuse.status == .conflict, "\(reuse.text)")
        }
    }

    @Test("a split: buildings assigned, each household and person following their building; the divided community's accounts flagged for review")
    func split() async throws {
        try await withTestApp(residents: 1200) { app in
            // A second building with a household in the community's last grid, so each new community gets one.
            let grid = try #require(try await app.sql().raw("SELECT code FROM divisions WHERE code LIKE '321271002001___' ORDER BY code DESC").first())
                .decode(column: "code", as: String.self)
            let added = try await app.call(.POST, "/api/v1/buildings", json: [
                "grid_code": grid, "name": "寺巷新村9幢", "address": "寺巷路9号", "latitude": 32.41, "longitude": 119.95, "floors": 6,
            ])
            #expect(added.status == .created, "\(added.text)")
            let addedId = try #require(added.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/households", json: ["number": "T-0901", "building_id": addedId, "room": "1单元101室"]).status == .created)
            let buildings = try await app.sql().raw("SELECT id FROM buildings WHERE grid_code LIKE '321271002001%' ORDER BY grid_code, name").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            #expect(buildings.count >= 2)
            var assign: [String: Int] = [:]
            for (i, b) in buildings.enumerated() { assign[b.uuidString] = i % 2 }
            let body: [String: Any] = ["kind": "split", "sources": ["321271002001"], "new_names": ["寺巷东社区", "寺巷西社区"], "buildings": assign,
                                       "effective_on": "2026-06-30", "document_no": "泰高新政复〔2026〕9号", "document_title": "关于同意拆分寺巷社区的批复"]
            let missing = try await app.boundaryOrder(body.merging(["buildings": Dictionary(uniqueKeysWithValues: Array(assign.prefix(1)))]) { $1 })
            #expect(missing.status == .unprocessableEntity && missing.json.errorFields == ["buildings"], "\(missing.text)")
            let (id, _) = try await app.approvedOrder(body)
            let preview = try await app.call(.GET, "/api/v1/boundary/orders/\(id)/preview", as: .district)
            let after = preview.json["after"].array
            #expect(after.count == 2 && after.allSatisfy { ($0["households"].int ?? 0) > 0 }, "\(preview.text)")
            let applied = try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: [:], as: .district)
            #expect(applied.status == .ok, "\(applied.text)")
            // Every household and person of the divided community lives in the grid their building went to.
            let splitPeople = "FROM residents r JOIN households h ON h.id = r.household_id JOIN buildings b ON b.id = h.building_id WHERE SUBSTR(b.grid_code, 1, 12) IN ('321271002014', '321271002015')"
            #expect(try await app.scalar("SELECT COUNT(*) AS n \(splitPeople)") > 0)
            #expect(try await app.scalar("SELECT COUNT(*) AS n \(splitPeople) AND (r.grid_code <> b.grid_code OR h.grid_code <> b.grid_code)") == 0)
            for (b, i) in assign {
                let building = try #require(UUID(uuidString: b))
                let code = try #require(try await app.sql().raw("SELECT grid_code FROM buildings WHERE id = \(bind: building)").first())
                    .decode(column: "grid_code", as: String.self)
                #expect(code.hasPrefix(i == 0 ? "321271002014" : "321271002015"), "\(b) → \(code)")
            }
            // The community's and the divided grid's accounts went to the first successor and wait for the security admin.
            let flags = try await app.call(.GET, "/api/v1/boundary/account-flags", as: .secadmin)
            #expect(flags.status == .ok && Set(flags.json.array.compactMap { $0["username"].string }).isSuperset(of: ["worker"]), "\(flags.text)")
            #expect(try await app.call(.GET, "/api/v1/boundary/account-flags", as: .district).status == .forbidden)
            let flag = try #require(flags.json[0]["id"].string)
            #expect(try await app.call(.POST, "/api/v1/boundary/account-flags/\(flag)/resolution", as: .secadmin).status == .noContent)
            #expect(try await app.call(.POST, "/api/v1/boundary/account-flags/\(flag)/resolution", as: .secadmin).status == .notFound)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM accounts WHERE division_code LIKE '321271002001%'") == 0, "nothing left on a retired code")
        }
    }

    @Test("a move: chosen buildings change grid with their households and people; the rest stay; not yet due is 422, a draft 409")
    func move() async throws {
        try await withTestApp(residents: 1200) { app in
            let b = try #require(try await app.sql().raw("SELECT id FROM buildings WHERE grid_code = '321271002001001' ORDER BY name").first())
                .decode(column: "id", as: UUID.self)
            let stay = try await app.scalar("SELECT COUNT(*) AS n FROM buildings WHERE grid_code = '321271002001001'") - 1
            let body: [String: Any] = ["kind": "move", "sources": ["321271002001001"], "target": "321271002002001", "buildings": [b.uuidString: 0],
                                       "effective_on": "2026-07-15", "document_no": "寺巷街〔2026〕3号", "document_title": "关于调整网格楼栋的通知"]
            let draft = try await app.boundaryOrder(body)
            let did = try #require(draft.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/boundary/orders/\(did)/application", json: [:], as: .district).status == .conflict)
            let (id, _) = try await app.approvedOrder(body)
            let early = try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: [:], as: .district)
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["effective_on"], "\(early.text)")
            // On the day (the command's path): applied.
            let due = BoundaryQueries(app.db, today: CivilDate("2026-07-15")!)
            _ = try await due.apply(try #require(UUID(uuidString: id)), version: nil, columns: Capabilities.divisionColumns, in: .everything, by: .system("test"))
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM buildings WHERE grid_code = '321271002001001'") == stay)
            let moved = try await app.sql().raw("""
                SELECT h.grid_code AS h, r.grid_code AS r FROM households h LEFT JOIN residents r ON r.household_id = h.id WHERE h.building_id = \(bind: b)
                """).all().map { [try $0.decode(column: "h", as: String.self), try $0.decode(column: "r", as: String?.self) ?? "321271002002001"] }
            #expect(!moved.isEmpty && moved.allSatisfy { $0 == ["321271002002001", "321271002002001"] }, "\(moved)")
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM divisions WHERE retired_on IS NOT NULL") == 0, "a move retires nothing")
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM division_history WHERE record_kind = 'building'") == 1)
        }
    }

    @Test("an apply aborted part-way (an injected failure after the residents moved) leaves the district exactly as it was")
    func killSafety() async throws {
        try await withTestApp(residents: 1200) { app in
            _ = try await app.submitRequest()
            let (id, _) = try await app.approvedOrder(mergeBody)
            let before = try await app.districtFingerprint()
            struct Killed: Error {}
            for step in ["divisions", "buildings", "residents", "requests", "accounts", "request_tallies", "audit"] {
                let q = BoundaryQueries(app.db, today: testToday)
                await #expect(throws: Killed.self) {
                    _ = try await q.apply(try #require(UUID(uuidString: id)), version: nil, columns: Capabilities.divisionColumns, in: .everything, by: .system("test"),
                                          fault: { if $0 == step { throw Killed() } })
                }
                #expect(try await app.districtFingerprint() == before, "after a failure at \(step)")
                #expect(try await app.call(.GET, "/api/v1/boundary/orders/\(id)", as: .district).json["state"].string == "approved")
            }
            // And then it applies.
            #expect(try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: [:], as: .district).status == .ok)
            #expect(try await app.districtFingerprint() != before)
        }
    }
}

@Suite("区划调整: two applies of one order at once", .serialized)
struct BoundaryConcurrencyTests {
    @Test("two applies of one order at once: one 200, one 409; the district changed once")
    func twice() async throws {
        try await withFileTestApp(residents: 600) { app in
            let (id, version) = try await app.approvedOrder(mergeBody)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: ["version": version], as: .district) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // On SQLite the second waits for the writer's lock up to the busy timeout (5 s). On a loaded machine it may
            // instead be told 503 "系统繁忙" with nothing written; asked again, it finds the order applied.
            var statuses = answers.map(\.status.code)
            if let busy = statuses.firstIndex(of: 503) {
                statuses[busy] = try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: ["version": version], as: .district).status.code
            }
            #expect(statuses.sorted() == [200, 409], "\(answers.map(\.status)) → \(statuses)")
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM divisions WHERE code = '321271002014'") == 1)
            #expect(try await app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'boundary.apply'") == 1)
        }
    }
}

@Suite("区划调整: every division column declared")
struct DivisionColumnsTests {
    @Test("every column of the schema named like a division code is declared by a capability, and every declaration names a real column")
    func declared() async throws {
        try await withTestApp(residents: 0, storage: .sqliteMemory) { app in
            let sql = try app.sql()
            var schema: Set<String> = []
            for t in try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_fluent_migrations'").all() {
                let table = try t.decode(column: "name", as: String.self)
                for c in try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all() {
                    let column = try c.decode(column: "name", as: String.self)
                    if DivisionColumn.looksLikeCode(column) { schema.insert(table + "." + column) }
                }
            }
            let declared = Set(Capabilities.divisionColumns.map { $0.table + "." + $0.column })
            #expect(schema.subtracting(declared).isEmpty, "not declared: \(schema.subtracting(declared).sorted())")
            #expect(declared.subtracting(schema).isEmpty, "declared but not in the schema: \(declared.subtracting(schema).sorted())")
            #expect(schema.contains("residents.grid_code") && schema.count > 60)
        }
    }
}
