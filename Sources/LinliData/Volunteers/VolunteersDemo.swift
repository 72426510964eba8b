import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 志愿者 in the demo district: about 12–16 % of the residents registered (the rate drawn per community between
/// 10 % and 19 %, so some communities meet the plan's 15 % and some do not), most signed, a few minors with their
/// guardian's consent; two teams per community; a year of activities (and two weeks ahead) with sign-ups,
/// check-ins and verified hours, those of the last seven days still to verify, a few corrections; earlier years'
/// service of the long-standing volunteers, so that some have stars; 寺巷社区's 低保 recipients serve (the demo's
/// resident account is one of them). The totals (each volunteer's, each team's,
/// each community's month) are computed as the writes would keep them. Deterministic from the seed; multi-row
/// INSERTs in one transaction.
public struct VolunteersDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoVolunteers.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        let underProjects = try await DemoVolunteers.linkProjects(on: demo.db)
        return String(format: "志愿者：注册 %d 人（占居民 %.1f%%），服务队 %d 支，近一年活动 %d 次（其中购买服务项目 %d 次）、报名 %d 人次、服务时长记录 %d 条，用时 %.1f 秒。",
                      s.volunteers, s.residents == 0 ? 0 : Double(s.volunteers) * 100 / Double(s.residents), s.teams, s.activities, underProjects,
                      s.signups, s.entries, Date().timeIntervalSince(started))
    }
}

public enum DemoVolunteers {
    public struct Summary: Sendable { public var residents = 0, volunteers = 0, teams = 0, activities = 0, signups = 0, entries = 0 }

    static let titles: [(String, VolunteerSkill?)] = [
        ("关爱空巢老人上门探访", .eldercare), ("社区环境清洁日", .environment), ("义诊和健康咨询", .medical), ("青少年课业辅导", .tutoring),
        ("治安巡逻", .patrol), ("法律咨询进社区", .legal), ("家电义务维修", .repair), ("垃圾分类宣传", .environment), ("文艺汇演排练", .culture),
        ("智能手机使用教学", .it), ("应急演练", .emergency), ("心理健康讲座", .counselling),
    ]

    struct Person { let id: UUID; let born: CivilDate }
    struct Vol { let id: UUID; let community: String; var minutes = 0; var last: String? ; let signed: Bool; let core: Bool }

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x70_1A_7EE5)
        var people: [String: [Person]] = [:]
        var summary = Summary()
        for row in try await sql.select().columns("id", "grid_code", "birth_date").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).orderBy("id").all() {
            summary.residents += 1
            guard let born = CivilDate(try row.decode(column: "birth_date", as: String.self)) else { continue }
            let age = born.age(on: today)
            guard (14...78).contains(age) else { continue }
            people[String(try row.decode(column: "grid_code", as: String.self).prefix(12)), default: []].append(Person(id: try row.decode(column: "id", as: UUID.self), born: born))
        }
        // 低保 recipients of 寺巷社区 serve in the community (社区公益服务): the demo's resident account is one of them.
        let recipients = Set(try await sql.raw("""
            SELECT applicant_id FROM assistance_cases WHERE community_code = '321271002001' AND kind = 'dibao' AND stage = 'approved'
            """).all().map { try $0.decode(column: "applicant_id", as: UUID.self) })
        var population: [String: Int] = [:]
        for row in try await sql.raw("SELECT SUBSTR(grid_code, 1, 12) AS c, CAST(COUNT(*) AS BIGINT) AS n FROM residents WHERE life_status = 'active' GROUP BY SUBSTR(grid_code, 1, 12)").all() {
            population[try row.decode(column: "c", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }

        var volunteerRows = BulkInsert("volunteers", ["id", "resident_id", "community_code", "state", "skills", "skill_note", "service_areas", "availability",
                                                      "registered_on", "confirmed_on", "signed_on", "terms_version", "signature", "guardian_name",
                                                      "guardian_relation", "guardian_consent_on", "withdrawn_on", "minutes", "last_served_on", "registered_via",
                                                      "version", "created_by", "created_at", "updated_at"])
        var teamRows = BulkInsert("volunteer_teams", ["id", "community_code", "name", "kind", "skill", "organization_id", "leader_id", "members", "minutes",
                                                      "version", "created_by", "created_at"])
        var memberRows = BulkInsert("volunteer_team_members", ["team_id", "volunteer_id", "joined_on"])
        var activityRows = BulkInsert("volunteer_activities", ["id", "community_code", "team_id", "organization_id", "project_id", "title", "place", "detail",
                                                               "skills", "starts_at", "ends_at", "places", "taken", "code", "created_by", "created_at"])
        var signupRows = BulkInsert("volunteer_signups", ["id", "activity_id", "volunteer_id", "via", "signed_up_at", "check_in_at", "check_out_at",
                                                          "proposed_minutes", "verified_minutes", "verified_at", "verified_by"])
        var hourRows = BulkInsert("volunteer_hours", ["id", "volunteer_id", "community_code", "signup_id", "activity_id", "team_id", "kind", "minutes",
                                                      "reason", "served_on", "recorded_by", "created_at"])
        var monthly: [String: (r: Int, a: Int, m: Int)] = [:]
        var batches: [BulkInsert.Batch] = []
        var totals: [(UUID, Int, String?)] = []
        var teamUpdates: [(UUID, Int)] = []
        func flushIfFull(_ b: inout BulkInsert) { if b.isFull, let t = b.take() { batches.append(t) } }

        let skills = VolunteerSkill.allCases, areas = VolunteerServiceArea.allCases, times = VolunteerAvailability.allCases
        let offset: Int64 = 8 * 3600
        for community in people.keys.sorted() {
            var pool = people[community] ?? []
            let first = pool.filter { recipients.contains($0.id) }
            pool = first + pool.filter { !recipients.contains($0.id) }
            let rate = community == "321271002001" ? 0.16 : 0.10 + Double(rng.int(0...90)) / 1000
            let wanted = min(pool.count, Int(Double(population[community] ?? 0) * rate))
            var vols: [Vol] = []
            for k in 0..<wanted {
                let recipient = k < first.count
                let p = pool.remove(at: recipient ? 0 : rng.int(0...(pool.count - 1)))
                let id = rng.uuid()
                let registered = today.adding(days: -rng.int(20...1500))
                let drawn: VolunteerState = rng.weighted([(.signed, 0.86), (.confirmed, 0.06), (.applied, 0.05), (.withdrawn, 0.03)])
                let state = recipient ? .signed : drawn
                let minor = VolunteerRules.isMinor(born: p.born, on: registered)
                let day = registered.description
                let confirmed = state == .applied ? nil : registered.adding(days: rng.int(1...10))
                let signed = state == .signed || state == .withdrawn ? confirmed.map { $0.adding(days: rng.int(0...14)) } : nil
                let core = state == .signed && (rng.chance(0.25) || recipient)
                var prior = 0
                if core && registered.year < today.year && rng.chance(0.5) {
                    // Earlier years' service: one entry a year, up to a long-standing volunteer's 1,600 hours.
                    let years = today.year - registered.year
                    let perYear = rng.int(20...max(20, min(400, 1600 / max(1, years))))
                    for y in registered.year..<today.year {
                        let m = perYear * 60
                        hourRows.add(values: [.uuid(rng.uuid()), .uuid(id), .text(community), .null, .null, .null, .text("verified"), .integer(m),
                                              .text("往年志愿服务记录"), .text(String(format: "%04d-12-31", y)), .text("demo"), .integer(Int(now))])
                        flushIfFull(&hourRows)
                        prior += m
                        monthly[community + "|" + String(format: "%04d-12", y), default: (0, 0, 0)].m += m
                        summary.entries += 1
                    }
                }
                let pick = { (n: Int, from: [String]) -> String in Array(Set((0..<n).map { _ in from[rng.int(0...(from.count - 1))] })).sorted().joined(separator: ",") }
                volunteerRows.add(values: [.uuid(id), .uuid(p.id), .text(community), .text(state.rawValue), .text(pick(rng.int(1...3), skills.map(\.rawValue))),
                                           .null, .text(pick(rng.int(1...2), areas.map(\.rawValue))), .text(pick(rng.int(1...2), times.map(\.rawValue))),
                                           .text(day), .text(confirmed?.description), .text(signed?.description),
                                           .text(signed == nil ? nil : VolunteerRules.currentTermsVersion), .text(signed == nil ? nil : (rng.chance(0.4) ? "portal" : "paper")),
                                           .text(minor ? "家长" : nil), .text(minor ? (rng.chance(0.5) ? "父亲" : "母亲") : nil), .text(minor ? day : nil),
                                           .text(state == .withdrawn ? today.adding(days: -rng.int(1...200)).description : nil),
                                           .integer(0), .null, .text(rng.chance(0.3) ? "portal" : "worker"), .integer(1), .text("demo"), .integer(Int(now)), .integer(Int(now))])
                flushIfFull(&volunteerRows)
                monthly[community + "|" + String(day.prefix(7)), default: (0, 0, 0)].r += 1
                vols.append(Vol(id: id, community: community, minutes: prior, last: prior > 0 ? String(format: "%04d-12-31", today.year - 1) : nil,
                                signed: state == .signed, core: core))
            }
            summary.volunteers += vols.count
            let serving = vols.indices.filter { vols[$0].signed }
            guard !serving.isEmpty else { continue }
            let core = serving.filter { vols[$0].core }

            // Two teams: the community's own and a skill team.
            var teamMinutes: [UUID: Int] = [:]
            var teams: [(UUID, String, VolunteerTeamKind, VolunteerSkill?, Int)] = []
            for (k, kind) in [VolunteerTeamKind.community, .skill].enumerated() {
                let id = rng.uuid(), skill: VolunteerSkill? = kind == .skill ? skills[rng.int(0...(skills.count - 1))] : nil
                let leader = (core.isEmpty ? serving : core)[rng.int(0...((core.isEmpty ? serving : core).count - 1))]
                var members = Set([leader])
                for _ in 0..<min(serving.count, rng.int(8...25)) { members.insert(serving[rng.int(0...(serving.count - 1))]) }
                for m in members.sorted() {
                    memberRows.add(values: [.uuid(id), .uuid(vols[m].id), .text(today.adding(days: -rng.int(30...700)).description)])
                    flushIfFull(&memberRows)
                }
                teams.append((id, "", kind, skill, members.count))
                teamMinutes[id] = 0
                summary.teams += 1
                teamRows.add(values: [.uuid(id), .text(community), .text((k == 0 ? "社区" : skill!.label) + "志愿服务队"), .text(kind.rawValue), .text(skill?.rawValue),
                                      .null, .uuid(vols[leader].id), .integer(members.count), .integer(0), .integer(1), .text("demo"), .integer(Int(now))])
                flushIfFull(&teamRows)
            }

            // About one activity a week for a year and the next two weeks, more where more volunteers serve.
            let perDay = 0.16 * max(1, Double(serving.count) / 250)
            for day in stride(from: -364, through: 14, by: 1) where rng.chance(perDay) {
                let date = today.adding(days: day)
                let (title, skill) = titles[rng.int(0...(titles.count - 1))]
                let hour = [9, 14, 19][rng.int(0...2)], length = rng.int(1...4)
                let start = Int64(date.dayNumber) * 86_400 + Int64(hour) * 3600 - offset, end = start + Int64(length) * 3600
                let team = rng.chance(0.6) ? teams[rng.int(0...(teams.count - 1))].0 : nil
                let places = rng.int(6...30)
                let id = rng.uuid()
                let ended = end < now, fixed = end + Int64(VolunteerRules.verifyDays) * 86_400 < now
                var taken = Set<Int>()
                let want = ended ? rng.int(places / 2...places) : rng.int(0...places)
                for _ in 0..<want {
                    let v = !core.isEmpty && rng.chance(0.45) ? core[rng.int(0...(core.count - 1))] : serving[rng.int(0...(serving.count - 1))]
                    taken.insert(v)
                }
                for v in taken.sorted() {
                    let sid = rng.uuid()
                    var row: [BulkValue] = [.uuid(sid), .uuid(id), .uuid(vols[v].id), .text(rng.chance(0.5) ? "portal" : "organizer"), .integer(Int(start) - rng.int(1...10) * 86_400)]
                    if ended && rng.chance(0.94) {
                        let checkIn = start - Int64(rng.int(0...20) * 60), checkOut = end + Int64(rng.int(-30...20) * 60)
                        let proposed = VolunteerRules.proposedMinutes(checkIn: checkIn, checkOut: checkOut, start: start, end: end)
                        let verified = fixed || rng.chance(0.3) ? proposed : nil
                        row += [.integer(Int(checkIn)), .integer(Int(checkOut)), .integer(proposed), verified.map(BulkValue.integer) ?? .null,
                                verified == nil ? .null : .integer(Int(end) + rng.int(1...6) * 86_400), verified == nil ? .null : .text("demo")]
                        if let verified, verified > 0 {
                            hourRows.add(values: [.uuid(rng.uuid()), .uuid(vols[v].id), .text(community), .uuid(sid), .uuid(id), team.map(BulkValue.uuid) ?? .null,
                                                  .text("verified"), .integer(verified), .null, .text(date.description), .text("demo"), .integer(Int(now))])
                            flushIfFull(&hourRows)
                            summary.entries += 1
                            var total = verified
                            if fixed && rng.chance(0.004) {
                                let delta = rng.chance(0.5) ? 30 : -min(30, verified)
                                hourRows.add(values: [.uuid(rng.uuid()), .uuid(vols[v].id), .text(community), .null, .uuid(id), team.map(BulkValue.uuid) ?? .null,
                                                      .text("correction"), .integer(delta), .text(delta > 0 ? "签退漏记，补登" : "提前离场，核减"),
                                                      .text(date.description), .text("demo"), .integer(Int(now))])
                                summary.entries += 1
                                total += delta
                            }
                            vols[v].minutes += total
                            if vols[v].last.map({ $0 < date.description }) ?? true { vols[v].last = date.description }
                            if let team { teamMinutes[team, default: 0] += total }
                            monthly[community + "|" + String(date.description.prefix(7)), default: (0, 0, 0)].m += total
                        }
                    } else {
                        row += [.null, .null, .null, .null, .null, .null]
                    }
                    signupRows.add(values: row)
                    flushIfFull(&signupRows)
                    summary.signups += 1
                }
                activityRows.add(values: [.uuid(id), .text(community), team.map(BulkValue.uuid) ?? .null, .null, .null, .text(title),
                                          .text("社区党群服务中心"), .null, .text(skill?.rawValue ?? ""), .integer(Int(start)), .integer(Int(end)), .integer(places),
                                          .integer(taken.count), .text(VolunteersQueries.randomCode(6, using: &rng)), .text("demo"), .integer(Int(start) - 14 * 86_400)])
                flushIfFull(&activityRows)
                monthly[community + "|" + String(date.description.prefix(7)), default: (0, 0, 0)].a += 1
                summary.activities += 1
            }
            teamUpdates.append(contentsOf: teamMinutes.map { ($0.key, $0.value) })
            totals.append(contentsOf: vols.filter { $0.minutes != 0 || $0.last != nil }.map { ($0.id, $0.minutes, $0.last) })
        }
        var monthRows = BulkInsert("volunteer_monthly", ["community_code", "month", "registrations", "activities", "minutes"])
        for (key, v) in monthly.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            monthRows.add(values: [.text(String(parts[0])), .text(String(parts[1])), .integer(v.r), .integer(v.a), .integer(v.m)])
        }
        try await db.writeTransaction(bulk: true) { [volunteerRows, teamRows, memberRows, activityRows, signupRows, hourRows, monthRows, batches, totals, teamUpdates] db in
            var volunteerRows = volunteerRows, teamRows = teamRows, memberRows = memberRows, activityRows = activityRows, signupRows = signupRows
            var hourRows = hourRows, monthRows = monthRows
            // Parents before children: the batches gathered in order, each table's rest after.
            for table in ["volunteers", "volunteer_teams", "volunteer_team_members", "volunteer_activities", "volunteer_signups", "volunteer_hours"] {
                for b in batches where b.table == table { try await b.run(on: db) }
                switch table {
                case "volunteers": try await volunteerRows.flush(on: db)
                case "volunteer_teams": try await teamRows.flush(on: db)
                case "volunteer_team_members": try await memberRows.flush(on: db)
                case "volunteer_activities": try await activityRows.flush(on: db)
                case "volunteer_signups": try await signupRows.flush(on: db)
                default: try await hourRows.flush(on: db)
                }
            }
            try await monthRows.flush(on: db)
            let sql = SQLHelpers.sql(db)
            for (id, minutes, last) in totals {
                try await sql.update("volunteers").set("minutes", to: SQLBind(minutes)).set("last_served_on", to: SQLBind(last)).where("id", .equal, SQLBind(id)).run()
            }
            for (id, minutes) in teamUpdates {
                try await sql.update("volunteer_teams").set("minutes", to: SQLBind(minutes)).where("id", .equal, SQLBind(id)).run()
            }
            try await AuditLog.append([AuditEvent(VolunteersAudit.demoLoad, target: .table("volunteers"))], by: .system("demo"), on: db)
        }
        return summary
    }
}
