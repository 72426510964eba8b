import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 四位一体协调会 in the demo district: about half the compounds a company manages, and one in five of the others, held a
/// coordination meeting in the last few weeks, with every party the compound could send (so the ones nobody manages
/// show two parties of two) and one resolution, done when its due date has passed. Written as the self-government
/// capability's 事务协调会, so they are in its lists and its standard's count.
enum DemoCoordination {
    static let topics: [(String, String, String)] = [
        ("小区停车秩序协调", "地面车位划线；消防通道占用；外来车辆管理", "物业月底前完成地面车位划线，民警协助清理占用消防通道车辆"),
        ("电动车充电安全协调", "楼道充电隐患；集中充电桩选址", "业委会牵头选址，物业安装集中充电桩，民警开展消防安全宣传"),
        ("小区环境整治协调", "楼道堆物；垃圾分类投放点；绿化补种", "物业清理楼道堆物，居委会组织志愿者督导垃圾分类"),
        ("物业服务质量协调", "维修响应时间；公共收益公示", "物业按季度公示公共收益，报修24小时内响应"),
    ]
    static let names = ["李红", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴刚", "徐莉", "孙浩"]

    static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x4_1D1A)
        let day = today.description
        let rows = try await sql.raw("""
            SELECT c.id, c.community_code, c.name, c.quasi_services, co.id AS company_id, co.name AS company,
                   (SELECT m.id FROM property_committees m WHERE m.compound_id = c.id AND m.starts_on <= \(bind: day) AND m.ends_on >= \(bind: day)
                    ORDER BY m.starts_on DESC LIMIT 1) AS committee_id
            FROM property_compounds c
            LEFT JOIN property_contracts k ON k.compound_id = c.id AND k.starts_on <= \(bind: day) AND k.ends_on >= \(bind: day)
            LEFT JOIN property_companies co ON co.id = k.company_id
            ORDER BY c.community_code, c.name, c.id
            """).all()
        var meetings = BulkInsert("deliberation_meetings", ["id", "community_code", "kind", "title", "agenda", "held_on", "place", "residents", "other_residents",
                                                            "units", "officials", "minutes", "resolutions", "version", "recorded_by", "created_at", "updated_at"])
        var resolutions = BulkInsert("deliberation_resolutions", ["id", "meeting_id", "community_code", "held_on", "text", "owner", "due_on", "state", "done_on",
                                                                  "request_number", "version", "created_at"])
        var followUps = BulkInsert("deliberation_followups", ["id", "resolution_id", "on_date", "note", "done", "recorded_by", "created_at"])
        var links = BulkInsert("property_meetings", ["meeting_id", "compound_id", "community_code", "held_on", "company_id", "committee_id", "residents_committee",
                                                     "property_manager", "owners_committee", "police", "parties", "expected"])
        var made = 0
        for row in rows {
            let company = try row.decode(column: "company", as: String?.self), companyId = try row.decode(column: "company_id", as: UUID?.self)
            guard rng.chance(company != nil ? 0.5 : 0.2) else { continue }
            let id = try row.decode(column: "id", as: UUID.self), community = try row.decode(column: "community_code", as: String.self)
            let name = try row.decode(column: "name", as: String.self)
            let committeeId = try row.decode(column: "committee_id", as: UUID?.self)
            let services = PropertyService.decode(try row.decode(column: "quasi_services", as: String.self))
            let quasi = company == nil && !services.isEmpty
            let setting = CoordinationSetting(company: company, quasi: quasi, ownersCommittee: committeeId != nil)
            func person() -> String { names[rng.int(0...(names.count - 1))] }
            var attendees: [CoordinationParty: String] = [.residentsCommittee: person() + "（居委会主任）", .police: person() + "（社区民警）"]
            if company != nil || quasi { attendees[.propertyManager] = person() + (quasi ? "（社区物业服务站）" : "（项目经理）") }
            if committeeId != nil { attendees[.ownersCommittee] = person() + "（业委会主任）" }
            let (topic, agenda, outcome) = topics[rng.int(0...(topics.count - 1))]
            let held = today.adding(days: -rng.int(3...28)), due = held.adding(days: 14), done = due < today
            let input = CoordinationInput(title: "\(name)\(topic)", agenda: agenda, heldOn: held, place: "社区党群服务中心议事厅", attendees: attendees)
            let lines = CoordinationRules.lines(input, setting, compound: name)
            let mid = rng.uuid(), rid = rng.uuid()
            meetings.add(values: [.uuid(mid), .text(community), .text(MeetingKind.coordination.rawValue), .text(input.title!), .text(agenda), .text(held.description),
                                  .text(input.place!), .integer(0), .integer(0), .text(lines.units.joined(separator: "\n")), .text(lines.officials.joined(separator: "\n")),
                                  .text("四方围绕“\(topic)”协商，形成决议1项。"), .integer(1), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
            resolutions.add(values: [.uuid(rid), .uuid(mid), .text(community), .text(held.description), .text(outcome), .text(company ?? "社区居委会"),
                                     .text(due.description), .text((done ? ResolutionState.done : .open).rawValue), done ? .text(due.adding(days: -2).description) : .null,
                                     .null, .integer(done ? 2 : 1), .integer(Int(now))])
            if done {
                followUps.add(values: [.uuid(rng.uuid()), .uuid(rid), .text(due.adding(days: -2).description), .text("四方现场查看，已按决议落实"), .bool(true),
                                       .text("demo"), .integer(Int(now))])
            }
            let present = CoordinationParty.allCases.map { input.attendee($0) }
            links.add(values: [.uuid(mid), .uuid(id), .text(community), .text(held.description), companyId.map { .uuid($0) } ?? .null,
                               committeeId.map { .uuid($0) } ?? .null] + present.map { $0.map { .text($0) } ?? .null }
                      + [.integer(present.compactMap { $0 }.count), .integer(setting.expected.count)])
            made += 1
        }
        guard made > 0 else { return 0 }
        try await db.writeTransaction(bulk: true) { [meetings, resolutions, followUps, links] db in
            // The meetings before what refers to them.
            for var b in [meetings, resolutions, followUps, links] { try await b.flush(on: db) }
        }
        return made
    }
}
