import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区生活 in the demo district: one to three venues in most communities (about two in five communities also have
/// a unit's venue opened to residents), a year of bookings and two weeks ahead (a few cancelled, a few no-shows,
/// the monthly tallies made from the same rows), and the past year's activities with their sign-ups and
/// attendance, with some still to come. Deterministic from the seed; multi-row INSERTs in one transaction.
public struct LifeDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoLife.load(on: demo.db, seed: demo.seed, now: demo.now)
        return String(format: "社区生活：场地 %d 处（辖区单位开放 %d 处），预约 %d 条，活动 %d 场，用时 %.1f 秒。",
                      s.venues, s.unitVenues, s.bookings, s.activities, Date().timeIntervalSince(started))
    }
}

public enum DemoLife {
    public struct Summary: Sendable { public var venues = 0, unitVenues = 0, bookings = 0, activities = 0 }

    static let rooms: [(name: String, address: String, capacity: Int, hours: WeeklyHours)] = [
        ("多功能活动室", "党群服务中心二楼", 60, .daily(from: 8 * 60 + 30, to: 21 * 60)),
        ("书画室", "党群服务中心三楼", 20, .daily(from: 9 * 60, to: 17 * 60, weekdays: 1...6)),
        ("乒乓球室", "社区文体活动中心一楼", 12, .daily(from: 8 * 60, to: 21 * 60)),
    ]
    static let units: [(unit: String, name: String, capacity: Int, hours: WeeklyHours)] = [
        ("实验小学", "风雨操场", 200, WeeklyHours([.init(weekday: 6, from: 8 * 60, to: 18 * 60), .init(weekday: 7, from: 8 * 60, to: 18 * 60)])),
        ("区图书馆分馆", "报告厅", 120, .daily(from: 9 * 60, to: 17 * 60, weekdays: 2...7)),
        ("科技馆", "科普教室", 40, .daily(from: 9 * 60, to: 16 * 60 + 30, weekdays: 2...6)),
        ("供电公司", "职工活动中心篮球场", 30, .daily(from: 18 * 60, to: 21 * 60)),
    ]
    static let titles: [ActivityKind: [String]] = [
        .culture: ["广场舞展演", "邻里文化节", "书画作品展", "戏曲票友会", "社区读书会"],
        .sports: ["乒乓球友谊赛", "健步走活动", "太极拳培训", "亲子趣味运动会"],
        .science: ["科普讲座：防范电信诈骗", "青少年科学实验课", "健康知识讲座"],
        .legal: ["民法典进社区", "法律咨询日", "反家庭暴力法宣传", "老年人防诈骗普法讲座"],
    ]

    public static func load(on db: any Database, seed: UInt64, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x11FE_C0DE)
        let communities = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
        var people: [String: [UUID]] = [:]
        for row in try await sql.select().columns("id", "grid_code").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).orderBy("id").all() {
            let c = String(try row.decode(column: "grid_code", as: String.self).prefix(12))
            if people[c, default: []].count < 300 { people[c, default: []].append(try row.decode(column: "id", as: UUID.self)) }
        }
        let today = LifeTime.local(now).day
        var venues = BulkInsert("life_venues", ["id", "community_code", "street_code", "name", "owner", "unit_name", "address", "capacity", "free", "fee",
                                                "hours", "facility_id", "open", "bookings", "version", "created_by", "created_at", "updated_at"])
        var bookings = BulkInsert("life_bookings", ["id", "venue_id", "community_code", "day", "start_min", "end_min", "starts_at", "purpose", "resident_id",
                                                    "activity_id", "note", "status", "booked_by", "via", "created_at", "status_by", "status_at"])
        var months = BulkInsert("life_venue_months", ["venue_id", "month", "community_code", "minutes", "bookings"])
        var activities = BulkInsert("life_activities", ["id", "community_code", "street_code", "kind", "title", "venue_id", "place", "day", "start_min", "end_min",
                                                        "starts_at", "capacity", "signed_up", "attended", "status", "description", "report", "version",
                                                        "created_by", "created_at", "updated_at"])
        var signups = BulkInsert("life_signups", ["activity_id", "resident_id", "via", "signed_by", "attended", "created_at"])
        var batches: [BulkInsert.Batch] = [], first: [BulkInsert.Batch] = []
        var heads: [String: [(household: UUID, name: String)]] = [:]
        for row in try await sql.select().columns("household_id", "name", "grid_code").from(Resident.schema)
            .where("relation", .equal, SQLBind(HouseholdRelation.head.rawValue)).where("life_status", .equal, SQLBind(LifeStatus.active.rawValue))
            .orderBy("id").all() {
            let c = String(try row.decode(column: "grid_code", as: String.self).prefix(12))
            if heads[c, default: []].count < 4, let h = try row.decode(column: "household_id", as: UUID?.self) {
                heads[c, default: []].append((h, try row.decode(column: "name", as: String.self)))
            }
        }
        var campaigns = BulkInsert("life_award_campaigns", ["id", "scope_prefix", "year", "kind", "stage", "notice_from", "notice_to", "version", "created_by",
                                                            "created_at", "decided_by", "decided_at"])
        var nominations = BulkInsert("life_award_nominations", ["id", "campaign_id", "community_code", "nominee_kind", "nominee_key", "household_id", "resident_id",
                                                                "nominee_name", "reason", "result", "objections", "nominated_by", "created_at"])
        // 文明家庭 of every street: last year's decided, this year's in its notice.
        let reasons = ["孝老爱亲，邻里和睦，热心社区公益", "家风良好，积极参加志愿服务", "勤俭持家，支持社区环境整治", "夫妻和睦，教子有方，热心帮助困难邻居"]
        for street in Array(Set(communities.map { String($0.code.prefix(9)) })).sorted() {
            for (year, decided) in [(today.year - 1, true), (today.year, false)] {
                let cid = rng.uuid()
                let from = decided ? "\(year)-11-20" : today.adding(days: -2).description, to = decided ? "\(year)-11-26" : today.adding(days: 4).description
                campaigns.add(values: [.uuid(cid), .text(street), .integer(year), .text(AwardKind.civilizedFamily.rawValue),
                                       .text(decided ? AwardStage.decided.rawValue : AwardStage.notice.rawValue), .text(from), .text(to), .integer(decided ? 3 : 2),
                                       .text("demo"), .integer(Int(now)), decided ? .text("demo") : .null, decided ? .integer(Int(now)) : .null])
                for c in communities where c.code.hasPrefix(street) {
                    for h in (heads[c.code] ?? []).prefix(2) {
                        let result: AwardResult = decided ? (rng.chance(0.8) ? .awarded : .notAwarded) : .pending
                        nominations.add(values: [.uuid(rng.uuid()), .uuid(cid), .text(c.code), .text(AwardNominee.household.rawValue), .text(h.household.uuidString),
                                                 .uuid(h.household), .null, .text(h.name), .text(reasons[rng.int(0...(reasons.count - 1))]), .text(result.rawValue),
                                                 .integer(0), .text("demo"), .integer(Int(now))])
                        if nominations.isFull, let b = nominations.take() { batches.append(b) }
                    }
                }
            }
        }
        var s = Summary()
        for c in communities {
            let pool = people[c.code] ?? []
            if c.code != "321271002001" && rng.chance(0.1) || pool.isEmpty { continue }
            var own: [(id: UUID, title: String, hours: WeeklyHours)] = []
            for (i, r) in rooms.enumerated() where i == 0 || rng.chance(0.5) {
                let id = rng.uuid()
                own.append((id, r.name, r.hours))
                venues.add(values: [.uuid(id), .text(c.code), .text(String(c.code.prefix(9))), .text(r.name), .text(VenueOwner.community.rawValue), .null,
                                    .text(c.name + r.address), .integer(r.capacity), .bool(true), .null, .text(r.hours.text), .null, .bool(true),
                                    .integer(0), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
            }
            if c.code == "321271002001" || rng.chance(0.4) {
                let u = units[rng.int(0...(units.count - 1))], id = rng.uuid()
                own.append((id, u.unit + " · " + u.name, u.hours))
                venues.add(values: [.uuid(id), .text(c.code), .text(String(c.code.prefix(9))), .text(u.name), .text(VenueOwner.unit.rawValue), .text(u.unit),
                                    .text(c.name + "辖区" + u.unit), .integer(u.capacity), .bool(true), .null, .text(u.hours.text), .null, .bool(true),
                                    .integer(0), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
                s.unitVenues += 1
            }
            if venues.isFull, let b = venues.take() { first.append(b) }
            s.venues += own.count
            for v in own {
                var tally: [String: (minutes: Int, count: Int)] = [:]
                for offset in -364...14 {
                    let day = today.adding(days: offset)
                    guard let span = v.hours.span(on: LifeTime.weekday(day)) else { continue }
                    // Up to two bookings a day, one in each half of the opening hours, so they never overlap.
                    let half = (span.to - span.from) / 60 * 30
                    for part in 0..<2 where half >= 60 && rng.chance(0.3) {
                        let from = span.from + part * half, length = min(half, 30 * rng.int(2...4))
                        let start = from + 30 * rng.int(0...((half - length) / 30)), end = start + length
                        let startsAt = LifeTime.epoch(day, minute: start)
                        if startsAt <= now && offset >= 0 { continue }
                        let past = startsAt <= now
                        let status: BookingStatus = past ? (rng.chance(0.05) ? .cancelled : rng.chance(0.03) ? .noShow : .booked) : (rng.chance(0.05) ? .cancelled : .booked)
                        let person = pool[rng.int(0...(pool.count - 1))]
                        bookings.add(values: [.uuid(rng.uuid()), .uuid(v.id), .text(c.code), .text(day.description), .integer(start), .integer(end),
                                              .integer(Int(startsAt)), .text(BookingPurpose.resident.rawValue), .uuid(person), .null, .null, .text(status.rawValue),
                                              .text("demo"), .text(rng.chance(0.7) ? "portal" : "console"), .integer(Int(startsAt) - 86_400 * rng.int(1...7)),
                                              status == .booked ? .null : .text("demo"), status == .booked ? .null : .integer(Int(startsAt))])
                        if status != .cancelled { tally[String(day.description.prefix(7)), default: (0, 0)].minutes += length; tally[String(day.description.prefix(7))]!.count += 1 }
                        s.bookings += 1
                        if bookings.isFull, let b = bookings.take() { batches.append(b) }
                    }
                }
                for (m, t) in tally.sorted(by: { $0.key < $1.key }) {
                    months.add(values: [.uuid(v.id), .text(m), .text(c.code), .integer(t.minutes), .integer(t.count)])
                    if months.isFull, let b = months.take() { batches.append(b) }
                }
            }
            // Two activities a month over the past year, three to come.
            for n in 0..<27 {
                let offset = n < 24 ? -364 + n * 15 + rng.int(0...10) : 3 + (n - 24) * 6 + rng.int(0...3)
                let day = today.adding(days: offset)
                let kind = rng.weighted([(ActivityKind.culture, 0.35), (.sports, 0.3), (.science, 0.15), (.legal, 0.2)])
                let names = titles[kind] ?? ["社区活动"]
                let title = names[rng.int(0...(names.count - 1))]
                let v = own[rng.int(0...(own.count - 1))]
                let start = 9 * 60 + 30 * rng.int(0...14), end = start + 90
                let startsAt = LifeTime.epoch(day, minute: start), held = startsAt <= now
                let capacity = 10 * rng.int(2...5)
                let chosen = Array(Set((0..<rng.int(3...min(capacity, 25))).map { _ in pool[rng.int(0...(pool.count - 1))] })).sorted { $0.uuidString < $1.uuidString }
                let id = rng.uuid()
                var came = 0
                for p in chosen {
                    let attended = held && rng.chance(0.85)
                    if attended { came += 1 }
                    signups.add(values: [.uuid(id), .uuid(p), .text(rng.chance(0.6) ? "portal" : "console"), .text("demo"), .bool(attended), .integer(Int(startsAt) - 86_400 * 3)])
                    if signups.isFull, let b = signups.take() { batches.append(b) }
                }
                let walkIns = held ? rng.int(0...15) : 0
                activities.add(values: [.uuid(id), .text(c.code), .text(String(c.code.prefix(9))), .text(kind.rawValue), .text(title), .uuid(v.id), .text(v.title),
                                        .text(day.description), .integer(start), .integer(end), .integer(Int(startsAt)), .integer(capacity), .integer(chosen.count),
                                        .integer(came + walkIns), .text(held ? ActivityStatus.held.rawValue : ActivityStatus.planned.rawValue),
                                        .text("\(c.name)居民\(kind.label)，欢迎报名参加。"), held ? .text("活动按计划举办，到场\(came + walkIns)人。") : .null,
                                        .integer(1), .text("demo"), .integer(Int(startsAt) - 86_400 * 10), .integer(Int(now))])
                s.activities += 1
                if activities.isFull, let b = activities.take() { first.append(b) }
            }
        }
        try await db.writeTransaction(bulk: true) { [venues, bookings, months, activities, signups, batches, first, campaigns, nominations] db in
            var campaigns = campaigns, nominations = nominations
            var venues = venues, bookings = bookings, months = months, activities = activities, signups = signups
            // Venues and activities before the rows that name them.
            for b in first { try await b.run(on: db) }
            try await venues.flush(on: db)
            try await activities.flush(on: db)
            try await campaigns.flush(on: db)
            for b in batches { try await b.run(on: db) }
            try await bookings.flush(on: db)
            try await months.flush(on: db)
            try await signups.flush(on: db)
            try await nominations.flush(on: db)
            // The community's own rooms are in its 文化活动室 of the facility register (loaded before this).
            try await SQLHelpers.sql(db).raw("""
                UPDATE life_venues SET facility_id = (SELECT f.id FROM facilities f WHERE f.community_code = life_venues.community_code
                AND f.kind = 'culture_room' ORDER BY f.name, f.id LIMIT 1) WHERE owner = 'community'
                """).run()
            try await AuditLog.append([AuditEvent(LifeAudit.demoLoad, target: .table("life_venues"))], by: .system("demo"), on: db)
        }
        return s
    }
}
