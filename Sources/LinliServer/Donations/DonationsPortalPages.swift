import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: where each community's donation point is, when it is open and what it needs now,
/// readable without signing in. Only the point's own facts are shown — the keeper's name and phone masked,
/// nothing about who received what.
struct DonationsPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "donations", needs: .open, use: list)
        routes.get("notices", "donations", ":community", needs: .open, use: point)
    }

    static func status(_ p: DonationPointRecord) -> Markup {
        p.open ? "<span class=\"badge\">开放接收</span>" : "<span class=\"badge red\">暂停接收</span>"
    }

    func list(req: Request) async throws -> Response {
        let points = try await req.donations.publicPoints()
        // One block per point, not a table: residents read it on their phones.
        let items = points.map { p -> Markup in
            """
            <li><a href="/notices/donations/\(p.communityCode)"><b>\(p.communityName ?? p.communityCode)</b></a> \(Self.status(p))<br>
            \(p.address) · \(p.openingHours)\(p.needsList.isEmpty ? Markup.empty : "<br>急需：\(p.needsList.joined(separator: "、"))")</li>
            """
        }
        let body: Markup = """
            <h1>捐赠物资接收点</h1>
            <p>各村（社区）设有捐赠物资接收点，接收衣物、粮油、日用品、书籍文具、家电家具等爱心捐赠，由社区登记入库，发放给辖区内有需要的家庭。捐赠前请留意开放时间和急需物资。</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的接收点。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            """
        return PortalPages.page(req, title: "捐赠物资接收点", body: body)
    }

    func point(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("community"), let code = try? DivisionCode(raw), code.level == .community,
              let p = try await req.donations.point(community: code.value)
        else { throw RegistryError.notFound("捐赠物资接收点") }
        let needs = p.needsList.map { n -> Markup in "<li>\(n)</li>" }
        let map: Markup = p.latitude.map { lat -> Markup in
            "<p>地图位置：北纬 \(String(format: "%.4f", lat))，东经 \(String(format: "%.4f", p.longitude ?? 0))</p>"
        }.orEmpty
        let body: Markup = """
            <h1>\(p.title)</h1>
            <p>\(Self.status(p))</p>
            <p>地点：\(p.address)<br>开放时间：\(p.openingHours)<br>联系人：\(Masking.name(p.keeperName))（\(p.keeperPhoneMasked)）</p>
            \(map)
            <h2>目前急需</h2>
            \(needs.isEmpty ? "<p class=\"empty\">暂无特别需要的物资，欢迎各类爱心捐赠。</p>" : "<ul>\(needs)</ul>")
            <p class="muted">捐赠的物资由社区登记入库，发放给辖区内有需要的家庭；受赠家庭的信息不公开。</p>
            <p><a href="/notices/donations">其他村（社区）的接收点</a></p>
            """
        return PortalPages.page(req, title: (p.communityName ?? "") + "捐赠物资接收点", body: body)
    }
}
