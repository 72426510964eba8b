import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// The id of a building of `grid`.
    func building(in grid: String) async throws -> String {
        let row = try #require(try await sql().raw("SELECT id FROM buildings WHERE grid_code = \(bind: grid) ORDER BY id LIMIT 1").first())
        return try row.decode(column: "id", as: UUID.self).uuidString
    }

    /// The id of a building of another grid than `grid` (the demo's small district leaves some grids without one).
    func building(outside grid: String) async throws -> String {
        let row = try #require(try await sql().raw("SELECT id FROM buildings WHERE grid_code <> \(bind: grid) ORDER BY grid_code, id LIMIT 1").first())
        return try row.decode(column: "id", as: UUID.self).uuidString
    }

    /// The middle of a grid's boundary (the demo's grids are rectangles).
    func middle(of grid: String) async throws -> (lat: Double, lon: Double) {
        let row = try #require(try await sql().raw("SELECT boundary FROM divisions WHERE code = \(bind: grid)").first())
        struct Polygon: Decodable { var coordinates: [[[Double]]] }
        let ring = try #require(try JSONDecoder().decode(Polygon.self, from: Data(try row.decode(column: "boundary", as: String.self).utf8)).coordinates.first)
        let lons = ring.map { $0[0] }, lats = ring.map { $0[1] }
        return ((lats.min()! + lats.max()!) / 2, (lons.min()! + lons.max()!) / 2)
    }

    func startRound(as user: TestUser = .grid, grid: String? = nil) async throws -> APIResponse {
        try await call(.POST, "/api/v1/patrols/rounds", json: grid.map { ["grid_code": $0] } ?? [:], as: user)
    }
}

@Suite("网格巡查: the API", .serialized)
struct PatrolsTests {
    static let grid = "321271002001001"
    static let neighbour = "321271002001002"

    @Test("a round: start, visits of a building and a point in the grid, a finding that is a grid event in the same step, end; bad input names its field and writes nothing")
    func round() async throws {
        try await withTestApp(residents: 400) { app in
            let started = try await app.startRound()
            #expect(started.status == .created && started.json["grid_code"].string == Self.grid && started.json["status"].string == "open", "\(started.text)")
            let id = try #require(started.json["id"].string)
            let current = try await app.call(.GET, "/api/v1/patrols/rounds/current", as: .grid)
            #expect(current.status == .ok && current.json["round"]["id"].string == id)
            // A second start while one is open.
            let again = try await app.startRound()
            #expect(again.status == .conflict && again.json.errorFields == ["round"], "\(again.text)")

            let building = try await app.building(in: Self.grid)
            let v1 = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits", json: ["building_id": building, "finding": "none"], as: .grid)
            #expect(v1.status == .created && v1.json["visit"]["seq"].int == 1 && v1.json["round"]["visits"].int == 1, "\(v1.text)")
            let inside = try await app.middle(of: Self.grid)
            let v2 = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits",
                                        json: ["latitude": inside.lat, "longitude": inside.lon, "finding": "none", "note": "沿街巡查"], as: .grid)
            #expect(v2.status == .created && v2.json["visit"]["seq"].int == 2, "\(v2.text)")

            // Bad input: a point outside the grid, a building of another grid, both at once, a finding without its event: 422, nothing written.
            let visitsBefore = try await app.rowCount("patrol_visits"), requestsBefore = try await app.rowCount("requests")
            let outside = try await app.middle(of: Self.neighbour)
            let far = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits",
                                         json: ["latitude": outside.lat, "longitude": outside.lon, "finding": "event", "category_code": "SJ0101", "description": "堆物"],
                                         as: .grid)
            #expect(far.status == .unprocessableEntity && far.isProblem && far.json.errorFields == ["latitude"], "\(far.text)")
            #expect(far.text.contains("巡查点不在"))
            let other = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits",
                                           json: ["building_id": try await app.building(outside: Self.grid), "finding": "none"], as: .grid)
            #expect(other.status == .unprocessableEntity && other.json.errorFields == ["building_id"], "\(other.text)")
            let both = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits", json: ["building_id": building, "latitude": inside.lat,
                                                                                             "longitude": inside.lon, "finding": "none"], as: .grid)
            #expect(both.status == .unprocessableEntity && both.json.errorFields == ["latitude"], "\(both.text)")
            let bare = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits", json: ["building_id": building, "finding": "event"], as: .grid)
            #expect(bare.status == .unprocessableEntity && Set(bare.json.errorFields) == ["category_code", "description"], "\(bare.text)")
            let group = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits",
                                           json: ["building_id": building, "finding": "event", "category_code": "SJ01", "description": "堆物"], as: .grid)
            #expect(group.status == .unprocessableEntity && group.json.errorFields == ["category_code"], "\(group.text)")
            let junk = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits", json: ["building_id": "x", "finding": "maybe"], as: .grid)
            #expect(junk.status == .unprocessableEntity && Set(junk.json.errorFields) == ["building_id", "finding"], "\(junk.text)")
            #expect(try await app.rowCount("patrol_visits") == visitsBefore)
            #expect(try await app.rowCount("requests") == requestsBefore)

            // A finding: the grid event is filed in the visit's own step, in the round's grid, by the patrol channel.
            let found = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits",
                                           json: ["building_id": building, "finding": "event", "category_code": "SJ0302", "description": "楼道内电动车飞线充电"],
                                           as: .grid)
            #expect(found.status == .created && found.json["visit"]["finding"].string == "event", "\(found.text)")
            let requestID = try #require(found.json["visit"]["request_id"].string)
            #expect(try await app.rowCount("requests") == requestsBefore + 1)
            let event = try await app.call(.GET, "/api/v1/requests/\(requestID)", as: .worker)
            #expect(event.status == .ok && event.json["area_code"].string == Self.grid && event.json["channel"].string == "patrol", "\(event.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'request.submit'") >= 1)

            // Only the walker adds to or ends the round; outside the area it is not found.
            #expect(try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/end", as: .worker).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/patrols/rounds/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/patrols/rounds/\(id)", as: .street).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/patrols/rounds", json: [:], as: .street).status == .forbidden)

            let ended = try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/end", as: .grid)
            #expect(ended.status == .ok && ended.json["status"].string == "ended" && ended.json["counted"].flag == true && ended.json["findings"].int == 1,
                    "\(ended.text)")
            #expect(try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/end", as: .grid).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/patrols/rounds/\(id)/visits", json: ["building_id": building, "finding": "none"], as: .grid).status
                    == .conflict)
            #expect(try await app.call(.GET, "/api/v1/patrols/rounds/current", as: .grid).status == .notFound)

            // The week's tally, the board and the list.
            let tally = try #require(try await app.sql().raw("SELECT rounds, visits, findings FROM patrol_weeks WHERE grid_code = \(bind: Self.grid)").first())
            #expect(try tally.decode(column: "rounds", as: Int.self) == 1 && tally.decode(column: "visits", as: Int.self) == 3
                    && tally.decode(column: "findings", as: Int.self) == 1)
            let board = try await app.call(.GET, "/api/v1/patrols/board?all=true", as: .street)
            let row = try #require(board.json["rows"].array.first { $0["grid_code"].string == Self.grid }, "\(board.text)")
            #expect(row["this_week"].int == 1 && row["this_week_met"].flag == false && board.json["weekly_norm"].int == 5)
            #expect(board.json["grids"].int == board.json["rows"].array.count)
            let missed = try await app.call(.GET, "/api/v1/patrols/board", as: .street)
            #expect(missed.status == .ok && missed.json["missed_last_week"].int == board.json["grids"].int)
            let list = try await app.call(.GET, "/api/v1/patrols/rounds?grid=\(Self.grid)&status=ended", as: .street)
            #expect(list.status == .ok && list.json["total"].int == 1 && list.json["items"][0]["visits"].int == 3)
            #expect(try await app.call(.GET, "/api/v1/patrols/rounds?week=2026-W99", as: .street).status == .badRequest)
            let detail = try await app.call(.GET, "/api/v1/patrols/rounds/\(id)", as: .grid)
            #expect(detail.json["visits"].array.map { $0["seq"].int ?? 0 } == [1, 2, 3])

            // A round ended with no visit does not count.
            let empty = try #require(try await app.startRound().json["id"].string)
            let nothing = try await app.call(.POST, "/api/v1/patrols/rounds/\(empty)/end", as: .grid)
            #expect(nothing.status == .ok && nothing.json["counted"].flag == false)
            let rounds = try #require(try await app.sql().raw("SELECT rounds FROM patrol_weeks WHERE grid_code = \(bind: Self.grid)").first())
            #expect(try rounds.decode(column: "rounds", as: Int.self) == 1)

            // The export is audited.
            let before = try await app.rowCount("audit_log WHERE action = 'patrols.export'")
            let file = try await app.call(.GET, "/api/v1/patrols/rounds/export.xlsx", as: .street)
            #expect(file.status == .ok && file.headers.contentType?.subType.contains("spreadsheetml") == true)
            #expect(try await app.rowCount("audit_log WHERE action = 'patrols.export'") == before + 1)
        }
    }

    @Test("the norm: the district sets it at the version read; out of range 422, stale 409, a street 403")
    func norm() async throws {
        try await withTestApp(residents: 100) { app in
            let s = try await app.call(.GET, "/api/v1/patrols/settings", as: .street)
            #expect(s.status == .ok && s.json["weekly_norm"].int == 5 && s.json["version"].int == 1)
            let bad = try await app.call(.PUT, "/api/v1/patrols/settings", json: ["weekly_norm": 0, "version": 1], as: .district)
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["weekly_norm"], "\(bad.text)")
            #expect(try await app.call(.PUT, "/api/v1/patrols/settings", json: ["weekly_norm": 3, "version": 1], as: .street).status == .forbidden)
            let ok = try await app.call(.PUT, "/api/v1/patrols/settings", json: ["weekly_norm": 3, "version": 1], as: .district)
            #expect(ok.status == .ok && ok.json["weekly_norm"].int == 3 && ok.json["version"].int == 2, "\(ok.text)")
            #expect(try await app.call(.PUT, "/api/v1/patrols/settings", json: ["weekly_norm": 4, "version": 1], as: .district).status == .conflict)
            #expect(try await app.rowCount("audit_log WHERE action = 'patrols.settings'") == 1)
        }
    }

    @Test("the indicators: grid-weeks that met the norm over the last four whole weeks, every grid counted, and rounds per grid-week")
    func indicators() async throws {
        try await withTestApp(residents: 400) { app in
            let weeks = PatrolWeek.completed(PatrolsIndicators.weeks, before: testToday)
            let rows: [(String, Int, Int)] = [(Self.grid, weeks[0].code, 5), (Self.grid, weeks[1].code, 5), (Self.grid, weeks[2].code, 3),
                                              (Self.grid, weeks[3].code, 6), (Self.neighbour, weeks[3].code, 5),
                                              // Outside the window: not counted.
                                              (Self.neighbour, weeks[0].previous.code, 9)]
            for (grid, week, n) in rows {
                try await app.sql().raw("INSERT INTO patrol_weeks (grid_code, week, rounds, visits, findings) VALUES (\(bind: grid), \(bind: week), \(bind: Int64(n)), \(bind: Int64(n * 3)), 0)").run()
            }
            let grids = try await app.rowCount("divisions WHERE level = 'grid' AND code LIKE '321271002001%'")
            let body = try await app.call(.GET, "/api/v1/indicators?division=321271002001", as: .worker).json
            let met = JSONValue(body["indicators"].array.first { $0["indicator"]["code"].string == "patrols.norm_met" }?.raw)
            let perWeek = JSONValue(body["indicators"].array.first { $0["indicator"]["code"].string == "patrols.rounds_per_grid_week" }?.raw)
            let metValue = try #require(met["value"].double, "\(body)")
            #expect(abs(metValue - 4.0 / Double(grids * 4) * 100) < 0.01)
            let perValue = try #require(perWeek["value"].double)
            #expect(abs(perValue - 24.0 / Double(grids * 4)) < 0.01)
        }
    }

    @Test("police office services: filed by a resident, straight in the police office's queue, dispatched, with the category's time limit")
    func policeOffice() async throws {
        try await withTestApp(residents: 300) { app in
            let building = try await app.building(in: Self.grid)
            let filed = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "JW0104", "description": "为行动不便的老人代办户口迁移",
                                                                              "building_id": building], as: .resident)
            #expect(filed.status == .created, "\(filed.text)")
            let id = try #require(filed.json["id"].string), uuid = try #require(UUID(uuidString: id))
            let row = try #require(try await app.sql().raw("SELECT status, handler, reported_at, due_at FROM requests WHERE id = \(bind: uuid)").first())
            #expect(try row.decode(column: "status", as: String.self) == "dispatched" && row.decode(column: "handler", as: String.self) == "dept:JW")
            #expect(try row.decode(column: "due_at", as: Int64.self) - row.decode(column: "reported_at", as: Int64.self) == 168 * 3600)
            // The police office's queue (its department scope) holds it; another department's does not.
            let q = RequestQueries(app.db, cipher: testCipher, photos: app.requestQueries.photoStore)
            #expect(try await q.find(id: uuid, in: .department("JW")) != nil)
            #expect(try await q.find(id: uuid, in: .department("CG")) == nil)
            // A category of the default tree still waits at its community.
            let other = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0401", "description": "小区侧门门禁损坏", "building_id": building],
                                           as: .resident)
            #expect(other.status == .created && other.json["status"].string == "reported", "\(other.text)")
            // The group is listed with its leaves.
            let services = try await app.call(.GET, "/open311/v2/services.json", as: .anonymous).json.array
            #expect(services.contains { $0["service_code"].string == "JW0101" && $0["service_name"].string == "纠纷调解" })
        }
    }
}

@Suite("网格巡查: one open round per walker, whoever races", .serialized)
struct PatrolsConcurrencyTests {
    @Test("six starts at once by one walker: one 201, five 409 at round; one open round stored, one audit entry")
    func starts() async throws {
        try await withFileTestApp(residents: 300) { app in
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await app.startRound() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .conflict }
            #expect(refused.count == 5 && refused.allSatisfy { $0.json.errorFields == ["round"] }, "\(answers.map(\.text))")
            #expect(try await app.rowCount("patrol_rounds") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'patrols.start'") == 1)
        }
    }
}

extension JSONValue {
    /// A JSON true or false.
    var flag: Bool? { (raw as? Bool) ?? (raw as? NSNumber)?.boolValue }
}
