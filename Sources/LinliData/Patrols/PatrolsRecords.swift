import Foundation
import LinliCore

/// A round as stored, with its grid's name.
public struct RoundRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var gridCode: String
    public var gridName: String?
    public var walkerAccountId: UUID
    public var walkerName: String
    public var startedAt: Int64
    public var endedAt: Int64?
    public var week: Int
    public var visits: Int
    public var findings: Int
    public var counted: Bool
    public var version: Int

    public var status: RoundStatus { endedAt == nil ? .open : .ended }
}

/// A stop of a round: a building (with its name) or a point, and the grid event a finding became.
public struct VisitRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var roundId: UUID
    public var seq: Int
    public var buildingId: UUID?
    public var buildingName: String?
    public var latitude: Double?
    public var longitude: Double?
    public var visitedAt: Int64
    public var finding: PatrolFinding
    public var note: String?
    public var requestId: UUID?
    public var requestSeq: Int64?
}

/// A round with its visits.
public struct RoundDetail: Sendable {
    public var round: RoundRecord
    public var visits: [VisitRecord]
}

/// One grid on the board: its rounds last week and this week so far against the norm.
public struct BoardRow: Sendable, Equatable {
    public var gridCode: String
    public var gridName: String
    public var communityName: String?
    public var lastWeek: Int
    public var thisWeek: Int
}

/// The board of an area: the norm, the two weeks, every grid of the area.
public struct PatrolBoard: Sendable {
    public var norm: Int
    public var lastWeek: PatrolWeek
    public var thisWeek: PatrolWeek
    public var rows: [BoardRow]
    public var missedLastWeek: [BoardRow] { rows.filter { !PatrolRules.met(rounds: $0.lastWeek, norm: norm) } }
    public var behindThisWeek: [BoardRow] { rows.filter { !PatrolRules.met(rounds: $0.thisWeek, norm: norm) } }
}

/// The district's patrol settings.
public struct PatrolSettings: Codable, Sendable, Equatable {
    public var weeklyNorm: Int
    public var version: Int
}

/// Who acts on rounds: the account (a round is its walker's), its name, its area and what it may do.
public struct PatrolsActor: Sendable {
    public var audit: AuditActor
    public var accountID: UUID
    public var name: String
    /// The account's division: a grid worker's grid, a community worker's community.
    public var division: String
    public var scope: RegistryScope
    public init(audit: AuditActor, accountID: UUID, name: String, division: String, scope: RegistryScope) {
        self.audit = audit; self.accountID = accountID; self.name = name; self.division = division; self.scope = scope
    }
}

/// The rounds list's filter.
public struct RoundFilter: Sendable, Equatable {
    public var grid: String?
    public var week: PatrolWeek?
    public var status: RoundStatus?
    public var walker: UUID?
    public init(grid: String? = nil, week: PatrolWeek? = nil, status: RoundStatus? = nil, walker: UUID? = nil) {
        self.grid = grid; self.week = week; self.status = status; self.walker = walker
    }
}
