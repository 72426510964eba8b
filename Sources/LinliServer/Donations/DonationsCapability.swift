import FluentKit
import LinliCore
import LinliData
import Vapor

/// 捐赠物资接收点: a point in every community, the donations it receives, its stock and the hand-outs to
/// households (with their social-assistance case in view), the portal's page of each point, and the plan's
/// coverage target.
struct DonationsCapability: Capability {
    let name = "donations"
    var grants: [Role: Set<Permission>] { DonationsPermissions.grants }
    let audit: (any AuditAction.Type)? = DonationsAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(16, CreateDonations())] }

    func routes(_ routes: CapabilityRoutes) throws {
        DonationsAPI().boot(routes.api)
        DonationsPages().boot(routes.pages)
        DonationsPointPages().boot(routes.pages)
        DonationsPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { DonationsDemo() }
    var measures: (any MeasureSource)? { DonationsMeasures() }
    var indicators: [IndicatorDefinition] { DonationsIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { DonationsIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "捐赠物资", href: "/console/donations", needs: .donationsRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await DonationsHome.contribution(req, user) }
}
