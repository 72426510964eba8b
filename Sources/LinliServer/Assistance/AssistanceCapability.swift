import FluentKit
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
        [NumberedMigration(11, CreateAssistance()),
         // MARK: Payments (救助金发放)
         NumberedMigration(12, CreateAssistancePayments())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        // The portal's objections and the API's count against the same limit per address.
        let objections = RateLimiter(limit: routes.app.linli.anonymousSubmitLimit, window: 3600)
        AssistanceAPI(objectionLimiter: objections).boot(routes.api)
        AssistancePages().boot(routes.pages)
        AssistanceFilePages().boot(routes.pages)
        AssistanceAdminPages().boot(routes.pages)
        AssistancePortalPages(objectionLimiter: objections).boot(routes.pages)
        // MARK: Payments (救助金发放)
        AssistancePayrollAPI().boot(routes.api)
        AssistancePayrollPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { AssistanceDemo() }
    var indicators: [IndicatorDefinition] {
        AssistanceIndicators.definitions
            // MARK: Payments (救助金发放)
            + AssistancePaymentIndicators.definitions
    }
    var indicatorCounts: (any IndicatorSource)? {
        // MARK: Payments (救助金发放): the cases' counts, then the year's paid total.
        IndicatorSources([AssistanceIndicatorCounts(), AssistancePaymentIndicatorCounts()])
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "社会救助", href: "/console/assistance", needs: .assistanceRead)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        var home = try await AssistanceHome.contribution(req, user)
        // MARK: Payments (救助金发放): a link for the street's reviewers.
        if user.may(.assistanceReview) {
            home.links.append("<li><a href=\"/console/assistance/payrolls\">救助金发放（月度名册、核对、银行文件）</a></li>")
        }
        return home
    }
}

// MARK: Payments (救助金发放)
/// Several sources counted one after another into the same tally (a capability declares one).
struct IndicatorSources: IndicatorSource {
    let parts: [any IndicatorSource]
    init(_ parts: [any IndicatorSource]) { self.parts = parts }

    func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        for p in parts { try await p.count(into: &tally, on: db) }
    }
}
