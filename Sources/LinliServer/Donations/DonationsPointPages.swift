import Foundation
import LinliCore
import LinliData
import Vapor

/// A point's console page: where and when it is open, what it holds, the form for a donation received, the
/// hand-out form (the household looked up by its number shows its social-assistance case), and the ledger
/// with every movement and the balance after it, exportable as .xlsx (audited).
struct DonationsPointPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "donations")
        d.get(":id", needs: .permission(.donationsRead), use: show)
        d.post(":id", "donations", needs: .permission(.donationsWrite), use: receive)
        d.post(":id", "handouts", needs: .permission(.donationsWrite), use: handOut)
        d.get(":id", "ledger.xlsx", needs: .permission(.donationsRead), use: export)
    }

    struct ReceiveForm: Content {
        var csrf: String?
        var goods: String?
        var category: String?
        var quantity: String?
        var unit: String?
        var donor: String?
        var date: String?
    }

    /// The hand-out's fields are named apart from the receipt's (`give_…`): both forms are on one page.
    struct HandOutForm: Content {
        var csrf: String?
        var household_id: String?
        var item: String?
        var give_quantity: String?
        var give_date: String?
        var note: String?
    }

    /// What a refused form brings back to the page: which form, its values, its messages.
    struct Refused {
        var form: String
        var values: [String: String]
        var errors: [FieldError]
    }

    /// `goods` and `unit` of a stock item in one option value (split at the last one: a unit is a short word).
    static let separator: Character = "｜"

    static func quantity(_ raw: String?) -> (Int?, FieldError?) {
        guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return (nil, nil) }
        guard let n = Int(t) else { return (nil, FieldError("quantity", "数量应为正整数")) }
        return (n, nil)
    }

    func show(req: Request) async throws -> Response {
        let done: String?
        switch req.formQuery("done") {
        case "received": done = "已登记入库，库存和台账已更新。"
        case "handed_out": done = "已登记发放，库存和台账已更新。"
        default: done = nil
        }
        return try await render(req, refused: nil, message: done, status: .ok)
    }

    func render(_ req: Request, refused: Refused?, message: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.donationsRead)
        let id = try req.pathUUID(), q = req.donations, today = req.application.linli.today()
        let (p, stock) = try await DonationsService.file(req, id: id)
        let kind = req.formQuery("kind").flatMap(DonationMovementKind.init(rawValue:))
        let ledger = try await q.ledger(of: id, kind: kind, page: req.consolePage(perPage: 30))
        let errors = refused?.errors ?? []
        func err(_ form: String, _ f: String) -> String? { refused?.form == form ? errors.first { $0.field == f }?.message : nil }
        func val(_ form: String, _ f: String) -> String? { refused?.form == form ? refused?.values[f] : nil }
        let keeps = user.may(.donationsWrite) && req.registryScope.contains(code: p.communityCode)

        let stockRows = stock.map { s -> [Markup] in [Markup.text(s.goods), Markup.text(s.category.label), "\(s.quantity)", Markup.text(s.unit)] }
        let ledgerRows = ledger.items.map { m -> [Markup] in
            let who: Markup = m.kind == .received ? Markup.text(m.donor ?? DonationRules.anonymous)
                : "户号 \(m.householdNumber ?? "—")\(m.assistanceKind.map { k -> Markup in " <span class=\"badge\">\(DonationsLabels.assistance(k, m.assistanceStage))</span>" }.orEmpty)"
            return [Markup.text(m.onDate), m.kind == .received ? "接收" : "<b>发放</b>", Markup.text(m.goods), "\(m.kind == .received ? "+" : "−")\(m.quantity)",
                    Markup.text(m.unit), "\(m.balance)", who, Markup.text(m.recordedBy)]
        }
        var forms: Markup = .empty
        if keeps && p.open {
            let categories = [("", "请选择")] + DonationCategory.allCases.map { ($0.rawValue, $0.label) }
            forms += """
                <section><h2>登记接收的捐赠</h2>
                <form method="post" action="/console/donations/\(p.id)/donations">\(Console.csrfField(user))
                \(Console.field("物资名称", name: "goods", value: val("receive", "goods"), error: err("receive", "goods"), required: true, extra: "maxlength=\"40\""))
                \(Console.select("类别", name: "category", options: categories, selected: val("receive", "category"), error: err("receive", "category"), required: true))
                \(Console.field("数量", name: "quantity", value: val("receive", "quantity"), error: err("receive", "quantity"), type: "number", required: true,
                                extra: "min=\"1\" step=\"1\" inputmode=\"numeric\""))
                \(Console.field("单位", name: "unit", value: val("receive", "unit") ?? "件", error: err("receive", "unit"), required: true,
                                hint: "如 \(DonationUnits.common.joined(separator: "、"))", extra: "maxlength=\"6\""))
                \(Console.field("捐赠人", name: "donor", value: val("receive", "donor"), error: err("receive", "donor"), hint: "个人或单位，不填记为匿名",
                                extra: "maxlength=\"60\""))
                \(Console.field("接收日期", name: "date", value: val("receive", "date") ?? today.description, error: err("receive", "date"), type: "date",
                                required: true, extra: "max=\"\(today.description)\""))
                <button type="submit">登记入库</button></form></section>
                """
            forms += try await handOutForm(req, user, p, stock: stock, refused: refused?.form == "handout" ? refused : nil, today: today)
        } else if keeps {
            forms += "<p class=\"notice\">接收点已关闭，不能登记接收和发放。</p>"
        }
        // The keeper's full number for those who keep or register points; the masked one for the others.
        var phone = p.keeperPhoneMasked
        if user.may(.donationsPoints) || keeps, let full = try await q.keeperPhone(of: p.id) { phone = full }
        let map: Markup = p.latitude.map { lat -> Markup in "<br>地图位置：北纬 \(String(format: "%.4f", lat))，东经 \(String(format: "%.4f", p.longitude ?? 0))" }.orEmpty
        let body: Markup = """
            <h1>\(p.title) \(DonationsPages.badges(p, today: today))</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(refused.map { Console.formErrors($0.errors) }.orEmpty)
            <p>地点：\(p.address)<br>开放时间：\(p.openingHours)<br>管理人：\(p.keeperName)（\(phone)）\(map)<br>最近接收或发放：\(p.lastActivityOn ?? "尚无")</p>
            <p>急需物资：\(p.needsList.isEmpty ? "暂无" : p.needsList.joined(separator: "、"))</p>
            <p>\(user.may(.donationsPoints) && req.registryScope.contains(code: p.communityCode) ? "<a href=\"/console/donations/\(p.id)/edit\">修改接收点信息、急需物资、开放状态</a> · " : Markup.empty)<a href="/notices/donations/\(p.communityCode)">门户上的公开信息</a></p>
            <h2>库存</h2>
            \(Console.table(["物资", "类别", "结存", "单位"], stockRows, empty: "暂无库存"))
            \(forms)
            <h2>物资台账</h2>
            <p class="tabs">\([("", "全部"), ("received", "接收"), ("handed_out", "发放")].map { v, l -> Markup in
                (kind?.rawValue ?? "") == v ? "<b>\(l)</b>" : "<a href=\"/console/donations/\(p.id)\(v.isEmpty ? "" : "?kind=" + v)\">\(l)</a>" }.joined(separator: " · ")) ·
              <a href="/console/donations/\(p.id)/ledger.xlsx">导出台账（.xlsx，记入审计）</a></p>
            \(Console.table(["日期", "类型", "物资", "数量", "单位", "结存", "捐赠人/领取家庭", "经办人"], ledgerRows, empty: "尚无台账记录"))
            \(Console.pager(ledger, path: "/console/donations/\(p.id)", query: [("kind", kind?.rawValue)]))
            """
        return Console.page(req, user, title: (p.communityName ?? "") + "捐赠物资接收点", crumbs: DonationsPages.crumbs + [Crumb(p.communityName ?? p.name)],
                            body: body, status: status)
    }

    /// The hand-out form: first the household by its number (with its assistance case), then the goods.
    func handOutForm(_ req: Request, _ user: WebUser, _ p: DonationPointRecord, stock: [DonationStockRecord], refused: Refused?,
                     today: CivilDate) async throws -> Markup {
        func err(_ f: String) -> String? { refused?.errors.first { $0.field == f }?.message }
        let key = refused?.values["household_id"] ?? req.formQuery("household")
        let household = try await key.asyncMap { try await req.donations.household($0, for: p, in: req.registryScope) } ?? nil
        var out: Markup = """
            <section><h2>发放物资</h2>
            <form method="get" action="/console/donations/\(p.id)" class="filters">
            \(Console.field("领取家庭户号", name: "household", value: household?.number ?? key,
                            error: err("household_id") ?? (key != nil && household == nil ? "没有这一户" : nil), required: true))
            <button type="submit">查找家庭</button></form>
            """
        guard let h = household else { return out + "</section>" }
        let assistance: Markup = h.assistanceKind.map { k -> Markup in "<span class=\"badge yellow\">\(DonationsLabels.assistance(k, h.assistanceStage))</span>" }
            ?? "<span class=\"muted\">无在办、在保的社会救助</span>"
        let outside = !h.gridCode.hasPrefix(p.communityCode)
        out += "<p>户号 \(h.number) · 户主 \(h.headMasked ?? "—") · \(h.members)人 · 救助情况：\(assistance)</p>"
        if outside { return out + "<p class=\"error\">该户不在本接收点所在的村/社区，请由其所在社区的接收点发放。</p></section>" }
        let items = stock.map { s in ("\(s.goods)\(Self.separator)\(s.unit)", "\(s.goods)（现有\(s.quantity)\(s.unit)）") }
        out += """
            <form method="post" action="/console/donations/\(p.id)/handouts">\(Console.csrfField(user))
            <input type="hidden" name="household_id" value="\(h.id)">
            \(Console.select("物资", name: "item", options: [("", "请选择")] + items, selected: refused?.values["item"], error: err("goods"), required: true))
            \(Console.field("数量", name: "give_quantity", value: refused?.values["quantity"], error: err("quantity"), type: "number", required: true,
                            extra: "min=\"1\" step=\"1\" inputmode=\"numeric\""))
            \(Console.field("发放日期", name: "give_date", value: refused?.values["date"] ?? today.description, error: err("date"), type: "date", required: true,
                            extra: "max=\"\(today.description)\""))
            \(Console.field("备注", name: "note", value: refused?.values["note"], error: err("note"), extra: "maxlength=\"200\""))
            <button type="submit">登记发放</button></form></section>
            """
        return out
    }

    func receive(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsWrite)
        let f = (try? req.content.decode(ReceiveForm.self)) ?? ReceiveForm()
        try req.checkCSRF(user, f.csrf)
        let values = ["goods": f.goods, "category": f.category, "quantity": f.quantity, "unit": f.unit, "donor": f.donor, "date": f.date].compactMapValues { $0 }
        do {
            let (n, bad) = Self.quantity(f.quantity)
            if let bad { throw RegistryError.invalid([bad]) }
            let m = try await DonationsService.receive(req, point: try req.pathUUID(),
                                                       DonationsService.DonationBody(goods: f.goods, category: f.category, quantity: n, unit: f.unit, donor: f.donor, date: f.date))
            return req.redirect(to: "/console/donations/\(m.pointId)?done=received", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, refused: Refused(form: "receive", values: values, errors: errors), message: nil, status: .unprocessableEntity)
        }
    }

    func handOut(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsWrite)
        let f = (try? req.content.decode(HandOutForm.self)) ?? HandOutForm()
        try req.checkCSRF(user, f.csrf)
        let values = ["household_id": f.household_id, "item": f.item, "quantity": f.give_quantity, "date": f.give_date, "note": f.note].compactMapValues { $0 }
        do {
            let (n, bad) = Self.quantity(f.give_quantity)
            if let bad { throw RegistryError.invalid([bad]) }
            let item = f.item ?? ""
            guard let cut = item.lastIndex(of: Self.separator) else { throw RegistryError.invalid([FieldError("goods", "请选择要发放的物资")]) }
            let parts = [String(item[..<cut]), String(item[item.index(after: cut)...])]
            let m = try await DonationsService.handOut(req, point: try req.pathUUID(),
                                                       DonationsService.HandOutBody(householdId: f.household_id.flatMap { UUID(uuidString: $0) }, goods: parts[0],
                                                                                    unit: parts[1], quantity: n, date: f.give_date, note: f.note))
            return req.redirect(to: "/console/donations/\(m.pointId)?done=handed_out", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, refused: Refused(form: "handout", values: values, errors: errors), message: nil, status: .unprocessableEntity)
        }
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.donationsRead)
        return try await DonationsService.export(req)
    }
}
