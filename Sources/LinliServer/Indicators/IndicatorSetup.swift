import Foundation
import LinliCore
import LinliData

extension IndicatorQueries {
    /// Every capability's indicators for `scope`, each counted by its capability.
    public func compute(in scope: RegistryScope, today: CivilDate) async throws -> IndicatorTable {
        try await compute(in: scope, today: today, catalog: Capabilities.indicatorCatalog, sources: Capabilities.indicatorSources)
    }

    /// Stores every capability's measured indicators under `period` (see the data layer's `snapshot`).
    @discardableResult
    public func snapshot(period: String, today: CivilDate, now: Date, by actor: AuditActor) async throws -> Int {
        try await snapshot(period: period, today: today, now: now, by: actor, catalog: Capabilities.indicatorCatalog,
                           sources: Capabilities.indicatorSources)
    }
}
