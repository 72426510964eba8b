import FluentKit
import LinliCore
import LinliData
import Vapor

/// 换届选举: the election of each community's 居民委员会 and each village's 村民委员会 — the plan, the voter roll
/// drawn from the registry and published, candidates, proxies, ballot boxes counted twice, the round closed by the
/// rules, the committee elected and its term; the street's board; the portal's 选举公告; the plan's indicators.
struct ElectionsCapability: Capability {
    let name = "elections"
    var grants: [Role: Set<Permission>] { ElectionsPermissions.grants }
    let audit: (any AuditAction.Type)? = ElectionsAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(21, CreateElections())] }

    func routes(_ routes: CapabilityRoutes) throws {
        ElectionsAPI().boot(routes.api)
        ElectionsPages().boot(routes.pages)
        ElectionsPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { ElectionsDemo() }
    var indicators: [IndicatorDefinition] { ElectionsIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { ElectionsIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "换届选举", href: "/console/elections", needs: .electionsRead, group: .selfGovernment)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await ElectionsHome.contribution(req, user) }
}
