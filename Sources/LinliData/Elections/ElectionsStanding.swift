import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Each community's latest counted election (succeeded or failed; elections in progress and cancelled ones do not
/// replace it): what the indicators and the self-government standard read. One row per election of the scope —
/// a few per community — so no tally is needed.
struct LatestElection: Sendable {
    var communityCode: String
    var status: ElectionStatus
    var electionDay: CivilDate
    var termEnd: CivilDate?
    var rollCount: Int
    var firstCast: Int?
    var firstBallot: Bool
    var elected: Int
    var minimumSize: Int

    static func all(on db: any Database, prefix: String) async throws -> [String: LatestElection] {
        let rows = try await SQLHelpers.sql(db).select()
            .columns("community_code", "committee_kind", "status", "election_day", "term_end", "roll_count", "first_cast", "first_ballot", "elected")
            .from("elections").wherePrefix("community_code", prefix, sqlite: db.isSQLite)
            .where("status", .in, SQLBind.group([ElectionStatus.succeeded.rawValue, ElectionStatus.failed.rawValue])).all()
        var latest: [String: LatestElection] = [:]
        for row in rows {
            guard let day = CivilDate(try row.decode(column: "election_day", as: String.self)),
                  let status = ElectionStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            let kind = CommitteeKind(rawValue: try row.decode(column: "committee_kind", as: String.self)) ?? .residents
            let e = LatestElection(communityCode: try row.decode(column: "community_code", as: String.self), status: status, electionDay: day,
                                   termEnd: (try row.decode(column: "term_end", as: String?.self)).flatMap { CivilDate($0) },
                                   rollCount: try row.decode(column: "roll_count", as: Int.self), firstCast: try row.decode(column: "first_cast", as: Int?.self),
                                   firstBallot: try row.decode(column: "first_ballot", as: Bool?.self) ?? false,
                                   elected: try row.decode(column: "elected", as: Int.self), minimumSize: kind.minimumSize)
            if let seen = latest[e.communityCode], seen.electionDay >= e.electionDay { continue }
            latest[e.communityCode] = e
        }
        return latest
    }

    /// Elected a committee of at least its minimum size.
    var succeeded: Bool { status == .succeeded && elected >= minimumSize }
}

/// 换届选举's part of 居民依法自治达标率.
public enum ElectionsStanding {
    /// The communities (codes under `prefix`) whose latest counted election is valid, elected a committee of at least
    /// its minimum size (5 members for a 居民委员会, 3 for a 村民委员会), was held on or before `today`, and whose
    /// term has not ended on `today`.
    public static func communitiesMeetingStandard(on db: any Database, prefix: String, today: CivilDate) async throws -> Set<String> {
        Set(try await LatestElection.all(on: db, prefix: prefix).values.filter { e in
            e.succeeded && e.electionDay <= today && (e.termEnd.map { today < $0 } ?? false)
        }.map(\.communityCode))
    }
}

/// 换届选举's part of the indicators (see `ElectionsIndicators` for the definitions): per community, its latest
/// counted election held in the last five years.
public struct ElectionsIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = ElectionsIndicators.Key
        let today = tally.today, since = today.yearsEarlier(ElectionRules.termYears)
        for e in try await LatestElection.all(on: db, prefix: tally.scope.prefix).values where e.electionDay > since && e.electionDay <= today {
            var counts: [String: Int64] = [K.roll: Int64(e.rollCount), K.cast: Int64(e.firstCast ?? 0)]
            if e.succeeded {
                counts[K.held] = 1
                if e.firstBallot { counts[K.firstBallot] = 1 }
            }
            tally.add(e.communityCode) { $0.more = counts }
        }
    }
}
