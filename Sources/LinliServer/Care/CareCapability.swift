import LinliCore
import LinliData
import Vapor

/// 居家养老: the roll of elders, assessments, care plans, service records, emergency calls, facilities.
struct CareCapability: Capability {
    let name = "care"
    let audit: (any AuditAction.Type)? = CareAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(6, CreateCare()), NumberedMigration(7, UpdateCareAddUnder60ReasonAndProviderIndex())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        CareAPI().boot(routes.api)
        CarePages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "居家养老", href: "/console/care", needs: .careRead)] }

    var indicators: [IndicatorDefinition] { CareIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { CareIndicatorCounts() }
    var demo: (any DemoStep)? { CareDemo() }
}
