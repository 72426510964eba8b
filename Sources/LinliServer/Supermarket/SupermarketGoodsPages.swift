import Foundation
import LinliCore
import LinliData
import Vapor

/// 库存台账 of one good: every movement (received, adjusted, redeemed, voided) with the stock after it, newest first.
struct SupermarketGoodsPages {
    func boot(_ routes: Routes) {
        routes.grouped("console", "supermarket").get(":id", "goods", ":goods", needs: .permission(.supermarketRead), use: ledger)
    }

    func ledger(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketRead)
        let q = req.supermarket
        let m = try await q.requireMarket(try req.pathUUID(), in: req.registryScope)
        guard let raw = req.parameters.get("goods"), let goodsID = UUID(uuidString: raw), let g = try await q.goodsItem(goodsID), g.supermarketId == m.id
        else { throw RegistryError.notFound("物品") }
        let rows = try await q.stockMoves(of: g.id, limit: 100).map { s -> [Markup] in
            [Markup.text(s.onDate), Markup.text(s.kind.label), Markup.text(s.quantity > 0 ? "+\(s.quantity)" : "\(s.quantity)"), "\(s.balance)",
             Markup.text(s.reason ?? "—"), Markup.text(s.recordedBy)]
        }
        let body: Markup = """
            <h1>\(g.name) · 库存台账</h1>
            <p>\(m.name) · \(g.category.label) · 兑换 \(g.price) 分/\(g.unit) · 现有库存 <b>\(g.stock)</b> \(g.unit)</p>
            \(Console.table(["日期", "事项", "数量", "结存", "说明", "经办人"], rows, empty: "尚无出入库记录"))
            <p class="muted">显示最近100笔。</p>
            <p><a href="/console/supermarket/\(m.id)">返回\(m.name)</a></p>
            """
        return Console.page(req, user, title: "\(g.name) · 库存台账",
                            crumbs: SupermarketPages.crumbs + [Crumb(m.streetName ?? m.name, "/console/supermarket/\(m.id)"), Crumb(g.name)], body: body)
    }
}
