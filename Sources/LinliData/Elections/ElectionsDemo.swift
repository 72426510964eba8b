import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 换届选举 in the demo district: last year's general election of every community and village — rolls drawn from
/// the registry with the same INSERT … SELECT as the console, turnout 80–95 %, a central box and a mobile box per
/// election, every villagers' committee with more candidates than seats (差额), and a few further rounds (另行选举).
/// Results are counted by `ElectionRules`, as the console counts them. Deterministic from the seed.
public struct ElectionsDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoElections.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "换届选举：%d 个村(居)委会，选民 %d 人，另行选举 %d 个，用时 %.1f 秒。", s.elections, s.voters, s.furtherRounds,
                      Date().timeIntervalSince(started))
    }
}

public enum DemoElections {
    public struct Summary: Sendable { public var elections = 0, voters = 0, furtherRounds = 0 }

    static let committee = ["王建国", "李红", "张伟", "刘芳", "陈志强", "杨秀英", "赵军", "黄丽"]

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        let communities = try await sql.select().columns("code", "kind").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), kind: CommitteeKind(CommunityKind(rawValue: try $0.decode(column: "kind", as: String?.self) ?? ""))) }
        return try await db.writeTransaction(bulk: true) { db -> Summary in
            let sql = SQLHelpers.sql(db)
            var rng = SeededRandom(seed: seed ^ 0xE1EC_7105)
            var summary = Summary()
            for (i, c) in communities.enumerated() {
                guard let day = CivilDate(year: today.year - 1, month: 11, day: 1 + i % 28), day <= today else { continue }
                let id = rng.uuid(), seats = c.kind == .residents ? rng.int(5...7) : rng.int(3...5)
                let (lo, hi) = (c.code, c.code + "999")
                try await sql.insert(into: "elections")
                    .columns("id", "community_code", "committee_kind", "method", "seats", "vice_chairs", "committee", "roll_published_on", "roll_frozen_on",
                             "candidates_published_on", "election_day", "status", "round", "roll_count", "elected", "version", "created_by", "created_at", "updated_at")
                    .values(SQLBind(id), SQLBind(c.code), SQLBind(c.kind.rawValue), SQLBind(ElectionMethod.direct.rawValue), SQLBind(seats), SQLBind(1),
                            SQLBind(Array(committee.shuffled(using: &rng).prefix(5)).joined(separator: "、")), SQLBind(day.adding(days: -25).description),
                            SQLBind(day.adding(days: -5).description), SQLBind(day.adding(days: -7).description), SQLBind(day.description),
                            SQLBind(ElectionStatus.candidatesPublished.rawValue), SQLBind(1), SQLBind(0), SQLBind(0), SQLBind(1), SQLBind("demo"),
                            SQLBind(now), SQLBind(now)).run()
                try await sql.raw("""
                    INSERT INTO election_voters (election_id, resident_id, grid_code, name, name_initials, birth_date, basis, recorded_by, recorded_at)
                    SELECT \(bind: id), id, grid_code, name, name_initials, birth_date, \(bind: VoterBasis.registry.rawValue), 'demo', \(bind: now)
                    FROM residents WHERE life_status = 'active' AND grid_code > \(bind: lo) AND grid_code <= \(bind: hi)
                    AND residence_status = 'registered' AND birth_date <= \(bind: day.yearsEarlier(18).description)
                    """).run()
                let roll = try await SQLHelpers.count(sql.select().column(SQLRaw("count(*)"), as: "n").from("election_voters").where("election_id", .equal, SQLBind(id)))
                let candidateCount = seats + (c.kind == .villagers ? rng.int(1...2) : 0)
                let people = try await sql.select().columns("resident_id", "name").from("election_voters").where("election_id", .equal, SQLBind(id))
                    .orderBy("resident_id").limit(candidateCount).all()
                    .map { (id: try $0.decode(column: "resident_id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
                guard roll > 10, people.count == candidateCount else {
                    // Too few voters for a committee (a tiny demo district): left cancelled, with the roll it drew.
                    try await sql.update("elections").set("status", to: SQLBind(ElectionStatus.cancelled.rawValue)).set("roll_count", to: SQLBind(roll))
                        .where("id", .equal, SQLBind(id)).run()
                    continue
                }
                for (k, p) in people.enumerated() {
                    let post: CommitteePost = k == 0 ? .chair : k == 1 ? .viceChair : .member
                    try await sql.insert(into: "election_candidates").columns("election_id", "resident_id", "name", "post", "formal", "round", "recorded_by", "recorded_at")
                        .values(SQLBind(id), SQLBind(p.id), SQLBind(p.name), SQLBind(post.rawValue), SQLBind(true), SQLBind(1), SQLBind("demo"), SQLBind(now)).run()
                }
                // Turnout 80–95 %; one vote in ten through the mobile box. Every tenth election leaves two seats to a further round.
                let cast = roll * rng.int(80...95) / 100, mobile = cast / 10, invalid = cast / 50
                let further = i % 10 == 3
                var votes: [UUID: Int] = [:]
                for (k, p) in people.enumerated() {
                    let short = k >= seats - (further ? 2 : 0)
                    votes[p.id] = short ? (cast - invalid) * rng.int(35...48) / 100 : (cast - invalid) * rng.int(60...92) / 100
                }
                func split(_ n: Int, _ part: Int) -> (Int, Int) { (n - n * part / max(cast, 1), n * part / max(cast, 1)) }
                let central = BoxCount(issued: cast - mobile, returned: cast - mobile, valid: cast - mobile - invalid, invalid: invalid,
                                       votes: votes.mapValues { split($0, mobile).0 })
                let moving = BoxCount(issued: mobile, returned: mobile, valid: mobile, invalid: 0, votes: votes.mapValues { split($0, mobile).1 })
                var round = 1, elected = 0, standing = people.map(\.id), boxes = [central, moving]
                var firstBallot = false
                let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
                let posts = Dictionary(uniqueKeysWithValues: people.enumerated().map { ($0.element.id, $0.offset == 0 ? CommitteePost.chair : $0.offset == 1 ? .viceChair : .member) })
                let end = ElectionRules.termEnd(start: day)
                while true {
                    for (b, count) in boxes.enumerated() {
                        let json = StoredCount(count).json
                        try await sql.insert(into: "election_boxes")
                            .columns("id", "election_id", "round", "kind", "label", "first_entry", "first_by", "second_entry", "second_by", "differences", "confirmed", "version", "updated_at")
                            .values(SQLBind(rng.uuid()), SQLBind(id), SQLBind(round), SQLBind(b == 0 ? BallotBoxKind.central.rawValue : BallotBoxKind.mobile.rawValue),
                                    SQLBind(b == 0 ? "中心会场" : "流动票箱"), SQLBind(json), SQLBind("demo-a"), SQLBind(json), SQLBind("demo-b"), SQLBind(""),
                                    SQLBind(true), SQLBind(3), SQLBind(now)).run()
                    }
                    let r = ElectionRules.count(roll: roll, boxes: boxes, candidates: standing, seats: seats, alreadyElected: elected, kind: c.kind, first: round == 1)
                    let tally = Dictionary(uniqueKeysWithValues: r.tallies.map { ($0.candidate, $0.votes) })
                    for m in r.elected {
                        try await sql.insert(into: "election_members").columns("election_id", "resident_id", "name", "post", "round", "votes", "term_start", "term_end")
                            .values(SQLBind(id), SQLBind(m), SQLBind(names[m] ?? ""), SQLBind((posts[m] ?? .member).rawValue), SQLBind(round),
                                    SQLBind(tally[m] ?? 0), SQLBind(day.description), SQLBind(end.description)).run()
                    }
                    elected += r.elected.count
                    if round == 1 { firstBallot = r.outcome == .succeeded }
                    if r.outcome != .furtherRound || round == 3 {
                        let status = r.outcome == .furtherRound ? ElectionStatus.failed : r.outcome.status
                        try await sql.update("elections").set("status", to: SQLBind(status.rawValue)).set("round", to: SQLBind(round))
                            .set("roll_count", to: SQLBind(roll)).set("first_cast", to: SQLBind(cast)).set("first_ballot", to: SQLBind(firstBallot))
                            .set("elected", to: SQLBind(elected)).set("term_start", to: SQLBind(status == .succeeded ? day.description : nil))
                            .set("term_end", to: SQLBind(status == .succeeded ? end.description : nil)).where("id", .equal, SQLBind(id)).run()
                        break
                    }
                    // 另行选举 the same day among the non-elected with the most votes: a third of the votes cast suffices.
                    summary.furtherRounds += round == 1 ? 1 : 0
                    round += 1
                    standing = ElectionRules.furtherRoundCandidates(r, openSeats: seats - elected, kind: c.kind)
                    try await sql.update("election_candidates").set("round", to: SQLBind(round)).where("election_id", .equal, SQLBind(id))
                        .where("resident_id", .in, SQLBind.group(standing)).run()
                    let again = cast * rng.int(88...97) / 100
                    boxes = [BoxCount(issued: again, returned: again, valid: again, invalid: 0,
                                      votes: Dictionary(uniqueKeysWithValues: standing.enumerated().map { ($0.element, again * (55 - $0.offset * 12) / 100) }))]
                }
                summary.elections += 1
                summary.voters += roll
            }
            try await AuditLog.append([AuditEvent(ElectionsAudit.demoLoad, target: .table("elections"), detail: ["elections": String(summary.elections)])],
                                      by: .system("demo"), on: db)
            return summary
        }
    }
}
