import FluentKit
import LinliCore
import LinliData
import Vapor

/// 社会救助: applications to payments for 低保, 特困, 临时救助, 医疗救助 and the two disability subsidies; the
/// 公示 on the portal, re-checks, payments, and finding people who should be helped.
struct AssistanceCapability: Capability {
    let name = "assistance"
    var grants: [Role: Set<Permission>] { AssistancePermissions.grants }
    let audit: (any AuditAction.Type)? = AssistanceAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(11, CreateAssistance()), NumberedMigration(12, CreateAssistancePayments()),
         NumberedMigration(13, CreateAssistanceFindings())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        // The portal's objections and the API's count against the same limit per address.
        let objections = RateLimiter(limit: routes.app.linli.anonymousSubmitLimit, window: 3600)
        AssistanceAPI(objectionLimiter: objections).boot(routes.api)
        AssistancePages().boot(routes.pages)
        AssistanceFilePages().boot(routes.pages)
        AssistanceAdminPages().boot(routes.pages)
        AssistancePortalPages(objectionLimiter: objections).boot(routes.pages)
        // 救助金发放
        AssistancePayrollAPI().boot(routes.api)
        AssistancePayrollPages().boot(routes.pages)
        // 主动发现
        routes.app.findingCounts = FindingCountCache()
        AssistanceFindingsAPI().boot(routes.api)
        AssistanceFindingsPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { AssistanceDemo() }
    var measures: (any MeasureSource)? { AssistanceMeasures() }
    var indicators: [IndicatorDefinition] {
        AssistanceIndicators.definitions + AssistancePaymentIndicators.definitions + AssistanceFindingIndicators.definitions
    }
    /// The cases' counts, the year's paid total, the findings handled in time.
    var indicatorCounts: (any IndicatorSource)? {
        IndicatorSources([AssistanceIndicatorCounts(), AssistancePaymentIndicatorCounts(), AssistanceFindingCounts()])
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "社会救助", href: "/console/assistance", needs: .assistanceRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        var home = try await AssistanceHome.contribution(req, user)
        // The unhandled findings, for those who see cases.
        if user.may(.assistanceRead) { home.todo.append(try await AssistanceFindingsHome.todo(req)) }
        return home
    }
}
