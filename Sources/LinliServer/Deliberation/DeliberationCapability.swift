import FluentKit
import LinliCore
import LinliData
import Vapor

/// 民主协商与网上议事: a community's deliberation meetings (民情恳谈会, 事务协调会, 工作听证会, 成效评议会, 楼道/业主议事)
/// with participants, minutes, resolutions and their follow-up; 网上议事 proposals with residents' supports and
/// comments, moderation and the closing decision; the portal's pages; the year's indicators; the community's part of
/// 居民依法自治达标率 (`DeliberationStanding`).
struct DeliberationCapability: Capability {
    let name = "deliberation"
    var grants: [Role: Set<Permission>] { DeliberationPermissions.grants }
    let audit: (any AuditAction.Type)? = DeliberationAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(22, CreateDeliberation())] }

    func routes(_ routes: CapabilityRoutes) throws {
        DeliberationAPI().boot(routes.api)
        DeliberationPages().boot(routes.pages)
        ConsultationPages().boot(routes.pages)
        DeliberationPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { DeliberationDemo() }
    var indicators: [IndicatorDefinition] { DeliberationIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { DeliberationIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "民主协商", href: "/console/deliberation", needs: .deliberationRead, group: .selfGovernment),
         ConsoleSection(label: "网上议事", href: "/console/consultations", needs: .deliberationRead, group: .selfGovernment)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await DeliberationHome.contribution(req, user) }
}
