import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: the 三级党员服务中心 of the district — where, when open, what they offer, and the members
/// on duty (surname only) — readable without signing in. Nothing else of the roll is public.
struct PartyPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "party-centres", needs: .open, use: list)
    }

    func list(req: Request) async throws -> Response {
        // By street (the district's centre with each), twenty to a page: a district has a few dozen.
        let streets = try await DivisionQueries(req.db).all(level: .street)
        let street = req.formQuery("street").flatMap { s in streets.first { $0.code == s } }
        let scope = street.map { RegistryScope(validatedCode: String($0.code.prefix(9))) } ?? .everything
        let all = try await req.party.centres(in: scope, masked: true)
        let pageRequest = req.consolePage(perPage: 20)
        let slice = Array(all.dropFirst(pageRequest.offset).prefix(pageRequest.perPage))
        let page = ResultPage(items: slice, total: all.count, page: pageRequest.page, perPage: pageRequest.perPage)
        let tabs = ([("", "全部")] + streets.map { ($0.code, $0.name) }).map { v, l -> Markup in
            (street?.code ?? "") == v ? "<b>\(l)</b>" : "<a href=\"/notices/party-centres\(v.isEmpty ? "" : "?street=" + v)\">\(l)</a>"
        }
        // One block per centre: residents read it on their phones.
        let items = page.items.map { c -> Markup in
            """
            <li><b>\(c.name)</b>（\(c.level.label)）<br>地址：\(c.address ?? c.facilityName ?? "—")<br>开放时间：\(c.openingHours)
            <br>服务内容：\(c.serviceList.map(\.label).joined(separator: "、"))\(c.duty.isEmpty ? Markup.empty : "<br>值班党员：\(c.duty.joined(separator: "、"))")</li>
            """
        }
        let body: Markup = """
            <h1>党员服务中心</h1>
            <p>区、街道和社区三级党员服务中心为党员和居民提供组织关系接转、党员教育、志愿服务、困难帮扶和政策咨询等服务。在职党员可到居住社区的党员服务站报到，参加社区服务。</p>
            <p class="tabs">\(tabs.joined(separator: " · "))</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的党员服务中心。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            \(Console.pager(page, path: "/notices/party-centres", query: [("street", street?.code)]))
            """
        return PortalPages.page(req, title: "党员服务中心", body: body)
    }
}
