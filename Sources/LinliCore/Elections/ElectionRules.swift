import Foundation

/// The rules of an election, as pure functions: what a form may hold, and what a count means.
public enum ElectionRules {
    /// The voter roll is published at least this many days before election day.
    public static let rollNoticeDays = 20
    /// A term lasts five years.
    public static let termYears = 5
    /// A voter may hold at most this many proxies (委托投票).
    public static let maxProxies = 3
    /// The largest number a count field takes (more than any community's voters; keeps arithmetic safe).
    public static let countLimit = 1_000_000

    /// Seats and timetable of a new election.
    public static func checkPlan(kind: CommitteeKind, seats: Int, viceChairs: Int, rollPublishedOn: CivilDate?,
                                 candidatesPublishedOn: CivilDate?, electionDay: CivilDate?, committee: [String]) -> [FieldError] {
        var e = FieldErrors()
        if !kind.sizes.contains(seats) {
            e.add("seats", "\(kind.label)由\(kind.sizes.lowerBound)至\(kind.sizes.upperBound)人组成")
        } else if viceChairs < 0 || viceChairs > seats - 1 {
            e.add("vice_chairs", "副主任人数应在0至\(seats - 1)之间")
        }
        if let day = electionDay {
            if let roll = rollPublishedOn, roll > day.adding(days: -rollNoticeDays) {
                e.add("roll_published_on", "选民名单应在选举日\(rollNoticeDays)日前公布")
            }
            if let c = candidatesPublishedOn {
                if c >= day { e.add("candidates_published_on", "正式候选人应在选举日前公布") }
                if let roll = rollPublishedOn, c < roll { e.add("candidates_published_on", "正式候选人应在选民名单公布后公布") }
            }
        } else {
            e.add("election_day", "请填写选举日")
        }
        if rollPublishedOn == nil { e.add("roll_published_on", "请填写选民名单公布日") }
        if candidatesPublishedOn == nil { e.add("candidates_published_on", "请填写候选人公布日") }
        let members = committee.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if members.count < 3 { e.add("committee", "选举委员会至少3人") }
        return e.errors
    }

    /// Whether a person may be on the roll: 18 or over on election day.
    public static func checkVoterAge(birth: CivilDate, electionDay: CivilDate) -> [FieldError] {
        birth.age(on: electionDay) >= 18 ? [] : [FieldError("resident_id", "选举日未满18周岁，不能列入选民名单")]
    }

    /// The formal list of candidates: enough to fill the seats, and more than seats for a villagers' committee.
    public static func checkCandidates(kind: CommitteeKind, seats: Int, count: Int) -> [FieldError] {
        if kind == .villagers, count <= seats {
            return [FieldError("candidates", "村民委员会实行差额选举，正式候选人应多于应选人数（\(seats)人）")]
        }
        if count < seats { return [FieldError("candidates", "正式候选人不得少于应选人数（\(seats)人）")] }
        return []
    }

    /// A proxy: the holder may already hold at most `maxProxies - 1`.
    public static func checkProxy(heldAlready: Int, holderIsGrantor: Bool) -> [FieldError] {
        if holderIsGrantor { return [FieldError("holder_id", "不能委托本人")] }
        if heldAlready >= maxProxies { return [FieldError("holder_id", "每一选民接受委托投票不得超过\(maxProxies)人")] }
        return []
    }

    /// A box's count as entered. Every number is bounded at the field before any sum.
    public static func checkCount(_ c: BoxCount, candidates: Set<UUID>, seats: Int) -> [FieldError] {
        var e = FieldErrors()
        let range = 0...countLimit
        for (field, n) in [("issued", c.issued), ("returned", c.returned), ("valid", c.valid), ("invalid", c.invalid)] where !range.contains(n) {
            e.add(field, "应为0至\(countLimit)之间的整数")
        }
        for (id, n) in c.votes {
            if !candidates.contains(id) { e.add("votes", "不是本轮的候选人") }
            else if !range.contains(n) { e.add("votes", "应为0至\(countLimit)之间的整数") }
        }
        guard e.isEmpty else { return e.errors }
        if c.valid + c.invalid != c.returned { e.add("valid", "有效票与无效票之和应等于收回选票数") }
        // A box whose returned ballots exceed those issued is void, not refused: the count is kept as entered.
        if let top = c.votes.values.max(), top > c.valid { e.add("votes", "候选人得票数不得超过有效票数（\(c.valid)）") }
        else if c.votes.values.reduce(0, +) > c.valid * seats { e.add("votes", "得票总数不得超过有效票数乘以应选人数") }
        return e.errors
    }

    /// The fields in which two entries of the same box differ (双人录入).
    public static func differences(_ a: BoxCount, _ b: BoxCount) -> [String] {
        var d: [String] = []
        if a.issued != b.issued { d.append("issued") }
        if a.returned != b.returned { d.append("returned") }
        if a.valid != b.valid { d.append("valid") }
        if a.invalid != b.invalid { d.append("invalid") }
        for id in Set(a.votes.keys).union(b.votes.keys).sorted(by: { $0.uuidString < $1.uuidString }) where (a.votes[id] ?? 0) != (b.votes[id] ?? 0) {
            d.append("votes.\(id.uuidString)")
        }
        return d
    }

    /// A round counted from its confirmed boxes.
    /// - `first`: the first ballot needs more than half of the votes cast; a further round (另行选举) one third.
    /// - `alreadyElected`: members elected in earlier rounds; the committee succeeds once it reaches `kind.minimumSize`.
    public static func count(roll: Int, boxes: [BoxCount], candidates: [UUID], seats: Int, alreadyElected: Int,
                             kind: CommitteeKind, first: Bool) -> RoundResult {
        let counted = boxes.filter { !$0.isVoid }
        let cast = counted.reduce(0) { $0 + $1.returned }
        var votes: [UUID: Int] = Dictionary(uniqueKeysWithValues: candidates.map { ($0, 0) })
        for b in counted { for (id, n) in b.votes where votes[id] != nil { votes[id, default: 0] += n } }
        let ranked = votes.map { Tally(candidate: $0.key, votes: $0.value) }
            .sorted { $0.votes != $1.votes ? $0.votes > $1.votes : $0.candidate.uuidString < $1.candidate.uuidString }
        let voidBoxes = boxes.count - counted.count
        // Valid only if more than half of the voters on the roll voted.
        guard cast * 2 > roll else {
            return RoundResult(cast: cast, roll: roll, valid: false, tallies: ranked, elected: [], tied: [], voidBoxes: voidBoxes, outcome: .failed)
        }
        let open = max(0, seats - alreadyElected)
        let qualifies: (Int) -> Bool = first ? { $0 * 2 > cast } : { $0 * 3 >= cast && $0 > 0 }
        let eligible = ranked.filter { qualifies($0.votes) }
        var elected: [UUID] = [], tied: [UUID] = []
        if open == 0 {
            elected = []
        } else if eligible.count <= open {
            elected = eligible.map(\.candidate)
        } else {
            // The last seat's vote count shared across the boundary is a tie: reported, never decided here.
            let boundary = eligible[open - 1].votes
            let above = eligible.filter { $0.votes > boundary }
            let at = eligible.filter { $0.votes == boundary }
            if above.count + at.count > open {
                elected = above.map(\.candidate)
                tied = at.map(\.candidate)
            } else {
                elected = (above + at).map(\.candidate)
            }
        }
        let total = alreadyElected + elected.count
        let outcome: RoundOutcome
        if total >= seats { outcome = .succeeded }
        else if !first && total >= kind.minimumSize && tied.isEmpty { outcome = .succeeded }
        else { outcome = .furtherRound }
        return RoundResult(cast: cast, roll: roll, valid: true, tallies: ranked, elected: elected, tied: tied, voidBoxes: voidBoxes, outcome: outcome)
    }

    /// The candidates of a further round: the non-elected with the most votes, as many as the open seats (one more
    /// for a villagers' committee, which is always 差额). Those tied at the boundary are all taken, and named.
    public static func furtherRoundCandidates(_ result: RoundResult, openSeats: Int, kind: CommitteeKind) -> [UUID] {
        let elected = Set(result.elected)
        let rest = result.tallies.filter { !elected.contains($0.candidate) && $0.votes > 0 }
        let want = openSeats + (kind == .villagers ? 1 : 0)
        guard rest.count > want, want > 0 else { return rest.map(\.candidate) }
        let boundary = rest[want - 1].votes
        return rest.filter { $0.votes >= boundary }.map(\.candidate)
    }

    /// The end of a term that starts on `start`.
    public static func termEnd(start: CivilDate) -> CivilDate {
        CivilDate(year: start.year + termYears, month: start.month, day: min(start.day, CivilDate.daysIn(month: start.month, year: start.year + termYears)))
            ?? start.adding(days: 365 * termYears)
    }
}

/// One entry of a ballot box's count.
public struct BoxCount: Equatable, Sendable {
    public var issued: Int, returned: Int, valid: Int, invalid: Int
    public var votes: [UUID: Int]

    public init(issued: Int, returned: Int, valid: Int, invalid: Int, votes: [UUID: Int]) {
        self.issued = issued; self.returned = returned; self.valid = valid; self.invalid = invalid; self.votes = votes
    }

    /// More ballots came back than were issued: the box's vote is void.
    public var isVoid: Bool { returned > issued }
}

public struct Tally: Equatable, Sendable {
    public var candidate: UUID
    public var votes: Int
}

public enum RoundOutcome: String, Sendable, Equatable {
    case succeeded, furtherRound = "further_round", failed

    public var status: ElectionStatus {
        switch self {
        case .succeeded: return .succeeded
        case .furtherRound: return .furtherRound
        case .failed: return .failed
        }
    }
}

public struct RoundResult: Equatable, Sendable {
    /// Ballots returned in boxes that count (the votes cast).
    public var cast: Int
    public var roll: Int
    /// More than half of the roll voted.
    public var valid: Bool
    /// Every candidate's votes, most first.
    public var tallies: [Tally]
    public var elected: [UUID]
    /// Candidates sharing the last seat's count: none of them is elected in this round.
    public var tied: [UUID]
    public var voidBoxes: Int
    public var outcome: RoundOutcome
}
