import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 捐赠物资接收点 pages: the points of one's area (and the communities still without one), and the
/// form that registers or edits a point. A point's own page (stock, ledger, receiving, handing out) is in
/// `DonationsPointPages`. Forms post with the CSRF token; the data layer is the API's.
struct DonationsPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "donations")
        d.get(needs: .permission(.donationsRead), use: list)
        d.get("new", needs: .permission(.donationsPoints), use: newPoint)
        d.post("new", needs: .permission(.donationsPoints), use: create)
        d.get(":id", "edit", needs: .permission(.donationsPoints), use: editPoint)
        d.post(":id", "edit", needs: .permission(.donationsPoints), use: update)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("捐赠物资", "/console/donations")]

    static func badges(_ p: DonationPointRecord, today: CivilDate) -> Markup {
        if !p.open { return "<span class=\"badge red\">已关闭</span>" }
        return p.working(today: today) ? "<span class=\"badge\">在运行</span>" : "<span class=\"badge yellow\">近12个月无接收发放</span>"
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsRead)
        let scope = try req.narrowedScope(), q = req.donations, today = req.application.linli.today()
        let page = try await q.points(in: scope, page: req.consolePage(perPage: 30))
        let missing = try await q.communitiesWithoutPoint(in: scope)
        let rows = page.items.map { p -> [Markup] in
            ["<a href=\"/console/donations/\(p.id)\">\(p.communityName ?? p.communityCode)</a>", Markup.text(p.address), Self.badges(p, today: today),
             Markup.text(p.lastActivityOn ?? "—"), Markup.text(p.needsList.joined(separator: "、"))]
        }
        let missingList: Markup = missing.isEmpty ? "<p class=\"muted\">辖区内每个村/社区都已登记接收点。</p>"
            : "<p>尚未登记接收点的村/社区（\(missing.count)个）：\(missing.map { Markup.text($0.name) }.joined(separator: "、"))</p>"
        let body: Markup = """
            <h1>捐赠物资接收点</h1>
            <p class="muted">规划要求“捐赠物资接收点”覆盖全区所有社区。在运行的接收点：已登记、开放，且近12个月内有接收或发放记录。</p>
            \(user.may(.donationsPoints) ? "<p><a class=\"button\" href=\"/console/donations/new\">登记接收点</a></p>" : Markup.empty)
            \(Console.table(["村/社区", "地点", "状态", "最近接收或发放", "急需物资"], rows, empty: "辖区内尚未登记捐赠物资接收点"))
            \(Console.pager(page, path: "/console/donations", query: [("division", req.formQuery("division"))]))
            <h2>覆盖情况</h2>
            \(missingList)
            """
        return Console.page(req, user, title: "捐赠物资接收点", crumbs: [Crumb("工作台", "/console"), Crumb("捐赠物资")], body: body)
    }

    // MARK: The point's form

    struct PointForm: Content {
        var csrf: String?
        var community_code: String?
        var name: String?
        var address: String?
        var opening_hours: String?
        var keeper_name: String?
        var keeper_phone: String?
        var latitude: String?
        var longitude: String?
        var needs: String?
        var open: String?
        var version: String?

        /// The input, and the messages of coordinates that are not numbers.
        func input() -> (DonationPointInput, [FieldError]) {
            var errors: [FieldError] = []
            func number(_ s: String?, _ field: String) -> Double? {
                guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
                guard let v = Double(t), v.isFinite else { errors.append(FieldError(field, "应为数字（如 32.4521）")); return nil }
                return v
            }
            let i = DonationPointInput(name: name, address: address, openingHours: opening_hours, keeperName: keeper_name, keeperPhone: keeper_phone,
                                       latitude: number(latitude, "latitude"), longitude: number(longitude, "longitude"),
                                       needs: DonationRules.needs(fromLines: needs), open: open == "true")
            return (i, errors)
        }
    }

    func newPoint(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsPoints)
        let community = user.account.divisionCode.count == 12 ? user.account.divisionCode : nil
        return try await renderForm(req, user, point: nil, values: PointForm(community_code: community, opening_hours: "周一至周五 8:30-17:00", open: "true"),
                                    errors: [], status: .ok)
    }

    func editPoint(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsPoints)
        guard let p = try await req.donations.point(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("捐赠物资接收点") }
        let phone = try await req.donations.keeperPhone(of: p.id)
        let values = PointForm(community_code: p.communityCode, name: p.name, address: p.address, opening_hours: p.openingHours, keeper_name: p.keeperName,
                               keeper_phone: phone, latitude: p.latitude.map { String($0) }, longitude: p.longitude.map { String($0) },
                               needs: p.needs, open: p.open ? "true" : nil, version: String(p.version))
        return try await renderForm(req, user, point: p, values: values, errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, point: DonationPointRecord?, values v: PointForm, errors: [FieldError],
                    status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let place: Markup
        if let point {
            place = "<p>村/社区：<b>\(point.communityName ?? point.communityCode)</b></p><input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">"
        } else {
            let options = try await req.donations.communitiesWithoutPoint(in: req.registryScope).map { ($0.code, $0.name) }
            place = options.isEmpty ? "<p class=\"notice\">辖区内每个村/社区都已登记接收点。</p>"
                : Console.select("村/社区", name: "community_code", options: options, selected: v.community_code, error: err("community_code"), required: true)
        }
        let action = point.map { "/console/donations/\($0.id)/edit" } ?? "/console/donations/new"
        let title = point == nil ? "登记捐赠物资接收点" : "修改接收点信息"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(place)
            \(Console.field("接收点名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("地点", name: "address", value: v.address, error: err("address"), required: true, extra: "maxlength=\"120\""))
            \(Console.field("开放时间", name: "opening_hours", value: v.opening_hours, error: err("opening_hours"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("管理人姓名", name: "keeper_name", value: v.keeper_name, error: err("keeper_name"), required: true, extra: "maxlength=\"30\""))
            \(Console.field("管理人电话", name: "keeper_phone", value: v.keeper_phone, error: err("keeper_phone"), type: "tel", required: true,
                            hint: "门户上只显示脱敏号码", extra: "maxlength=\"20\" inputmode=\"tel\""))
            \(Console.field("纬度", name: "latitude", value: v.latitude, error: err("latitude"), hint: "地图位置，可不填，如 32.4521", extra: "inputmode=\"decimal\""))
            \(Console.field("经度", name: "longitude", value: v.longitude, error: err("longitude"), hint: "如 119.9213", extra: "inputmode=\"decimal\""))
            \(Console.textarea("急需物资（每行一项）", name: "needs", value: v.needs, error: err("needs"), maxLength: 900))
            <div class="field"><label><input type="checkbox" name="open" value="true"\(v.open == "true" ? " checked" : "")> 开放接收</label></div>
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (point.map { [Crumb($0.communityName ?? $0.name, "/console/donations/\($0.id)")] } ?? []) + [Crumb(title)]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsPoints)
        let form = (try? req.content.decode(PointForm.self)) ?? PointForm()
        try req.checkCSRF(user, form.csrf)
        let (input, typed) = form.input()
        do {
            if !typed.isEmpty { throw RegistryError.invalid(typed + DonationRules.check(input).filter { e in !typed.contains { $0.field == e.field } }) }
            let p = try await req.donations.createPoint(community: form.community_code, input, by: req.donationsActor)
            return req.redirect(to: "/console/donations/\(p.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, point: nil, values: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderForm(req, user, point: nil, values: form, errors: [e], status: .conflict)
        }
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.donationsPoints)
        let form = (try? req.content.decode(PointForm.self)) ?? PointForm()
        try req.checkCSRF(user, form.csrf)
        guard let p = try await req.donations.point(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("捐赠物资接收点") }
        let (input, typed) = form.input()
        do {
            if !typed.isEmpty { throw RegistryError.invalid(typed + DonationRules.check(input).filter { e in !typed.contains { $0.field == e.field } }) }
            _ = try await req.donations.updatePoint(p.id, input, version: try requireVersion(form.version.flatMap { Int($0) }), by: req.donationsActor)
            return req.redirect(to: "/console/donations/\(p.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, point: p, values: form, errors: errors, status: .unprocessableEntity)
        }
    }
}
