import Foundation
import LinliCore
import LinliData
import Vapor

/// 三级党员服务中心 and 党建品牌 in the console: the centres serving the area (with a form for a new one in a facility
/// of the register), the brand projects with their party-member service this year (with a form for a new one), and
/// marking a volunteer activity as party-member service of a brand.
struct PartyCentrePages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "party")
        p.get("centres", needs: .permission(.partyRead), use: centres)
        p.post("centres", needs: .permission(.partyWrite), use: createCentre)
        p.get("brands", needs: .permission(.partyRead), use: brands)
        p.post("brands", needs: .permission(.partyWrite), use: createBrand)
        p.post("brands", "mark", needs: .permission(.partyWrite), use: mark)
    }

    struct CentreForm: Content {
        var csrf: String?
        var facility_id: String?
        var level: String?
        var name: String?
        var services: [String]?
        var opening_hours: String?
    }

    func centres(req: Request) async throws -> Response {
        let user = try req.webUser(.partyRead)
        return try await renderCentres(req, user, CentreForm(), errors: [], status: .ok)
    }

    func renderCentres(_ req: Request, _ user: WebUser, _ form: CentreForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let list = try await req.party.centres(in: req.registryScope, masked: !user.may(.partyMembers))
        let rows = list.map { c -> [Markup] in
            [Markup.text(c.name), Markup.text(c.level.label), Markup.text(c.address ?? c.facilityName ?? "—"), Markup.text(c.openingHours),
             Markup.text(c.serviceList.map(\.label).joined(separator: "、")), Markup.text(c.duty.isEmpty ? "—" : c.duty.joined(separator: "、"))]
        }
        var add: Markup = .empty
        if user.may(.partyWrite) {
            let facilities = try await req.facilities.list(in: req.registryScope, page: PageRequest(page: 1, perPage: 100)).items
            let chosen = Set(form.services ?? [])
            let services = CentreService.allCases.map { s -> Markup in
                "<label class=\"choice\"><input type=\"checkbox\" name=\"services[]\" value=\"\(s.rawValue)\"\(chosen.contains(s.rawValue) ? " checked" : Markup.empty)> \(s.label)</label>"
            }
            add = """
                <h2>登记党员服务中心</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/party/centres">\(Console.csrfField(user))
                \(Console.field("名称", name: "name", value: form.name, error: err("name"), required: true, extra: "maxlength=\"40\""))
                \(Console.select("层级", name: "level", options: [("", "请选择")] + CentreLevel.allCases.map { ($0.rawValue, $0.label) }, selected: form.level, error: err("level"), required: true))
                \(Console.select("所在设施（设施台账）", name: "facility_id", options: [("", "请选择")] + facilities.map { ($0.id.uuidString, "\($0.name)（\($0.address)）") },
                                 selected: form.facility_id, error: err("facility_id"), required: true))
                \(Console.field("开放时间", name: "opening_hours", value: form.opening_hours, error: err("opening_hours"), required: true, hint: "如：周一至周五 08:30-17:30"))
                <fieldset\(err("services") == nil ? Markup.empty : " class=\"invalid\"")><legend>服务内容<span class="req" aria-hidden="true">*</span></legend>
                \(services)\(err("services").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
                <button type="submit">登记</button></form>
                """
        }
        let body: Markup = """
            <h1>党员服务中心</h1>
            <p class="muted">规划：“建立和完善区、街道和社区三级党员服务中心”。服务中心设在设施台账登记的设施内，居民可在门户网站查看。</p>
            \(Console.table(["名称", "层级", "地址", "开放时间", "服务内容", "值班党员"], rows, empty: "本辖区尚未登记党员服务中心"))
            \(add)
            """
        return Console.page(req, user, title: "党员服务中心", crumbs: PartyPages.crumbs + [Crumb("党员服务中心")], body: body, status: status)
    }

    func createCentre(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(CentreForm.self)) ?? CentreForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let input = try PartyService.centre(.init(facilityId: form.facility_id, level: form.level, name: form.name, services: form.services,
                                                      openingHours: form.opening_hours, dutyMemberIds: nil))
            _ = try await req.party.createCentre(input, by: req.partyActor)
            return req.redirect(to: "/console/party/centres", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderCentres(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderCentres(req, user, form, errors: [e], status: .conflict)
        }
    }

    struct BrandForm: Content {
        var csrf: String?
        var org_id: String?
        var name: String?
        var summary: String?
        var started_on: String?
        var results: String?
        var activity_id: String?
    }

    func brands(req: Request) async throws -> Response {
        let user = try req.webUser(.partyRead)
        return try await renderBrands(req, user, BrandForm(), errors: [], status: .ok)
    }

    func renderBrands(_ req: Request, _ user: WebUser, _ form: BrandForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let list = try await req.party.brands(in: req.registryScope, year: req.application.linli.today().year)
        let rows = list.map { b -> [Markup] in
            ["<b>\(b.name)</b><br><small>\(b.summary)</small>", Markup.text(b.orgName ?? ""), Markup.text(b.startedOn), Markup.text(b.results ?? "—"),
             Markup.text(String(b.activities)), Markup.text(String(format: "%.1f", Double(b.minutes) / 60))]
        }
        var add: Markup = .empty
        if user.may(.partyWrite) {
            let orgs = try await req.party.orgs(in: req.registryScope).filter { $0.kind != .group && req.registryScope.contains(code: $0.divisionCode) }
            add = """
                <h2>创建党建品牌</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/party/brands">\(Console.csrfField(user))
                \(Console.select("党组织", name: "org_id", options: [("", "请选择")] + orgs.map { ($0.id.uuidString, $0.name) }, selected: form.org_id, error: err("org_id"), required: true))
                \(Console.field("品牌名称", name: "name", value: form.name, error: err("name"), required: true, extra: "maxlength=\"40\""))
                \(Console.textarea("品牌简介", name: "summary", value: form.summary, error: err("summary"), required: true))
                \(Console.field("创建日期", name: "started_on", value: form.started_on, error: err("started_on"), type: "date", required: true))
                \(Console.textarea("工作成效", name: "results", value: form.results, error: err("results")))
                <button type="submit">创建</button></form>
                <h2>标记党员志愿服务</h2>
                <p class="muted">在志愿服务中发布的活动，标记为党员志愿服务（可归入某个党建品牌）后，参加活动的党员经核实的时长计入党员服务时长。</p>
                <form method="post" action="/console/party/brands/mark">\(Console.csrfField(user))
                \(Console.field("志愿活动编号", name: "activity_id", value: form.activity_id, error: err("activity_id"), required: true, hint: "志愿活动页面地址中的编号"))
                \(Console.select("党建品牌（可不选）", name: "org_id", options: [("", "（不归入品牌）")] + list.map { ($0.id.uuidString, $0.name) }))
                <button type="submit">标记</button></form>
                """
        }
        let body: Markup = """
            <h1>党建品牌与党员志愿服务</h1>
            <p class="muted">规划：“强化党员干部参与社区服务”。党员志愿服务记录在志愿服务中，时长以志愿服务核实为准（本年）。</p>
            \(Console.table(["品牌", "党组织", "创建日期", "工作成效", "本年活动（场）", "本年服务时长（小时）"], rows, empty: "本辖区尚无党建品牌"))
            \(add)
            """
        return Console.page(req, user, title: "党建品牌", crumbs: PartyPages.crumbs + [Crumb("党建品牌")], body: body, status: status)
    }

    func createBrand(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(BrandForm.self)) ?? BrandForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let input = try PartyService.brand(.init(orgId: form.org_id, name: form.name, summary: form.summary, startedOn: form.started_on, results: form.results))
            _ = try await req.party.createBrand(input, by: req.partyActor)
            return req.redirect(to: "/console/party/brands", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderBrands(req, user, form, errors: errors, status: .unprocessableEntity)
        }
    }

    /// The activity named in the form becomes party-member service, of the brand chosen (the form's `org_id` select).
    func mark(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(BrandForm.self)) ?? BrandForm()
        try req.checkCSRF(user, form.csrf)
        do {
            guard let activity = try PartyService.id(form.activity_id, "activity_id") else {
                throw RegistryError.invalid([FieldError("activity_id", "请填写志愿活动编号")])
            }
            try await req.party.markActivity(activity, brand: try PartyService.id(form.org_id, "brand_id"), by: req.partyActor)
            return req.redirect(to: "/console/party/brands", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderBrands(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.notFound {
            return try await renderBrands(req, user, form, errors: [FieldError("activity_id", "本辖区没有这个志愿活动")], status: .unprocessableEntity)
        }
    }
}
