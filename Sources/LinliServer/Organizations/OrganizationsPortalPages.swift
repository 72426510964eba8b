import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: the active social organizations of the district — name, kind, field of service and the
/// community or street they serve — readable without signing in. Nothing personal: no legal person, no phone.
struct OrganizationsPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "organizations", needs: .open, use: list)
    }

    func list(req: Request) async throws -> Response {
        let kind = req.formQuery("kind").flatMap(OrganizationKind.init(rawValue:))
        let page = try await req.organizations.publicList(kind: kind, page: req.consolePage(perPage: 30))
        // One block per organization, not a table: residents read it on their phones.
        let items = page.items.map { o -> Markup in
            "<li><b>\(o.name)</b><br>\(o.kind.label) · \(o.field.label) · \(o.divisionName ?? o.divisionCode)</li>"
        }
        let tabs = ([("", "全部")] + OrganizationKind.allCases.map { ($0.rawValue, $0.label) }).map { v, l -> Markup in
            (kind?.rawValue ?? "") == v ? "<b>\(l)</b>" : "<a href=\"/notices/organizations\(v.isEmpty ? "" : "?kind=" + v)\">\(l)</a>"
        }
        let body: Markup = """
            <h1>社区社会组织</h1>
            <p>辖区内正常活动的社会组织，包括在民政部门登记的社会团体、民办非企业单位（社会服务机构）、基金会和在村（社区）备案的社区社会组织。欢迎居民参加它们组织的服务和活动。</p>
            <p class="tabs">\(tabs.joined(separator: " · "))</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的社会组织。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            \(Console.pager(page, path: "/notices/organizations", query: [("kind", kind?.rawValue)]))
            """
        return PortalPages.page(req, title: "社区社会组织", body: body)
    }
}
