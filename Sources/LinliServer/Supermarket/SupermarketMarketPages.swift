import Foundation
import LinliCore
import LinliData
import Vapor

/// A supermarket's console page: where and when, its goods with prices and stock, the forms that add a good
/// and receive or adjust stock (the street), the day's redemptions with their void (the counter), and the
/// month's redemptions as .xlsx (audited).
struct SupermarketMarketPages {
    func boot(_ routes: Routes) {
        let s = routes.grouped("console", "supermarket")
        s.get(":id", needs: .permission(.supermarketRead), use: show)
        s.post(":id", "goods", needs: .permission(.supermarketGoods), use: addGoods)
        s.post(":id", "stock", needs: .permission(.supermarketGoods), use: stock)
        s.post("redemptions", ":id", "void", needs: .permission(.supermarketRedeem), use: void)
        s.get(":id", "redemptions.xlsx", needs: .permission(.supermarketRead), use: export)
    }

    struct GoodsForm: Content {
        var csrf: String?
        var name: String?
        var category: String?
        var unit: String?
        var price: String?
    }

    struct StockForm: Content {
        var csrf: String?
        var goods_id: String?
        var kind: String?
        var stock_quantity: String?
        var reason: String?
    }

    struct VoidForm: Content {
        var csrf: String?
        var reason: String?
    }

    struct Refused {
        var form: String
        var values: [String: String]
        var errors: [FieldError]
    }

    static func number(_ raw: String?, field: String, label: String) throws -> Int? {
        guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        guard let n = Int(t) else { throw RegistryError.invalid([FieldError(field, "\(label)应为整数")]) }
        return n
    }

    func show(req: Request) async throws -> Response {
        let done: String?
        switch req.formQuery("done") {
        case "goods": done = "已添加物品。"
        case "stock": done = "库存已更新。"
        case "void": done = "兑换已作废，积分和库存已退回。"
        default: done = nil
        }
        return try await render(req, refused: nil, message: done, status: .ok)
    }

    func render(_ req: Request, refused: Refused?, message: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.supermarketRead)
        let id = try req.pathUUID(), q = req.supermarket, today = req.application.linli.today()
        let m = try await q.requireMarket(id, in: req.registryScope)
        let goods = try await q.goods(of: id)
        // A day (YYYY-MM-DD) or a whole month (YYYY-MM) of redemptions; today's by default.
        let asked = req.formQuery("day") ?? ""
        let period = CivilDate(asked) != nil || (asked.count == 7 && SupermarketRules.checkMonth(asked, today: today).isEmpty) ? asked : today.description
        let redemptions = try await q.redemptions(of: id, period: period, page: req.consolePage(perPage: 30))
        func err(_ form: String, _ f: String) -> String? { refused?.form == form ? refused?.errors.first { $0.field == f }?.message : nil }
        func val(_ form: String, _ f: String) -> String? { refused?.form == form ? refused?.values[f] : nil }
        let keeps = user.may(.supermarketGoods) && req.registryScope.contains(code: m.streetCode)
        let counter = user.may(.supermarketRedeem)

        let goodsRows = goods.map { g -> [Markup] in
            ["<a href=\"/console/supermarket/\(m.id)/goods/\(g.id)\">\(g.name)</a>", Markup.text(g.category.label), "\(g.price)", g.stock > 0 ? "\(g.stock)" : "<span class=\"badge red\">0</span>", Markup.text(g.unit)]
        }
        var forms: Markup = .empty
        if keeps {
            let categories = [("", "请选择")] + SupermarketCategory.allCases.map { ($0.rawValue, $0.label) }
            let items = [("", "请选择")] + goods.map { ($0.id.uuidString, "\($0.name)（现有\($0.stock)\($0.unit)）") }
            forms = """
                <section><h2>入库或调整库存</h2>
                <form method="post" action="/console/supermarket/\(m.id)/stock">\(Console.csrfField(user))
                \(Console.select("物品", name: "goods_id", options: items, selected: val("stock", "goods_id"), error: err("stock", "goods_id"), required: true))
                \(Console.select("类型", name: "kind", options: [("received", "入库"), ("adjusted", "盘点调整")], selected: val("stock", "kind"), error: err("stock", "kind")))
                \(Console.field("数量", name: "stock_quantity", value: val("stock", "quantity"), error: err("stock", "quantity"), type: "number", required: true,
                                hint: "调整减少时填负数", extra: "step=\"1\" inputmode=\"numeric\""))
                \(Console.field("来源或调整原因", name: "reason", value: val("stock", "reason"), error: err("stock", "reason"), hint: "调整时必填，如“盘点短少”“过期报损”",
                                extra: "maxlength=\"100\""))
                <button type="submit">保存</button></form></section>
                <section><h2>添加物品</h2>
                <form method="post" action="/console/supermarket/\(m.id)/goods">\(Console.csrfField(user))
                \(Console.field("物品名称", name: "name", value: val("goods", "name"), error: err("goods", "name"), required: true, extra: "maxlength=\"40\""))
                \(Console.select("类别", name: "category", options: categories, selected: val("goods", "category"), error: err("goods", "category"), required: true))
                \(Console.field("单位", name: "unit", value: val("goods", "unit") ?? "件", error: err("goods", "unit"), required: true, extra: "maxlength=\"6\""))
                \(Console.field("兑换积分", name: "price", value: val("goods", "price"), error: err("goods", "price"), type: "number", required: true,
                                extra: "min=\"1\" step=\"1\" inputmode=\"numeric\""))
                <button type="submit">添加</button></form></section>
                """
        }
        let csrf = counter ? Console.csrfField(user) : Markup.empty
        let redemptionRows = redemptions.items.map { r -> [Markup] in
            let state: Markup = r.voided ? "<span class=\"badge red\">已作废</span>" : "有效"
            let action: Markup = counter && !r.voided && r.onDate == today.description ? """
                <form method="post" action="/console/supermarket/redemptions/\(r.id)/void" class="inline">\(csrf)<input name="reason" placeholder="作废原因" required maxlength="100" aria-label="作废原因"> <button type="submit">作废</button></form>
                """ : Markup.empty
            // The ledger only of those the user may see in full: a worker sees the street's redemptions, names masked.
            let holder: Markup = user.may(.supermarketFullView) && req.registryScope.contains(code: r.gridCode) ? "<a href=\"/console/supermarket/people/\(r.residentId)\">\(r.holderName ?? "—")</a>" : Markup.text(r.holderName ?? "—")
            return [Markup.text(r.onDate), holder, r.assistanceKind.map { k -> Markup in "<span class=\"badge yellow\">\(k.shortLabel)</span>" } ?? "—",
                    Markup.text(r.lines), "\(r.points)", state, action]
        }
        let month = String(period.prefix(7))
        let body: Markup = """
            <h1>\(m.name) \(SupermarketPages.badge(m))</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(refused.map { Console.formErrors($0.errors) }.orEmpty)
            <p>地点：\(m.address)<br>开放时间：\(m.openingHours)<br>负责人：\(m.keeperName)（\(m.keeperPhone)）</p>
            <p>\(counter ? "<a class=\"button\" href=\"/console/supermarket/\(m.id)/counter\">柜台兑换</a> · " : Markup.empty)\(keeps ? "<a href=\"/console/supermarket/\(m.id)/edit\">修改超市信息、开放状态</a> · " : Markup.empty)<a href="/notices/supermarkets/\(m.streetDivision)">门户上的公开信息</a></p>
            <h2>物品和库存</h2>
            \(Console.table(["物品", "类别", "兑换积分", "库存", "单位"], goodsRows, empty: "尚未添加物品"))
            \(forms)
            <h2>\(period) 的兑换</h2>
            <form method="get" action="/console/supermarket/\(m.id)" class="filters">\(Console.field("日期", name: "day", value: period.count == 10 ? period : nil, type: "date"))<button type="submit">查看</button> <a href="/console/supermarket/\(m.id)?day=\(month)">\(month) 全月</a></form>
            <p><a href="/console/supermarket/\(m.id)/redemptions.xlsx?month=\(month)">导出 \(month) 的兑换明细（.xlsx，记入审计）</a></p>
            \(Console.table(["日期", "兑换人", "救助情况", "物品", "积分", "状态", ""], redemptionRows, empty: "没有兑换"))
            \(Console.pager(redemptions, path: "/console/supermarket/\(m.id)", query: [("day", period)]))
            """
        return Console.page(req, user, title: m.name, crumbs: SupermarketPages.crumbs + [Crumb(m.streetName ?? m.name)], body: body, status: status)
    }

    func addGoods(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let f = (try? req.content.decode(GoodsForm.self)) ?? GoodsForm()
        try req.checkCSRF(user, f.csrf)
        let values = ["name": f.name, "category": f.category, "unit": f.unit, "price": f.price].compactMapValues { $0 }
        do {
            let input = GoodsInput(name: f.name, category: try SupermarketService.category(f.category), unit: f.unit,
                                   price: try Self.number(f.price, field: "price", label: "兑换积分"))
            let g = try await req.supermarket.addGoods(try req.pathUUID(), input, by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/\(g.supermarketId)?done=goods", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, refused: Refused(form: "goods", values: values, errors: errors), message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, refused: Refused(form: "goods", values: values, errors: [e]), message: nil, status: .conflict)
        }
    }

    func stock(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let f = (try? req.content.decode(StockForm.self)) ?? StockForm()
        try req.checkCSRF(user, f.csrf)
        let market = try req.pathUUID()
        let values = ["goods_id": f.goods_id, "kind": f.kind, "quantity": f.stock_quantity, "reason": f.reason].compactMapValues { $0 }
        do {
            guard let goods = f.goods_id.flatMap({ UUID(uuidString: $0) }), let g = try await req.supermarket.goodsItem(goods), g.supermarketId == market else {
                throw RegistryError.invalid([FieldError("goods_id", "请选择本超市的物品")])
            }
            _ = try await req.supermarket.moveStock(goods, kind: try SupermarketService.stockKind(f.kind ?? "received"),
                                                    quantity: try Self.number(f.stock_quantity, field: "quantity", label: "数量"), reason: f.reason, by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/\(market)?done=stock", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, refused: Refused(form: "stock", values: values, errors: errors), message: nil, status: .unprocessableEntity)
        }
    }

    func void(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketRedeem)
        let f = (try? req.content.decode(VoidForm.self)) ?? VoidForm()
        try req.checkCSRF(user, f.csrf)
        let r = try await req.supermarket.void(try req.pathUUID(), reason: f.reason, by: req.supermarketActor)
        return req.redirect(to: "/console/supermarket/\(r.supermarketId)?done=void", redirectType: .normal)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.supermarketRead)
        return try await SupermarketService.export(req, id: try req.pathUUID(), month: req.formQuery("month"))
    }
}
