import LinliCore
import LinliData
import Vapor

/// 社会救助: applications to payments for 低保, 特困, 临时救助, 医疗救助 and the two disability subsidies; the
/// 公示 on the portal, re-checks, and finding people who should be helped.
struct AssistanceCapability: Capability {
    let name = "assistance"
    var grants: [Role: Set<Permission>] { AssistancePermissions.grants }
    let audit: (any AuditAction.Type)? = AssistanceAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(11, CreateAssistance())]
            + [NumberedMigration(13, CreateAssistanceFindings())] // MARK: 主动发现
    }

    func routes(_ routes: CapabilityRoutes) throws {
        // The portal's objections and the API's count against the same limit per address.
        let objections = RateLimiter(limit: routes.app.linli.anonymousSubmitLimit, window: 3600)
        AssistanceAPI(objectionLimiter: objections).boot(routes.api)
        // MARK: 主动发现
        AssistanceFindingsAPI().boot(routes.api)
        AssistanceFindingsPages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        HomeContribution()
    }

    // MARK: 主动发现 — its indicator, counted from the marks of the hits seen.
    var indicators: [IndicatorDefinition] { AssistanceFindingIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { AssistanceFindingCounts() }
}
