import LinliCore
import LinliData
import Vapor

/// 居家养老: the roll of elders, assessments, care plans, service records, emergency calls, facilities.
struct CareCapability: Capability {
    let name = "care"
    var grants: [Role: Set<Permission>] { CarePermissions.grants }
    let audit: (any AuditAction.Type)? = CareAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(6, CreateCare()), NumberedMigration(7, UpdateCareAddUnder60ReasonAndProviderIndex())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        CareAPI().boot(routes.api)
        CarePages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "居家养老", href: "/console/care", needs: .careRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.careRead) else { return HomeContribution() }
        return HomeContribution(todo: [try await CareHome.todo(req)],
                                links: ["<li><a href=\"/console/care\">居家养老（名册、评估、照护计划、紧急呼叫）</a></li>"])
    }

    var indicators: [IndicatorDefinition] { CareIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { CareIndicatorCounts() }
    var demo: (any DemoStep)? { CareDemo() }
    var measures: (any MeasureSource)? { CareMeasures() }
}
