import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区党建's part of the indicators for the calendar year of the day: members by the grid where they live (报到
/// expected and done, service this year) and functional groups by community, each in one grouped query.
public struct PartyIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = PartyIndicators.Key
        let q = PartyQueries(db, today: tally.today)
        for d in tally.divisions where d.level == .community { tally.add(d.code) { $0.more = [K.communities: 1] } }
        for (grid, f) in try await q.figuresByGrid(prefix: tally.scope.prefix, year: tally.today.year) {
            tally.add(grid) {
                $0.more = [K.members: Int64(f.members), K.expected: Int64(f.expected), K.reported: Int64(f.reported), K.served: Int64(f.served),
                           K.minutes: Int64(f.minutes)]
            }
        }
        for (community, n) in try await q.functionalGroups(prefix: tally.scope.prefix) {
            tally.add(community) { $0.more = [K.functionalGroups: Int64(n)] }
        }
    }
}
