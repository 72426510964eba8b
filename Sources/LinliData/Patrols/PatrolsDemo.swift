import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网格巡查 in the demo district: a year of rounds for every grid (the 52 whole weeks before this one and this week so
/// far), each of three to six buildings of its grid, walked by the grid's 网格员 in the daytime. Most grid-weeks meet
/// the norm of 5; about one in eight falls short, and a few grids fall short often. In the last two weeks a few
/// visits found something, each a grid event in the requests workflow (written as a real filing is). The tally per
/// grid and week is written with the rounds. Deterministic by seed; bulk inserts in one transaction.
public struct PatrolsDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoPatrols.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return "网格巡查：\(s.rounds) 轮、巡查点 \(s.visits) 个，网格周达标 \(s.met)/\(s.gridWeeks)，发现问题上报网格事件 \(s.events) 件。"
    }
}

public enum DemoPatrols {
    public struct Summary: Sendable { public var rounds = 0, visits = 0, gridWeeks = 0, met = 0, events = 0 }

    static let surnames = Array("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗")
    static let given = ["海燕", "志强", "春梅", "建华", "丽萍", "晓东", "红梅", "国庆", "文静", "永兵"]
    /// What the demo's findings were, by category.
    static let findings: [(code: String, text: String)] = [
        ("SJ0101", "楼道口堆放装修垃圾，已提醒住户清理"),
        ("SJ0301", "消防通道被私家车占用"),
        ("SJ0302", "楼道内电动车飞线充电"),
        ("BJ0302", "单元楼道照明损坏"),
        ("SJ0401", "小区侧门门禁损坏，外来人员随意进出"),
    ]

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        let seeded = SeededRandom(seed: seed ^ 0x9A7_201)
        var buildings: [String: [UUID]] = [:]
        for row in try await sql.select().columns("id", "grid_code").from(Building.schema).orderBy("grid_code").orderBy("id").all() {
            buildings[try row.decode(column: "grid_code", as: String.self), default: []].append(try row.decode(column: "id", as: UUID.self))
        }
        let grids = buildings.keys.sorted(), stockByGrid = buildings
        let norm = try await PatrolsQueries.settings(on: db).weeklyNorm
        let this = PatrolWeek(containing: today)
        let weeks = PatrolWeek.completed(52, before: today) + [this]
        let roundColumns = ["id", "grid_code", "walker_account_id", "walker_name", "started_at", "ended_at", "week", "visits", "findings", "counted",
                            "open_walker", "version"]
        let visitColumns = ["id", "round_id", "seq", "building_id", "latitude", "longitude", "visited_at", "finding", "note", "request_id", "request_seq"]
        return try await db.writeTransaction(bulk: true) { db in
            var s = Summary(), rng = seeded
            var events: [(round: UUID, grid: String, building: UUID, at: Int64, seq: Int)] = []
            var rounds = BulkInsert("patrol_rounds", roundColumns), visits = BulkInsert("patrol_visits", visitColumns)
            var tallies = BulkInsert("patrol_weeks", ["grid_code", "week", "rounds", "visits", "findings"])
            for grid in grids {
                let stock = stockByGrid[grid]!
                let walker = rng.uuid()
                let name = String(surnames[rng.int(0...surnames.count - 1)]) + given[rng.int(0...given.count - 1)]
                // A few grids fall short often (a post left vacant for months, a long sick leave).
                let weak = rng.chance(0.06)
                for week in weeks {
                    let shortfall = rng.chance(weak ? 0.55 : 0.1)
                    let n = shortfall ? rng.int(0...max(0, norm - 1)) : norm + rng.int(0...2)
                    var roundVisits = 0, roundsCounted = 0
                    for r in 0..<n {
                        // Mostly weekdays, 08:30 to 17:00 local time; this week only up to now.
                        let day = week.monday.adding(days: r * 7 / n)
                        let start = Int64(day.dayNumber) * 86_400 - 8 * 3600 + Int64(rng.int(510...960)) * 60
                        let stops = min(stock.count, rng.int(3...6))
                        let end = start + Int64(stops * rng.int(6...15) * 60)
                        if end > now { break }
                        let id = rng.uuid()
                        rounds.add([id, grid, walker, name, start, end, week.code, stops, 0, true, Optional<UUID>.none, 2])
                        for v in 0..<stops {
                            let building = stock[rng.int(0...stock.count - 1)]
                            let at = start + Int64(v) * (end - start) / Int64(max(stops, 1))
                            if week >= this.previous, rng.chance(0.004), events.count < 60 {
                                events.append((id, grid, building, at, v + 1))
                                continue
                            }
                            visits.add([rng.uuid(), id, v + 1, building, Optional<Double>.none, Optional<Double>.none, at, PatrolFinding.nothing.rawValue,
                                        Optional<String>.none, Optional<UUID>.none, Optional<Int64>.none])
                            // A visit names its round: the rounds buffered so far go in first.
                            if visits.isFull { try await rounds.flush(on: db); try await visits.flush(on: db) }
                        }
                        if rounds.isFull { try await rounds.flush(on: db) }
                        roundVisits += stops
                        roundsCounted += 1
                    }
                    s.rounds += roundsCounted
                    s.visits += roundVisits
                    if week != this {
                        s.gridWeeks += 1
                        if PatrolRules.met(rounds: roundsCounted, norm: norm) { s.met += 1 }
                    }
                    if roundsCounted > 0 {
                        tallies.add([grid, week.code, Int64(roundsCounted), Int64(roundVisits), Int64(0)])
                        if tallies.isFull { try await tallies.flush(on: db) }
                    }
                }
            }
            for var b in [rounds, visits, tallies] { try await b.flush(on: db) }
            // The findings: real filings, each with its step, tally and audit entry, and the visit pointing at it.
            let requests = RequestQueries(db, cipher: cipher, photos: RequestPhotoStore(directory: "/nonexistent"))
            let actor = AuditActor.system("demo")
            for e in events {
                let f = findings[rng.int(0...findings.count - 1)]
                let draft = RequestDraft(categoryCode: f.code, description: f.text, buildingID: e.building, reporterName: "网格员", channel: "patrol")
                let prepared = try await requests.prepare(draft, accountID: nil, now: e.at,
                                                          location: RequestLocation(areaCode: e.grid, buildingID: e.building, latitude: nil, longitude: nil,
                                                                                    address: nil))
                let r = try await RequestQueries.write(prepared, reporter: actor, on: db)
                try await SQLHelpers.sql(db).insert(into: "patrol_visits").columns(visitColumns)
                    .values(SQLBind(rng.uuid()), SQLBind(e.round), SQLBind(e.seq), SQLBind(e.building), SQLBind(Double?.none), SQLBind(Double?.none),
                            SQLBind(e.at), SQLBind(PatrolFinding.event.rawValue), SQLBind("发现问题，已上报"), SQLBind(r.id), SQLBind(r.seq)).run()
                try await SQLHelpers.sql(db).raw("UPDATE patrol_rounds SET findings = findings + 1 WHERE id = \(bind: e.round)").run()
                let week = try await SQLHelpers.sql(db).raw("SELECT week FROM patrol_rounds WHERE id = \(bind: e.round)").first()?.decode(column: "week", as: Int.self)
                if let week {
                    try await SQLHelpers.sql(db).raw("UPDATE patrol_weeks SET findings = findings + 1 WHERE grid_code = \(bind: e.grid) AND week = \(bind: week)").run()
                }
                s.events += 1
            }
            try await AuditLog.append([AuditEvent(PatrolsAudit.demoLoad, target: .table("patrol_rounds"),
                                                  detail: ["rounds": String(s.rounds), "events": String(s.events)])], by: actor, on: db)
            return s
        }
    }
}
