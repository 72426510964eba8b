import FluentKit
import LinliCore
import LinliData
import Vapor

/// 设施与十分钟生活服务圈: the register of the community's service facilities by the kinds of the 5-, 10- and
/// 15-minute life circles (care's facilities are rows of it), the coverage of every building computed into a
/// snapshot, the gap analysis, the server-drawn community map, and the portal's 身边的服务设施.
struct FacilitiesCapability: Capability {
    let name = "facilities"
    var grants: [Role: Set<Permission>] { FacilitiesPermissions.grants }
    let audit: (any AuditAction.Type)? = FacilitiesAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(27, CreateFacilities())] }

    func routes(_ routes: CapabilityRoutes) throws {
        FacilitiesAPI().boot(routes.api)
        FacilitiesPages().boot(routes.pages)
        FacilitiesCoveragePages().boot(routes.pages)
        FacilitiesPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { FacilitiesDemo() }
    var indicators: [IndicatorDefinition] { FacilitiesIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { FacilitiesIndicatorCounts() }
    var measures: (any MeasureSource)? { FacilitiesMeasures() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "设施台账", href: "/console/facilities", needs: .facilitiesRead, group: .amenities),
         ConsoleSection(label: "服务圈覆盖", href: "/console/facilities/coverage", needs: .facilitiesRead, group: .amenities)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await FacilitiesHome.contribution(req, user) }
}
