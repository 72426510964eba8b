import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 爱心超市 pages: the supermarkets of one's area (and the streets still without one), the form
/// that registers one, and the district's rates and monthly allowance run. A supermarket's own page (goods,
/// stock, the day's redemptions) is `SupermarketMarketPages`; the counter and a person's ledger are
/// `SupermarketCounterPages`.
struct SupermarketPages {
    func boot(_ routes: Routes) {
        let s = routes.grouped("console", "supermarket")
        s.get(needs: .permission(.supermarketRead), use: list)
        s.get("new", needs: .permission(.supermarketGoods), use: newMarket)
        s.post("new", needs: .permission(.supermarketGoods), use: create)
        s.get(":id", "edit", needs: .permission(.supermarketGoods), use: edit)
        s.post(":id", "edit", needs: .permission(.supermarketGoods), use: update)
        s.get("config", needs: .permission(.supermarketConfigure), use: config)
        s.post("config", "rates", needs: .permission(.supermarketConfigure), use: setRate)
        s.post("config", "allowance", needs: .permission(.supermarketConfigure), use: allowance)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("爱心超市", "/console/supermarket")]

    static func badge(_ m: SupermarketRecord) -> Markup { m.open ? "<span class=\"badge\">开放</span>" : "<span class=\"badge red\">暂停</span>" }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketRead)
        let scope = try req.narrowedScope(), q = req.supermarket
        let markets = try await q.markets(in: scope)
        let missing = try await q.streetsWithout(in: scope)
        let rows = markets.map { m -> [Markup] in
            ["<a href=\"/console/supermarket/\(m.id)\">\(m.streetName ?? m.streetCode)</a>", Markup.text(m.name), Markup.text(m.address),
             Markup.text(m.openingHours), Self.badge(m)]
        }
        let gaps: Markup = missing.isEmpty ? "<p class=\"muted\">辖区内每个镇/街道都已设爱心超市。</p>"
            : "<p>尚未设爱心超市的镇/街道（\(missing.count)个）：\(missing.map { Markup.text($0.name) }.joined(separator: "、"))</p>"
        let body: Markup = """
            <h1>爱心超市</h1>
            <p class="muted">规划：“爱心购物券、爱心超市”。每个镇/街道设一个爱心超市，由街道管理、社区工作者在柜台办理；居民以爱心积分兑换物品。积分来自志愿服务时长和救助家庭的月度爱心积分。</p>
            <p>\(user.may(.supermarketGoods) ? "<a class=\"button\" href=\"/console/supermarket/new\">登记爱心超市</a> " : Markup.empty)\(user.may(.supermarketConfigure) ? "<a class=\"button\" href=\"/console/supermarket/config\">积分标准和月度积分发放</a>" : Markup.empty)</p>
            \(Console.table(["镇/街道", "名称", "地点", "开放时间", "状态"], rows, empty: "辖区内尚未登记爱心超市"))
            <h2>覆盖情况</h2>
            \(gaps)
            """
        return Console.page(req, user, title: "爱心超市", crumbs: [Crumb("工作台", "/console"), Crumb("爱心超市")], body: body)
    }

    struct MarketForm: Content {
        var csrf: String?
        var street_code: String?
        var name: String?
        var address: String?
        var opening_hours: String?
        var keeper_name: String?
        var keeper_phone: String?
        var open: String?
        var version: String?

        var input: SupermarketInput {
            SupermarketInput(name: name, address: address, openingHours: opening_hours, keeperName: keeper_name, keeperPhone: keeper_phone, open: open == "true")
        }
    }

    func newMarket(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        return try await renderForm(req, user, market: nil, values: MarketForm(opening_hours: "周一至周五 8:30-17:00", open: "true"), errors: [], status: .ok)
    }

    func edit(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let m = try await req.supermarket.requireMarket(try req.pathUUID(), in: req.registryScope)
        let values = MarketForm(street_code: m.streetDivision, name: m.name, address: m.address, opening_hours: m.openingHours, keeper_name: m.keeperName,
                                keeper_phone: m.keeperPhone, open: m.open ? "true" : nil, version: String(m.version))
        return try await renderForm(req, user, market: m, values: values, errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, market: SupermarketRecord?, values v: MarketForm, errors: [FieldError],
                    status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let place: Markup
        if let market {
            place = "<p>镇/街道：<b>\(market.streetName ?? market.streetCode)</b></p><input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">"
        } else {
            let options = try await req.supermarket.streetsWithout(in: req.registryScope).map { ($0.code, $0.name) }
            place = options.isEmpty ? "<p class=\"notice\">辖区内每个镇/街道都已设爱心超市。</p>"
                : Console.select("镇/街道", name: "street_code", options: options, selected: v.street_code, error: err("street_code"), required: true)
        }
        let title = market == nil ? "登记爱心超市" : "修改爱心超市信息"
        let action = market.map { "/console/supermarket/\($0.id)/edit" } ?? "/console/supermarket/new"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(place)
            \(Console.field("超市名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("地点", name: "address", value: v.address, error: err("address"), required: true, extra: "maxlength=\"120\""))
            \(Console.field("开放时间", name: "opening_hours", value: v.opening_hours, error: err("opening_hours"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("负责人姓名", name: "keeper_name", value: v.keeper_name, error: err("keeper_name"), required: true, extra: "maxlength=\"30\""))
            \(Console.field("负责人电话", name: "keeper_phone", value: v.keeper_phone, error: err("keeper_phone"), type: "tel", required: true,
                            hint: "门户上只显示脱敏号码", extra: "maxlength=\"20\" inputmode=\"tel\""))
            <div class="field"><label><input type="checkbox" name="open" value="true"\(v.open == "true" ? " checked" : "")> 开放</label></div>
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (market.map { [Crumb($0.streetName ?? $0.name, "/console/supermarket/\($0.id)")] } ?? []) + [Crumb(title)]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let form = (try? req.content.decode(MarketForm.self)) ?? MarketForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let m = try await req.supermarket.createMarket(street: form.street_code, form.input, by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/\(m.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, market: nil, values: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderForm(req, user, market: nil, values: form, errors: [e], status: .conflict)
        }
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketGoods)
        let form = (try? req.content.decode(MarketForm.self)) ?? MarketForm()
        try req.checkCSRF(user, form.csrf)
        let m = try await req.supermarket.requireMarket(try req.pathUUID(), in: req.registryScope)
        do {
            _ = try await req.supermarket.updateMarket(m.id, form.input, version: try requireVersion(form.version.flatMap { Int($0) }), by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/\(m.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, market: m, values: form, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: Rates and the allowance run

    struct RateForm: Content {
        var csrf: String?
        var kind: String?
        var points: String?
        var effective_from: String?
    }

    struct AllowanceForm: Content {
        var csrf: String?
        var month: String?
    }

    func config(req: Request) async throws -> Response {
        let message: String? = req.formQuery("done") == "rate" ? "积分标准已保存。" : nil
        return try await renderConfig(req, form: nil, errors: [], message: message, status: .ok)
    }

    func renderConfig(_ req: Request, form: String?, errors: [FieldError], message: String?, status: HTTPResponseStatus,
                      values: [String: String] = [:]) async throws -> Response {
        let user = try req.webUser(.supermarketConfigure)
        let today = req.application.linli.today()
        func err(_ which: String, _ f: String) -> String? { form == which ? errors.first { $0.field == f }?.message : nil }
        let labels = Dictionary(uniqueKeysWithValues: SupermarketQueries.rateKinds.map { ($0.kind, $0.label) })
        let rows = try await req.supermarket.rates().map { r -> [Markup] in
            [Markup.text(labels[r.kind] ?? r.kind), "\(r.points) 分", Markup.text(r.effectiveFrom), Markup.text(r.setBy)]
        }
        let lastMonth = String(today.adding(days: -today.day).description.prefix(7))
        let body: Markup = """
            <h1>积分标准和月度积分发放</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <h2>积分标准</h2>
            <p class="muted">标准按生效日期记录：新标准从生效日起适用，此前已记入的积分不变。</p>
            \(Console.table(["项目", "积分", "生效日期", "设置人"], rows, empty: "尚未配置"))
            <form method="post" action="/console/supermarket/config/rates">\(Console.csrfField(user))
            \(Console.select("项目", name: "kind", options: SupermarketQueries.rateKinds.map { ($0.kind, $0.label) }, selected: values["kind"], error: err("rate", "kind"), required: true))
            \(Console.field("积分", name: "points", value: values["points"], error: err("rate", "points"), type: "number", required: true, extra: "min=\"1\" step=\"1\" inputmode=\"numeric\""))
            \(Console.field("生效日期", name: "effective_from", value: values["effective_from"] ?? today.description, error: err("rate", "effective_from"), type: "date",
                            required: true, extra: "min=\"\(today.description)\""))
            <button type="submit">保存标准</button></form>
            <h2>救助家庭月度爱心积分</h2>
            <p class="muted">为当月在保的低保、特困等救助家庭各记入一次月度积分（记入救助案件的申请人名下）；同一月份重复发放不会重复记入。也可在服务器上运行 <code>linli supermarket allowance --month YYYY-MM</code>。</p>
            <form method="post" action="/console/supermarket/config/allowance">\(Console.csrfField(user))
            \(Console.field("月份", name: "month", value: values["month"] ?? lastMonth, error: err("allowance", "month"), required: true, hint: "YYYY-MM，不能是未来月份",
                            extra: "maxlength=\"7\" pattern=\"[0-9]{4}-[0-9]{2}\""))
            <button type="submit">发放月度积分</button></form>
            """
        return Console.page(req, user, title: "积分标准和月度积分发放", crumbs: Self.crumbs + [Crumb("积分标准和月度积分发放")], body: body, status: status, wide: false)
    }

    func setRate(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketConfigure)
        let f = (try? req.content.decode(RateForm.self)) ?? RateForm()
        try req.checkCSRF(user, f.csrf)
        let values = ["kind": f.kind, "points": f.points, "effective_from": f.effective_from].compactMapValues { $0 }
        do {
            let points = try f.points.flatMap { t -> Int? in
                guard let n = Int(t.trimmingCharacters(in: .whitespaces)) else { throw RegistryError.invalid([FieldError("points", "积分应为正整数")]) }
                return n
            }
            _ = try await req.supermarket.setRate(kind: f.kind, points: points,
                                                  effectiveFrom: try SupermarketService.date(f.effective_from, field: "effective_from"), by: req.supermarketActor)
            return req.redirect(to: "/console/supermarket/config?done=rate", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderConfig(req, form: "rate", errors: errors, message: nil, status: .unprocessableEntity, values: values)
        }
    }

    func allowance(req: Request) async throws -> Response {
        let user = try req.webUser(.supermarketConfigure)
        let f = (try? req.content.decode(AllowanceForm.self)) ?? AllowanceForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let s = try await req.supermarket.runAllowance(month: f.month?.trimmingCharacters(in: .whitespaces), by: req.supermarketActor)
            let message = "\(s.month) 月度爱心积分：本次记入 \(s.credited) 户共 \(s.points) 分；此前已记入 \(s.already) 户（未重复记入）"
                + (s.skipped > 0 ? "；\(s.skipped) 户申请人已死亡或迁出，未记入" : "") + "。"
            return try await renderConfig(req, form: nil, errors: [], message: message, status: .ok, values: ["month": s.month])
        } catch RegistryError.invalid(let errors) {
            return try await renderConfig(req, form: "allowance", errors: errors, message: nil, status: .unprocessableEntity, values: ["month": f.month ?? ""])
        }
    }
}
