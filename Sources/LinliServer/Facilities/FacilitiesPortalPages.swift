import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: 身边的服务设施 — pick a community and see its facilities by kind with their hours and
/// addresses, and its map (buildings without residents' counts). No sign-in.
struct FacilitiesPortalPages {
    func boot(_ routes: Routes) {
        routes.get("nearby", needs: .open, use: communities)
        routes.get("nearby", ":community", needs: .open, use: community)
    }

    func communities(req: Request) async throws -> Response {
        let all = try await DivisionQueries(req.db).all(in: .everything)
        let byStreet = Dictionary(grouping: all.filter { $0.level == .community }, by: { String($0.code.prefix(9)) })
        let sections = all.filter { $0.level == .street }.map { s -> Markup in
            let items = (byStreet[String(s.code.prefix(9))] ?? []).map { c -> Markup in "<a href=\"/nearby/\(c.code)\">\(c.name)</a>" }
            return "<h2>\(s.name)</h2><p class=\"links\">\(items.joined(separator: " · "))</p>"
        }
        let body: Markup = """
            <h1>身边的服务设施</h1>
            <p>社区服务站、卫生服务站、养老服务站、菜市场、学校、文体场地等设施的位置、地址和开放时间。请选择镇（街道）下的村（社区）：</p>
            \(sections.isEmpty ? "<p class=\"empty\">暂无村（社区）。</p>" : sections.joined())
            """
        return PortalPages.page(req, title: "身边的服务设施", body: body)
    }

    func community(req: Request) async throws -> Response {
        let c = try await req.facilities.community(req.parameters.get("community"), in: .everything)
        let list = try await req.facilities.list(in: .everything, community: c.code, page: PageRequest(page: 1, perPage: PageRequest.maxPerPage))
        let byKind = Dictionary(grouping: list.items, by: \.kind)
        let sections = ServiceCircle.allCases.map { circle -> Markup in
            let kinds = FacilityKind.of(circle).compactMap { k -> Markup? in
                guard let items = byKind[k], !items.isEmpty else { return nil }
                let lis = items.map { f -> Markup in "<li><b>\(f.name)</b><br><small>\(f.address) · 开放时间：\(f.openingHours ?? "请咨询社区")</small></li>" }
                return "<h3>\(k.label)</h3><ul>\(lis)</ul>"
            }
            return "<h2>\(circle.label)</h2>" + (kinds.isEmpty ? "<p class=\"empty\">本社区暂未登记此圈的设施。</p>" : kinds.joined())
        }
        let map = try await req.facilitiesCoverage.map(of: c, kind: nil)
        let body: Markup = """
            <h1>\(c.name) · 身边的服务设施</h1>
            \(FacilitiesMap.svg(map, kind: nil, residents: false))
            \(sections.joined())
            <p><a href="/nearby">其他村（社区）</a></p>
            """
        return PortalPages.page(req, title: c.name + "服务设施", body: body)
    }
}
