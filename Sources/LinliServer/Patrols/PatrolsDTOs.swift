import Foundation
import LinliCore
import LinliData

struct PatrolRoundDTO: Encodable, Sendable {
    var id: UUID
    var gridCode: String
    var gridName: String?
    var walker: String
    var status: RoundStatus
    var statusLabel: String
    var startedAt: String
    var endedAt: String?
    var week: String
    var visits: Int
    var findings: Int
    /// Whether it counts toward its week's norm (ended, with a visit).
    var counted: Bool
    var version: Int

    init(_ r: RoundRecord) {
        id = r.id; gridCode = r.gridCode; gridName = r.gridName; walker = r.walkerName; status = r.status; statusLabel = r.status.label
        startedAt = WireTime.string(r.startedAt); endedAt = WireTime.string(r.endedAt); week = PatrolWeek(code: r.week)?.description ?? String(r.week)
        visits = r.visits; findings = r.findings; counted = r.counted; version = r.version
    }
}

struct PatrolVisitDTO: Encodable, Sendable {
    var seq: Int
    var buildingId: UUID?
    var buildingName: String?
    var latitude: Double?
    var longitude: Double?
    var visitedAt: String
    var finding: PatrolFinding
    var findingLabel: String
    var note: String?
    /// The grid event the finding became: its id and number.
    var requestId: UUID?
    var requestNumber: String?

    init(_ v: VisitRecord) {
        seq = v.seq; buildingId = v.buildingId; buildingName = v.buildingName; latitude = v.latitude; longitude = v.longitude
        visitedAt = WireTime.string(v.visitedAt); finding = v.finding; findingLabel = v.finding.label; note = v.note; requestId = v.requestId
        requestNumber = v.requestSeq.map(String.init)
    }
}

struct PatrolRoundDetailDTO: Encodable, Sendable {
    var round: PatrolRoundDTO
    var visits: [PatrolVisitDTO]
    init(_ d: RoundDetail) { round = PatrolRoundDTO(d.round); visits = d.visits.map(PatrolVisitDTO.init) }
}

struct RecordedPatrolVisitDTO: Encodable, Sendable {
    var round: PatrolRoundDTO
    var visit: PatrolVisitDTO
    init(_ r: RecordedVisit) { round = PatrolRoundDTO(r.round); visit = PatrolVisitDTO(r.visit) }
}

struct PatrolBoardDTO: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var gridCode: String
        var gridName: String
        var communityName: String?
        var lastWeek: Int
        var thisWeek: Int
        var lastWeekMet: Bool
        var thisWeekMet: Bool
    }
    var weeklyNorm: Int
    var lastWeek: String
    var thisWeek: String
    var grids: Int
    var missedLastWeek: Int
    var behindThisWeek: Int
    var rows: [Row]

    init(_ b: PatrolBoard, all: Bool) {
        weeklyNorm = b.norm; lastWeek = b.lastWeek.description; thisWeek = b.thisWeek.description; grids = b.rows.count
        missedLastWeek = b.missedLastWeek.count; behindThisWeek = b.behindThisWeek.count
        let shown = all ? b.rows : b.rows.filter { !PatrolRules.met(rounds: $0.lastWeek, norm: b.norm) || !PatrolRules.met(rounds: $0.thisWeek, norm: b.norm) }
        rows = shown.map { Row(gridCode: $0.gridCode, gridName: $0.gridName, communityName: $0.communityName, lastWeek: $0.lastWeek, thisWeek: $0.thisWeek,
                               lastWeekMet: PatrolRules.met(rounds: $0.lastWeek, norm: b.norm), thisWeekMet: PatrolRules.met(rounds: $0.thisWeek, norm: b.norm)) }
    }
}

struct PatrolSettingsDTO: Encodable, Sendable {
    var weeklyNorm: Int
    var version: Int
    init(_ s: PatrolSettings) { weeklyNorm = s.weeklyNorm; version = s.version }
}
