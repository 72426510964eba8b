import Foundation
import LinliCore
import LinliData
import Vapor

/// One capability of the platform (the registry, requests, elderly care …): everything it adds to the
/// platform, declared in one place. `configure`, the console's navigation, the home page, the indicators,
/// `linli demo`, the OpenAPI contract and the security matrix all iterate over `Capabilities.all`;
/// nothing shared is edited to add one. See docs/architecture.md, "Adding a capability".
protocol Capability: Sendable {
    /// Short English name: its folders, its contract file (`Resources/openapi/<name>.yaml`), its audit prefix.
    var name: String { get }
    /// Which roles hold its permissions (the permissions themselves: `extension Permission` in its LinliCore folder).
    var grants: [Role: Set<Permission>] { get }
    /// Its migrations, each with the number of the release folder it came in (the order across capabilities).
    var migrations: [NumberedMigration] { get }
    /// Its API routes and pages, each with what it needs.
    func routes(_ routes: CapabilityRoutes) throws
    /// Its entries in the console's navigation bar, in order.
    var sections: [ConsoleSection] { get }
    /// What it puts on a user's home page (to-do tiles, figures, links); empty when the user has no part in it.
    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution
    /// Its indicators (definitions from its LinliCore folder) and its part of their computation.
    var indicators: [IndicatorDefinition] { get }
    var indicatorCounts: (any IndicatorSource)? { get }
    /// Its measures for report-once forms (一表通): what a form's automatic field can ask of it.
    var measures: (any MeasureSource)? { get }
    /// Its part of the demo district (`linli demo`), run in the order of the list.
    var demo: (any DemoStep)? { get }
    /// The audit actions it writes: its typed enum (`RegistryAudit` …), next to its queries in LinliData.
    var audit: (any AuditAction.Type)? { get }
    /// Every column of its tables that stores a division code (or is named like one and does not): what a boundary
    /// change (区划调整) does to each. `DivisionColumnsTests` fails when a `*_code` column of the schema is not declared.
    var divisionColumns: [DivisionColumn] { get }
}

extension Capability {
    var grants: [Role: Set<Permission>] { [:] }
    var migrations: [NumberedMigration] { [] }
    var sections: [ConsoleSection] { [] }
    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { HomeContribution() }
    var indicators: [IndicatorDefinition] { [] }
    var indicatorCounts: (any IndicatorSource)? { nil }
    var measures: (any MeasureSource)? { nil }
    var demo: (any DemoStep)? { nil }
    var audit: (any AuditAction.Type)? { nil }
    var divisionColumns: [DivisionColumn] { [] }
}

/// An entry of the console's navigation bar.
struct ConsoleSection: Sendable {
    let label: String
    let href: String
    let needs: Permission?
    /// The navigation bar's menu it sits in; nil: a link of its own on the bar.
    var group: NavGroup? = nil
}

/// The navigation bar's menus, named after the plan's tasks, so the bar stays one line as capabilities are added.
/// A menu with one section the role may use shows as that section's link.
enum NavGroup: String, Sendable, CaseIterable {
    case registry = "基础信息"
    case requests = "网上受理"
    /// 深化社区服务: care, assistance, employment and the like.
    case services = "社区服务"
    /// 完善多元参与机制: social organizations, volunteers.
    case participation = "多元参与"
    /// 健全居民自治机制: committee elections, deliberation and consultation, the four disclosures.
    case selfGovernment = "居民自治"
    /// 社区减负 (lightening the communities' load): admission of departments' tasks into communities (准入) and report-once forms (一表通).
    case burden = "社区减负"
    /// 加强社区工作者队伍建设: the community workers, their qualifications, appraisals and pay grades.
    case workforce = "队伍建设"
    /// 完善社区服务设施 and 繁荣社区文化: the facility register and its service circles, venues, activities and awards.
    case amenities = "设施与文化"
    /// 深化社区党建: party organizations, members, service centres and brand projects.
    case party = "社区党建"
}

/// A capability's part of a user's home page: to-do tiles first, then the area's figures, then links.
struct HomeContribution: Sendable {
    var todo: [Markup] = []
    var figures: [Markup] = []
    var links: [Markup] = []
}

/// Where a capability adds its routes.
struct CapabilityRoutes {
    /// `/api/v1`, signed in by a bearer token.
    let api: Routes
    /// Console and portal pages, signed in by the session cookie; errors answered as pages.
    let pages: Routes
    /// The bare root, for paths with their own rules (health, Open311, the sign-in form, the stylesheet).
    let root: Routes
    let app: Application

    init(_ app: Application, capability: String) {
        let table = app.routeTable
        api = Routes(app.grouped("api", "v1").grouped(BearerAuthenticator()), surface: .api, capability: capability, table: table)
        pages = Routes(app.grouped(CookieAuthenticator()).grouped(WebErrorMiddleware()), surface: .page, capability: capability, table: table)
        root = Routes(app, surface: .api, capability: capability, table: table)
        self.app = app
    }
}
