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
        let centres = try await req.party.centres(in: .everything, masked: true)
        // One block per centre: residents read it on their phones.
        let items = centres.map { c -> Markup in
            """
            <li><b>\(c.name)</b>（\(c.level.label)）<br>地址：\(c.address ?? c.facilityName ?? "—")<br>开放时间：\(c.openingHours)
            <br>服务内容：\(c.serviceList.map(\.label).joined(separator: "、"))\(c.duty.isEmpty ? Markup.empty : "<br>值班党员：\(c.duty.joined(separator: "、"))")</li>
            """
        }
        let body: Markup = """
            <h1>党员服务中心</h1>
            <p>区、街道和社区三级党员服务中心为党员和居民提供组织关系接转、党员教育、志愿服务、困难帮扶和政策咨询等服务。在职党员可到居住社区的党员服务站报到，参加社区服务。</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的党员服务中心。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            """
        return PortalPages.page(req, title: "党员服务中心", body: body)
    }
}
