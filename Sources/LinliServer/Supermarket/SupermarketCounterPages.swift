import Foundation
import LinliCore
import LinliData
import Vapor

/// The counter: the worker types the person's 公民身份号码 (posted, never in a URL), sees the name masked, the
/// balance and the household's assistance in payment, types the quantities of the goods and redeems; a
/// refusal names the field (the points, or the good short of stock) and nothing is written. A person's whole
/// ledger is a full view: audited.
struct SupermarketCounterPages {
    func boot(_ routes: Routes) {
        let s = routes.grouped("console", "supermarket")
        s.get(":id", "counter", needs: .permission(.supermarketRedeem), use: counter)
        s.post(":id", "counter", needs: .permission(.supermarketRedeem), use: lookup)
        s.post(":id", "redeem", needs: .permission(.supermarketRedeem), use: redeem)
        s.get("people", ":id", needs: .permission(.supermarketFullView), use: ledger)
        s.post("people", ":id", "adjust", needs: .permission(.supermarketGoods), use: adjust)
    }

    struct LookupForm: Content {
        var csrf: String?
        var id_number: String?
    }

    func counter(req: Request) async throws -> Response {
        try await render(req, idNumber: nil, holder: nil, errors: [], message: nil, quantities: [:], status: .ok)
    }

    func render(_ req: Request, idNumber: String?, holder: LovePointHolderRecord?, errors: [FieldError], message: Markup?,
                quantities: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.supermarketRedeem)
        let q = req.supermarket
        let m = try await q.requireMarket(try req.pathUUID(), in: req.registryScope)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        var body: Markup = """
            <h1>\(m.name) · 柜台兑换</h1>
            \(message.map { "<div class=\"notice\" role=\"status\">\($0)</div>" }.orEmpty)
            \(Console.formErrors(errors))
            <form method="post" action="/console/supermarket/\(m.id)/counter">\(Console.csrfField(user))
            \(Console.field("兑换人公民身份号码", name: "id_number", value: holder == nil ? idNumber : nil, error: err("id_number"), required: true,
                            extra: "maxlength=\"18\" autocomplete=\"off\""))
            <button type="submit">查找</button></form>
            """
        if let h = holder {
            let goods = try await q.goods(of: m.id)
            let assistance: Markup = h.assistanceKind.map { k -> Markup in "<span class=\"badge yellow\">\(k.shortLabel)</span>" } ?? "—"
            let rows = goods.map { g -> [Markup] in
                let field: Markup = g.stock > 0
                    ? "<input name=\"q_\(g.id.uuidString)\" type=\"number\" min=\"0\" max=\"\(g.stock)\" step=\"1\" inputmode=\"numeric\" value=\"\(quantities[g.id.uuidString] ?? "")\" aria-label=\"\(g.name)数量\" style=\"width:5em\">"
                    : "<span class=\"muted\">已兑完</span>"
                return [Markup.text(g.name), "\(g.price)", "\(g.stock)\(g.unit)", field]
            }
            body += """
                <section><h2>兑换人</h2>
                <p>\(h.nameMasked)（\(h.idMasked)）· 户号 \(h.householdNumber) · 救助情况：\(assistance)</p>
                <p>积分余额：<b id="balance">\(h.balance)</b> 分\(user.may(.supermarketFullView) ? " · <a href=\"/console/supermarket/people/\(h.residentId)\">积分明细</a>" : Markup.empty)</p>
                \(err("points").map { "<p class=\"field-error\" role=\"alert\">\($0)</p>" }.orEmpty)
                \(err("quantity").map { "<p class=\"field-error\" role=\"alert\">\($0)</p>" }.orEmpty)
                <form method="post" action="/console/supermarket/\(m.id)/redeem">\(Console.csrfField(user))
                <input type="hidden" name="resident_id" value="\(h.residentId)">
                \(Console.table(["物品", "积分", "库存", "兑换数量"], rows, empty: "本超市尚无物品"))
                <button type="submit">确认兑换</button></form></section>
                """
        }
        return Console.page(req, user, title: "柜台兑换", crumbs: SupermarketPages.crumbs + [Crumb(m.streetName ?? m.name, "/console/supermarket/\(m.id)"), Crumb("柜台兑换")],
                            body: body, status: status)
    }

    func lookup(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketRedeem)
        let f = (try? req.content.decode(LookupForm.self)) ?? LookupForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let h = try await req.supermarket.holder(residentID: nil, idNumber: f.id_number, at: try req.pathUUID(), by: req.supermarketActor)
            return try await render(req, idNumber: nil, holder: h, errors: [], message: nil, quantities: [:], status: .ok)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, idNumber: f.id_number, holder: nil, errors: errors, message: nil, quantities: [:], status: .unprocessableEntity)
        }
    }

    func redeem(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketRedeem)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, form["csrf"])
        let market = try req.pathUUID()
        guard let resident = form["resident_id"].flatMap({ UUID(uuidString: $0) }) else { throw ProblemError.badRequest("resident_id", "请先查找兑换人") }
        var quantities: [String: String] = [:]
        for (k, v) in form where k.hasPrefix("q_") && !v.trimmingCharacters(in: .whitespaces).isEmpty { quantities[String(k.dropFirst(2))] = v }
        do {
            var lines: [RedemptionLine] = []
            for (g, raw) in quantities.sorted(by: { $0.key < $1.key }) {
                guard let n = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw RegistryError.invalid([FieldError("quantity", "数量应为正整数")]) }
                if n != 0 { lines.append(RedemptionLine(goodsID: g, quantity: n)) }
            }
            let r = try await req.supermarket.redeem(at: market, residentID: resident, idNumber: nil, lines: lines, by: req.supermarketActor)
            let h = try await req.supermarket.holder(residentID: resident, idNumber: nil, at: market, by: req.supermarketActor)
            let receipt: Markup = "已兑换：\(r.lines)，共 \(r.points) 分；余额 \(r.balanceAfter) 分。当天可在超市页面作废。"
            return try await render(req, idNumber: nil, holder: h, errors: [], message: receipt, quantities: [:], status: .ok)
        } catch RegistryError.invalid(let errors) {
            let h = try? await req.supermarket.holder(residentID: resident, idNumber: nil, at: market, by: req.supermarketActor)
            return try await render(req, idNumber: nil, holder: h, errors: errors, message: nil, quantities: quantities, status: .unprocessableEntity)
        }
    }

    struct AdjustForm: Content {
        var csrf: String?
        var adj_points: String?
        var reason: String?
    }

    func ledger(req: Request) async throws -> Response {
        try await renderLedger(req, errors: [], values: AdjustForm(), message: req.formQuery("done") == "adjusted" ? "积分已调整。" : nil, status: .ok)
    }

    func adjust(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let f = (try? req.content.decode(AdjustForm.self)) ?? AdjustForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            let raw = f.adj_points?.trimmingCharacters(in: .whitespaces) ?? ""
            let points = raw.isEmpty ? nil : Int(raw)
            if !raw.isEmpty && points == nil { throw RegistryError.invalid([FieldError("points", "调整积分应为整数（减少填负数）")]) }
            _ = try await req.supermarket.adjust(id, points: points, reason: f.reason, by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/people/\(id)?done=adjusted", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderLedger(req, errors: errors, values: f, message: nil, status: .unprocessableEntity)
        }
    }

    func renderLedger(_ req: Request, errors: [FieldError], values: AdjustForm, message: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.supermarketFullView)
        let id = try req.pathUUID()
        let l = try await req.supermarket.ledger(of: id, page: req.consolePage(perPage: 30), by: req.supermarketActor)
        let h = l.holder
        let rows = l.entries.items.map { e -> [Markup] in
            [Markup.text(e.onDate), Markup.text(e.kind.label), e.points >= 0 ? "+\(e.points)" : "\(e.points)", "\(e.balance)",
             Markup.text((e.note ?? "") + (e.shortfall > 0 ? "（余额不足，\(e.shortfall)分未扣回）" : ""))]
        }
        let assistance: Markup = h.assistanceKind.map { k -> Markup in "<span class=\"badge yellow\">\(k.label)（在保）</span>" } ?? "无在保的社会救助"
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let form: Markup = user.may(.supermarketGoods) ? """
            <section><h2>调整积分</h2>
            <form method="post" action="/console/supermarket/people/\(id)/adjust">\(Console.csrfField(user))
            \(Console.field("调整积分", name: "adj_points", value: values.adj_points, error: err("points"), type: "number", required: true,
                            hint: "增加填正数，减少填负数；减少不能超过余额", extra: "step=\"1\" inputmode=\"numeric\""))
            \(Console.field("调整原因", name: "reason", value: values.reason, error: err("reason"), required: true, extra: "maxlength=\"100\""))
            <button type="submit">调整</button></form></section>
            """ : Markup.empty
        let body: Markup = """
            <h1>爱心积分明细</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p class="muted">个人积分明细含救助情况，每次查看都记入审计日志。</p>
            <p>\(h.nameMasked)（\(h.idMasked)）· 户号 \(h.householdNumber)<br>救助情况：\(assistance)</p>
            <p>余额 <b>\(h.balance)</b> 分 · 累计获得 \(h.earned) 分 · 累计兑换 \(h.spent) 分</p>
            \(Console.table(["日期", "类型", "积分", "余额", "说明"], rows, empty: "尚无积分记录"))
            \(Console.pager(l.entries, path: "/console/supermarket/people/\(id)", query: []))
            \(form)
            """
        return Console.page(req, user, title: "爱心积分明细", crumbs: SupermarketPages.crumbs + [Crumb("爱心积分明细")], body: body, status: status)
    }
}
