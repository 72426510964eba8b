import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 民主协商与网上议事 in the demo district: a year of meetings in every community (most hold the four deliberative
/// forms and follow their resolutions up; every seventh falls short: too few meetings, or a resolution overdue), a few
/// 楼道/业主 meetings, and two proposals per street with supports and comments (one comment hidden by moderation,
/// one proposal closed with a decision). Written with multi-row INSERTs in one transaction; deterministic from the seed.
public struct DeliberationDemo: DemoStep {
    public init() {}

    static let topics: [(MeetingKind, String, String)] = [
        (.hearing, "小区停车难问题恳谈", "听取居民对小区停车位划分和收费的意见"),
        (.coordination, "老旧小区加装电梯协调", "协调一楼住户与高层住户的意见，商定费用分摊"),
        (.publicHearing, "社区养老服务站建设听证", "介绍选址和运营方案，听取居民意见"),
        (.review, "年度为民办实事项目评议", "居民代表评议本年度为民办实事项目的完成情况"),
        (.hearing, "垃圾分类投放点设置恳谈", "征求居民对投放点位置和开放时间的意见"),
        (.coordination, "物业服务费调整协调", "协调业主委员会、物业公司和居民代表"),
        (.stairway, "楼道堆物清理议事", "商定楼道公共空间的使用规则"),
        (.owners, "维修资金使用议事", "商议使用专项维修资金更换屋面防水"),
    ]
    /// What each topic's meetings resolve, first and second resolution.
    static let outcomes: [[String]] = [
        ["划定小区临时停车泊位，试行错时停车", "与周边单位协商夜间共享停车位"],
        ["成立加装电梯协调小组，逐栋征求住户意见", "一楼住户补偿方案在楼道公示"],
        ["养老服务站选址原物业用房，方案公示7天", "公开招募专业机构运营养老服务站"],
        ["为民办实事项目测评结果在社区公示栏公开", "满意度较低的项目限期整改"],
        ["新增两处分类投放点，开放时间调整为早晚各两小时", "招募垃圾分类志愿督导员"],
        ["物业服务费调整方案提交业主大会表决", "物业服务企业公开年度收支情况"],
        ["清理楼道堆物，制定楼道公约", "每月组织一次楼道卫生检查"],
        ["申请使用专项维修资金，维修方案公示", "业主代表参与工程质量验收"],
    ]
    static let owners = ["社区居委会主任", "物业服务中心", "社区网格长", "业主委员会", "社区党组织书记", "社区民生服务站"]
    static let proposals: [(String, String, String, Int64)] = [
        ("小区增设电动自行车充电桩", "在小区东西两侧车棚增设共40个智能充电桩", "居民私拉电线充电存在火灾隐患", 60_000),
        ("社区广场增设健身器材", "在社区广场东侧增设一组适老化健身器材", "老年居民多，现有器材老化", 35_000),
        ("开设周末四点半课堂", "利用社区活动室周末开设青少年四点半课堂", "双职工家庭子女放学后无人照看", 8_000),
    ]

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let sql = SQLHelpers.sql(demo.db)
        var rng = SeededRandom(seed: demo.seed ^ 0xDE11_B0A7)
        let communities = try await sql.select().column("code").from(Division.schema).where("level", .equal, SQLBind(DivisionLevel.community.rawValue))
            .orderBy("code").all().map { try $0.decode(column: "code", as: String.self) }
        var people: [String: [(UUID, String)]] = [:]
        for c in communities {
            people[c] = try await sql.select().columns("id", "name").from("residents").wherePrefix("grid_code", c, sqlite: demo.db.isSQLite)
                .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).limit(40).all()
                .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        }
        var meetings = BulkInsert("deliberation_meetings", ["id", "community_code", "kind", "title", "agenda", "held_on", "place", "residents", "other_residents",
                                                            "units", "officials", "minutes", "resolutions", "version", "recorded_by", "created_at", "updated_at"])
        var participants = BulkInsert("deliberation_participants", ["meeting_id", "resident_id"])
        var resolutions = BulkInsert("deliberation_resolutions", ["id", "meeting_id", "community_code", "held_on", "text", "owner", "due_on", "state", "done_on",
                                                                  "request_number", "version", "created_at"])
        var followUps = BulkInsert("deliberation_followups", ["id", "resolution_id", "on_date", "note", "done", "recorded_by", "created_at"])
        var proposalRows = BulkInsert("consultation_proposals", ["id", "community_code", "title", "what", "why", "cost", "deadline", "published_on", "state",
                                                                 "decision", "response", "supports", "comments", "version", "created_by", "created_at", "closed_at"])
        var supports = BulkInsert("consultation_supports", ["proposal_id", "resident_id", "created_at"])
        var comments = BulkInsert("consultation_comments", ["id", "proposal_id", "resident_id", "author", "body", "hidden", "hide_reason", "hidden_by", "created_at"])
        let today = demo.today, now = Int(demo.now)
        var meetingCount = 0, resolutionCount = 0, overdue = 0, proposalCount = 0, hidden = false, closed = false
        for (ci, c) in communities.enumerated() {
            let short = ci % 7 == 3, lagging = ci % 7 == 5
            let kinds = short ? [0, 1, 6] : [0, 1, 2, 3, 4, 5, 6, 7].filter { $0 < 4 || rng.chance(0.5) }
            let residents = people[c] ?? []
            // Each community starts its year with a different topic, so the district's latest meetings vary.
            for (k, ti) in kinds.indices.map({ kinds[($0 + ci) % kinds.count] }).enumerated() {
                let (kind, title, agenda) = Self.topics[ti]
                let held = today.adding(days: -(20 + k * 40 + rng.int(0...15)))
                let mid = rng.uuid()
                let named = residents.isEmpty ? [] : Array(residents.shuffled(using: &rng).prefix(rng.int(3...8)))
                let other = rng.int(5...30)
                var rows = 0
                let count = rng.int(1...2)
                for r in 0..<count {
                    let rid = rng.uuid(), due = held.adding(days: 30 + r * 30)
                    let late = lagging && k == 1 && r == 0
                    let done = !late && due < today
                    rows += 1
                    resolutionCount += 1
                    if late { overdue += 1 }
                    resolutions.add(values: [.uuid(rid), .uuid(mid), .text(c), .text(held.description), .text(Self.outcomes[ti][r % 2]),
                                             .text(Self.owners[(ci + r) % Self.owners.count]), .text(due.description),
                                             .text((done ? ResolutionState.done : .open).rawValue), done ? .text(due.adding(days: -3).description) : .null, .null,
                                             .integer(done ? 2 : 1), .integer(now)])
                    if done {
                        followUps.add(values: [.uuid(rng.uuid()), .uuid(rid), .text(due.adding(days: -3).description), .text("已按决议落实，居民代表现场查看"), .bool(true),
                                               .text("demo"), .integer(now)])
                    }
                }
                meetings.add(values: [.uuid(mid), .text(c), .text(kind.rawValue), .text(title), .text(agenda), .text(held.description), .text("社区党群服务中心议事厅"),
                                      .integer(named.count + other), .integer(other), .text("社区居委会\n物业服务企业"), .text("街道社区工作办公室"),
                                      .text("会议围绕“\(title)”充分讨论，形成决议\(count)项。"), .integer(rows), .integer(1), .text("demo"), .integer(now), .integer(now)])
                for (pid, _) in named { participants.add(values: [.uuid(mid), .uuid(pid)]) }
                meetingCount += 1
            }
            // Two proposals per street: in its first two communities.
            let street = String(c.prefix(9))
            let index = communities.filter { $0.hasPrefix(street) }.firstIndex(of: c) ?? 9
            guard index < 2, !residents.isEmpty else { continue }
            let (title, what, why, cost) = Self.proposals[(ci + index) % Self.proposals.count]
            let pid = rng.uuid(), closeIt = !closed
            let backers = Array(residents.prefix(rng.int(min(5, residents.count)...min(25, residents.count))))
            let writers = Array(residents.suffix(3))
            for (r, _) in backers { supports.add(values: [.uuid(pid), .uuid(r), .integer(now)]) }
            for (i, (r, name)) in writers.enumerated() {
                let hide = !hidden && i == 2
                comments.add(values: [.uuid(rng.uuid()), .uuid(pid), .uuid(r), .text(Masking.name(name)),
                                      .text(hide ? "广告：低价出售二手车，请加微信" : ["赞成，希望尽快实施。", "建议先做好安全评估。", "费用能否由业主分摊一部分？"][i]),
                                      .bool(hide), hide ? .text("与议题无关的广告") : .null, hide ? .text("demo") : .null, .integer(now + i)])
                if hide { hidden = true }
            }
            proposalRows.add(values: [.uuid(pid), .text(c), .text(title), .text(what), .text(why), .integer(Int(cost)),
                                      .text((closeIt ? today.adding(days: -5) : today.adding(days: 20)).description),
                                      .text(today.adding(days: closeIt ? -40 : -10).description), .text((closeIt ? ProposalState.closed : .open).rawValue),
                                      closeIt ? .text("采纳。社区将于下季度实施，费用由社区公益金列支。") : .null,
                                      closeIt ? .text("关于安全评估：已委托专业机构评估；关于费用分摊：不向居民收取。") : .null,
                                      .integer(backers.count), .integer(writers.count), .integer(closeIt ? 2 : 1), .text("demo"), .integer(now),
                                      closeIt ? .integer(now) : .null])
            closed = true
            proposalCount += 1
        }
        try await demo.db.writeTransaction(bulk: true) { [meetings, participants, resolutions, followUps, proposalRows, supports, comments] db in
            // A year of one district stays under each statement's limit of rows (BulkInsert.maxRows).
            for var b in [meetings, participants, resolutions, followUps, proposalRows, supports, comments] { try await b.flush(on: db) }
            try await AuditLog.append([AuditEvent(DeliberationAudit.demoLoad, target: .table("deliberation_meetings"))], by: .system("demo"), on: db)
        }
        // A few open resolutions turned into requests through the requests' own path (numbered, tallied, audited).
        let q = DeliberationQueries(demo.db, cipher: demo.cipher, today: today, now: { Date(timeIntervalSince1970: TimeInterval(demo.now)) })
        let actor = DeliberationActor(audit: .system("demo"), scope: .everything, mayWrite: true, mayModerate: false)
        let requests = RequestQueries(demo.db, cipher: demo.cipher, photos: RequestPhotoStore(directory: "/nonexistent"))
        var turned = 0
        for row in try await sql.select().column("id").from("deliberation_resolutions").where("state", .equal, SQLBind(ResolutionState.open.rawValue))
            .orderBy("due_on").limit(3).all() {
            // The demo's categories include 市容环境 SJ0101; a district without it simply has no such links.
            if (try? await q.turnIntoRequest(try row.decode(column: "id", as: UUID.self), serviceCode: "SJ0101", requests: requests, by: actor)) != nil { turned += 1 }
        }
        return String(format: "民主协商：%d 个村/社区召开议事会议 %d 次，决议 %d 项（逾期未落实 %d 项，%d 项转为诉求事项），网上议事议题 %d 个，用时 %.1f 秒。",
                      communities.count, meetingCount, resolutionCount, overdue, turned, proposalCount, Date().timeIntervalSince(started))
    }
}
