import LinliCore
import LinliData
import Vapor

/// 人口基础信息库: divisions and grids, buildings, households, residents and their events.
struct RegistryCapability: Capability {
    let name = "registry"
    var grants: [Role: Set<Permission>] { RegistryPermissions.grants }
    let audit: (any AuditAction.Type)? = RegistryAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(1, CreateDivisions()), NumberedMigration(1, CreateBuildingsAndHouseholds()), NumberedMigration(1, CreateResidents())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        DivisionsAPI().boot(routes.api)
        BuildingsAPI().boot(routes.api)
        ResidentsAPI().boot(routes.api)
        RegistryPages().boot(routes.pages)
    }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "居民", href: "/console/residents", needs: .registryRead, group: .registry),
         ConsoleSection(label: "区划楼栋", href: "/console/divisions", needs: .registryRead, group: .registry)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await RegistryHome.contribution(req, user) }

    var indicators: [IndicatorDefinition] { RegistryIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { RegistryIndicatorCounts() }
    var measures: (any MeasureSource)? { RegistryMeasures() }
    var demo: (any DemoStep)? { RegistryDemo() }
}
