import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: each street's 爱心超市 — where, when open, its goods with their prices in points and
/// whether in stock — readable without signing in. Nothing personal: no holder, no redemption, the keeper's
/// phone masked.
struct SupermarketPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "supermarkets", needs: .open, use: list)
        routes.get("notices", "supermarkets", ":street", needs: .open, use: market)
        routes.get("points", needs: .permission(.supermarketOwn), use: own)
    }

    /// 我的爱心积分: a signed-in resident's balance and ledger, once their account is linked to the registry.
    func own(req: Request) async throws -> Response {
        _ = try req.webUser(.supermarketOwn)
        guard let p = req.principal else { throw RegistryError.forbidden("请先登录") }
        guard let person = try await req.accountLink.resident(of: p.account.id) else {
            let body: Markup = """
                <h1>我的爱心积分</h1>
                <p>查看爱心积分前，请先在<a href="/volunteer">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>
                """
            return PortalPages.page(req, title: "我的爱心积分", body: body)
        }
        let mine = try await req.supermarket.ownPoints(of: person.id)
        let rows = mine.entries.map { e -> [Markup] in
            [Markup.text(e.onDate), Markup.text(e.kind.label), Markup.text(e.points > 0 ? "+\(e.points)" : "\(e.points)"), "\(e.balance)"]
        }
        let body: Markup = """
            <h1>我的爱心积分</h1>
            <p>\(Masking.name(person.name))，您的爱心积分余额：<b>\(mine.balance)</b> 分。</p>
            \(Console.table(["日期", "事项", "积分", "余额"], rows, empty: "尚无积分记录"))
            \(Self.about)
            <p><a href="/notices/supermarkets">各镇（街道）的爱心超市和可兑换物品</a></p>
            """
        return PortalPages.page(req, title: "我的爱心积分", body: body)
    }

    static let about: Markup = "<p>爱心超市设在各镇（街道），居民以爱心积分兑换粮油、日用品、文具等物品。参加志愿服务经核实的时长可按标准记入爱心积分；低保、特困等救助家庭每月可获得爱心积分。兑换时请携带居民身份证到柜台办理。</p>"

    func list(req: Request) async throws -> Response {
        let markets = try await req.supermarket.publicMarkets()
        let items = markets.map { m -> Markup in
            """
            <li><a href="/notices/supermarkets/\(m.streetDivision)"><b>\(m.name)</b></a> \(m.open ? "<span class=\"badge\">开放</span>" : "<span class=\"badge red\">暂停开放</span>")<br>
            \(m.address) · \(m.openingHours)</li>
            """
        }
        let body: Markup = """
            <h1>爱心超市</h1>
            \(Self.about)
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的爱心超市。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            """
        return PortalPages.page(req, title: "爱心超市", body: body)
    }

    func market(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("street"), let code = try? DivisionCode(raw), code.level == .street,
              let m = try await req.supermarket.market(street: String(code.value.prefix(9)))
        else { throw RegistryError.notFound("爱心超市") }
        let goods = try await req.supermarket.goods(of: m.id)
        let byCategory = Dictionary(grouping: goods, by: \.category)
        let sections = SupermarketCategory.allCases.compactMap { c -> Markup? in
            guard let list = byCategory[c], !list.isEmpty else { return nil }
            let lis = list.map { g -> Markup in
                "<li>\(g.name)：\(g.price) 分/\(g.unit)\(g.stock > 0 ? Markup.empty : " <span class=\"badge red\">暂缺</span>")</li>"
            }
            return "<h3>\(c.label)</h3><ul>\(lis)</ul>"
        }
        let body: Markup = """
            <h1>\(m.name)</h1>
            <p>\(m.open ? "<span class=\"badge\">开放</span>" : "<span class=\"badge red\">暂停开放</span>")</p>
            <p>地点：\(m.address)<br>开放时间：\(m.openingHours)<br>联系人：\(Masking.name(m.keeperName))（\(Masking.phone(m.keeperPhone))）</p>
            <h2>可兑换物品（所需爱心积分）</h2>
            \(sections.isEmpty ? "<p class=\"empty\">暂无物品。</p>" : sections.joined(separator: ""))
            \(Self.about)
            <p><a href="/notices/supermarkets">其他镇（街道）的爱心超市</a></p>
            """
        return PortalPages.page(req, title: m.name, body: body)
    }
}
