import FluentKit
import LinliCore
import LinliData
import Vapor

/// 助残康复: the disability roll (残疾人证), needs assessments ("出现一个、扶助一个"), rehabilitation in institutions,
/// the community and at home, assistive devices, and the holder's subsidies from 社会救助.
struct DisabilityCapability: Capability {
    let name = "disability"
    var grants: [Role: Set<Permission>] { DisabilityPermissions.grants }
    let audit: (any AuditAction.Type)? = DisabilityAudit.self
    var migrations: [NumberedMigration] { [NumberedMigration(15, CreateDisability())] }

    func routes(_ routes: CapabilityRoutes) throws {
        DisabilityAPI().boot(routes.api)
        DisabilityPages().boot(routes.pages)
        DisabilityCardPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { DisabilityDemo() }
    var measures: (any MeasureSource)? { DisabilityMeasures() }
    var indicators: [IndicatorDefinition] { DisabilityIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { DisabilityIndicatorCounts() }
    var sections: [ConsoleSection] { [ConsoleSection(label: "助残康复", href: "/console/disability", needs: .disabilityRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await DisabilityHome.contribution(req, user) }
}
