import LinliCore
import LinliData
import Vapor

/// 规划指标: the plan's targets measured live for one's area, with their history and export.
struct IndicatorsCapability: Capability {
    let name = "indicators"
    var grants: [Role: Set<Permission>] { IndicatorPermissions.grants }
    let audit: (any AuditAction.Type)? = IndicatorAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(5, CreateIndicatorSnapshots())] }

    func routes(_ routes: CapabilityRoutes) throws {
        IndicatorsAPI().boot(routes.api)
        IndicatorPages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "规划指标", href: "/console/indicators", needs: .indicatorsRead)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        user.may(.indicatorsRead) ? HomeContribution(links: ["<li><a href=\"/console/indicators\">规划指标（发展目标）</a></li>"]) : HomeContribution()
    }

    /// The plan's targets no capability measures yet (each later capability moves its own out), and
    /// 居民依法自治达标率, which the three capabilities of 居民自治 measure together.
    var indicators: [IndicatorDefinition] { SelfGovernmentIndicators.definitions + PlanTargets.definitions }
    var indicatorCounts: (any IndicatorSource)? { SelfGovernmentIndicatorCounts() }
}
