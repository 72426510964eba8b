import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A history of requests and grid events for the demo district: spread over the past `days`, mostly
/// handled and closed, some refused, escalated or reopened, the recent ones still open in every state.
public enum DemoRequests {
    public static let defaultCount = 20_000

    /// Writes `count` requests with their steps in one transaction, then the tallies. Needs the district.
    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, count: Int, now: Int64, days: Int = 365,
                            progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        let sql = SQLHelpers.sql(db)
        let buildings = try await sql.select().columns("id", "grid_code", "latitude", "longitude", "address", "name").from(Building.schema)
            .orderBy("id").all().map { row in
                (id: try row.decode(column: "id", as: UUID.self), grid: try row.decode(column: "grid_code", as: String.self),
                 lat: try row.decode(column: "latitude", as: Double.self), lon: try row.decode(column: "longitude", as: Double.self),
                 address: try row.decode(column: "address", as: String.self) + " " + row.decode(column: "name", as: String.self))
            }
        guard !buildings.isEmpty else { throw RegistryError.invalid([FieldError("requests", "请先载入演示区")]) }
        let leaves = try await RequestQueries(db, cipher: cipher, photos: RequestPhotoStore(directory: "/nonexistent"))
            .categories().filter(\.isLeaf)
        let departments = DefaultRequestCategories.departments.map(\.code)
        try await db.writeTransaction(bulk: true) { db in
            var rng = SeededRandom(seed: seed ^ 0x5245_5155_4553_54)
            let deferred = try await SQLiteBulkLoad.dropSecondaryIndexes(on: db, tables: ["requests", "request_steps"])
            let first = try await SQLHelpers.sql(db).select().column(SQLFunction("max", args: SQLColumn("seq")), as: "m").from("requests").first()
            var seq = try first?.decode(column: "m", as: Int64?.self) ?? 0
            var requests = BulkInsert("requests", RequestRecord.columns + ["contact_cipher", "access_hash"])
            var steps = BulkInsert("request_steps", ["id", "request_id", "seq", "action", "from_status", "to_status", "level", "handler",
                                                     "actor_id", "actor", "actor_role", "at", "note", "reply"])
            var pipeline = InsertPipeline()
            do {
                for i in 0..<count {
                    seq += 1
                    let b = buildings[rng.int(0...buildings.count - 1)]
                    let c = leaves[rng.int(0...leaves.count - 1)]
                    // Older requests are rarer: the platform's use grew over the years.
                    let age = Int64(Double(days) * 86400 * pow(Double.random(in: 0..<1, using: &rng), 1.4))
                    let reported = now - age - Int64(rng.int(0...3600))
                    let limit = Int64(c.limitHours) * 3600
                    let area = b.grid
                    let origin = c.level
                    var level = origin
                    var escalations = 0
                    if rng.chance(0.05), let up = origin.next { level = up; escalations = 1 }
                    let holder = RequestRules.holder(at: level, area: area)
                    let handler = c.departmentCode.map { rng.chance(0.6) ? "dept:" + $0 : holder }
                        ?? (rng.chance(0.1) ? "dept:" + departments[rng.int(0...departments.count - 1)] : holder)
                    // How long handling takes: most within the limit, some late.
                    let takes = Int64(Double(limit) * Double.random(in: 0.15...1.35, using: &rng))
                    var trail: [(action: String, status: RequestStatus, at: Int64, note: String?, reply: String?)] = [("report", .reported, reported, nil, nil)]
                    let refused = rng.chance(0.03)
                    // A few recent ones stall with their handler: the board's red cards.
                    let stalled = age < 60 * 86400 && rng.chance(0.02)
                    func step(_ a: RequestAction, _ s: RequestStatus, after fraction: Double, note: String? = nil, reply: String? = nil) {
                        let at = reported + Int64(Double(takes) * fraction)
                        if at <= now { trail.append((a.rawValue, s, at, note, reply)) }
                    }
                    if refused {
                        step(.refuse, .refused, after: 0.05, note: "不属于受理范围", reply: "该事项不属于社区受理范围，请向相关单位反映")
                        step(.close, .closed, after: 0.1)
                    } else {
                        step(.accept, .accepted, after: 0.05)
                        if escalations > 0 { step(.escalate, .reported, after: 0.08, note: "超出\(origin.label)处置权限，上报\(level.label)") }
                        step(.dispatch, .dispatched, after: 0.1)
                        step(.start, .inProgress, after: 0.3)
                        if !stalled {
                            step(.resolve, .resolved, after: 1.0, note: "已处置完毕", reply: "问题已处理，感谢您的反映")
                            step(.verify, .verified, after: 1.08, note: "现场核查属实")
                            step(.close, .closed, after: 1.12)
                        }
                    }
                    let last = trail.last!
                    let status = last.status
                    let resolvedAt = trail.first { $0.action == RequestAction.resolve.rawValue }?.at
                    let closedAt = trail.first { $0.action == RequestAction.close.rawValue }?.at
                    var rating: Int?
                    if resolvedAt != nil, !refused, rng.chance(0.6) { rating = rng.weighted([(5, 0.5), (4, 0.3), (3, 0.12), (2, 0.05), (1, 0.03)]) }
                    let dispatched = trail.contains { $0.action == RequestAction.dispatch.rawValue }
                    let web = rng.chance(0.5)
                    let phone = web && rng.chance(0.6) ? "1\(rng.int(30...99))\(rng.int(1000_0000...9999_9999))" : nil
                    let id = rng.uuid()
                    let community = String(area.prefix(12))
                    requests.add([id, seq, c.code, status.rawValue, level.rawValue, area, community, holder, dispatched ? handler : nil,
                                  web ? "web" : "patrol", nil as UUID?, web ? rng.weighted(DemoNames.surnames) + "先生/女士" : "网格员巡查",
                                  phone.map(Masking.phone), "\(b.address)：\(c.name)，请及时处理", b.address, b.lat, b.lon, b.id, nil as String?,
                                  reported, reported + limit, resolvedAt, closedAt, escalations, rating,
                                  rating.map { $0 >= 4 ? "处理及时，满意" : "处理较慢" }, 0, trail.count, last.at,
                                  try phone.map { try cipher.seal($0) }, nil as String?])
                    var levelNow = origin
                    var previous: RequestStatus?
                    for (n, s) in trail.enumerated() {
                        if s.action == RequestAction.escalate.rawValue { levelNow = level }
                        steps.add([rng.uuid(), id, n + 1, s.action, previous?.rawValue, s.status.rawValue, levelNow.rawValue,
                                   [.dispatched, .inProgress, .resolved].contains(s.status) ? handler : nil,
                                   nil as UUID?, "(演示数据)", "system", s.at, s.note, s.reply])
                        previous = s.status
                    }
                    if requests.isFull || steps.isFull {
                        try await pipeline.submit([requests.take(), steps.take()].compactMap { $0 }, on: db)
                    }
                    if i % 5000 == 0 { progress(i, count) }
                }
                try await pipeline.submit([requests.take(), steps.take()].compactMap { $0 }, on: db)
                try await pipeline.drain()
            } catch {
                try? await pipeline.drain()
                throw error
            }
            try await SQLiteBulkLoad.recreate(deferred, on: db)
            try await AuditLog.append([AuditEvent(RequestAudit.demoLoad, detail: ["seed": String(seed), "requests": String(count)])],
                                      by: .system("demo"), on: db)
        }
        progress(count, count)
        try await RequestQueries(db, cipher: cipher, photos: RequestPhotoStore(directory: "/nonexistent")).rebuildTallies()
    }
}
