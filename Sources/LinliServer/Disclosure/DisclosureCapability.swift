import FluentKit
import LinliCore
import LinliData
import Vapor

/// 四个公开与财务公开: each community's notices of the four kinds (政务、事务、财务、服务) with their minimum
/// periods and withdrawals kept, the portal's 居务公开 pages (a printable A4 sheet, a screen page without
/// script), the finance ledger approved by the street, quarterly statements published as 财务 notices, and
/// the indicators of current disclosure.
struct DisclosureCapability: Capability {
    let name = "disclosure"
    var grants: [Role: Set<Permission>] { DisclosurePermissions.grants }
    let audit: (any AuditAction.Type)? = DisclosureAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(23, CreateDisclosure())] }

    func routes(_ routes: CapabilityRoutes) throws {
        DisclosureAPI().boot(routes.api)
        DisclosurePages().boot(routes.pages)
        DisclosureLedgerPages().boot(routes.pages)
        DisclosurePortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { DisclosureDemo() }
    var indicators: [IndicatorDefinition] { DisclosureIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { DisclosureIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "居务公开", href: "/console/disclosure", needs: .disclosureRead, group: .selfGovernment)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await DisclosureHome.contribution(req, user) }
}
