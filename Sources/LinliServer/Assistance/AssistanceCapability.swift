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
        // MARK: Payments (救助金发放)
        AssistancePayrollAPI().boot(routes.api)
        AssistancePayrollPages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        // MARK: Payments (救助金发放): a link for the street's reviewers.
        guard user.may(.assistanceReview) else { return HomeContribution() }
        return HomeContribution(links: ["<li><a href=\"/console/assistance/payrolls\">救助金发放（月度名册、核对、银行文件）</a></li>"])
    }

    // MARK: Payments (救助金发放): the payments' indicator and its count; combine with the capability's own when it has some.
    var indicators: [IndicatorDefinition] { AssistancePaymentIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { AssistancePaymentIndicatorCounts() }
}
