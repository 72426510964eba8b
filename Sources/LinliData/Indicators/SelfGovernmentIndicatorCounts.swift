import FluentKit
import Foundation
import LinliCore

/// 居民依法自治达标率's count: the communities meeting all three parts of the standard (see
/// `SelfGovernmentIndicators`), each part asked of the capability that holds its data.
public struct SelfGovernmentIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        // A grid's scope holds no community.
        guard tally.scope.prefix.count <= 12 else { return }
        let prefix = tally.scope.prefix, today = tally.today
        let elected = try await ElectionsStanding.communitiesMeetingStandard(on: db, prefix: prefix, today: today)
        let deliberating = try await DeliberationStanding.communitiesMeetingStandard(on: db, prefix: prefix, today: today)
        let disclosing = try await DisclosureStanding.communitiesMeetingStandard(on: db, prefix: prefix, today: today)
        for code in elected.intersection(deliberating).intersection(disclosing) {
            tally.add(code) { $0.more[SelfGovernmentIndicators.Key.met] = 1 }
        }
    }
}
