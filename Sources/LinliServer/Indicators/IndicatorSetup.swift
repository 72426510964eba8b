import Foundation
import LinliCore
import LinliData

extension IndicatorQueries {
    /// Every capability's indicators for `scope`, each counted by its capability.
    public func compute(in scope: RegistryScope, today: CivilDate) async throws -> IndicatorTable {
        try await compute(in: scope, today: today, catalog: Capabilities.indicatorCatalog, sources: Capabilities.indicatorSources)
    }

    /// Each capability's source counted alone over `scope`, best of `runs`, in milliseconds: where the dashboard's
    /// time goes (`linli bench indicators`).
    public func sourceTimes(in scope: RegistryScope, today: CivilDate, runs: Int) async throws -> [(name: String, ms: Double)] {
        try await sourceTimes(in: scope, today: today, runs: runs,
                              sources: Capabilities.all.compactMap { c in c.indicatorCounts.map { (c.name, $0) } })
    }

    /// Stores every capability's measured indicators under `period` (see the data layer's `snapshot`).
    @discardableResult
    public func snapshot(period: String, today: CivilDate, now: Date, by actor: AuditActor) async throws -> Int {
        try await snapshot(period: period, today: today, now: now, by: actor, catalog: Capabilities.indicatorCatalog,
                           sources: Capabilities.indicatorSources)
    }
}
