import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's rentals (出租房屋登记): the list of one's area by state (in force, contract ended, check overdue,
/// 群租, ended), .xlsx export (audited), the registration form (tenants by their ID numbers, found in the registry),
/// a rental's page (tenants, checks and when each is next due; forms for a check, a 居住证, 退租).
struct RentalPages {
    func boot(_ routes: Routes) {
        let r = routes.grouped("console", "housing", "rentals")
        r.get(needs: .permission(.housingRead), use: list)
        r.get("export.xlsx", needs: .permission(.housingRead), use: export)
        r.get("new", needs: .permission(.housingWrite), use: newForm)
        r.post("new", needs: .permission(.housingWrite), use: create)
        r.get(":id", needs: .permission(.housingRead), use: file)
        r.post(":id", "checks", needs: .permission(.housingWrite), use: check)
        r.post(":id", "end", needs: .permission(.housingWrite), use: end)
        r.post(":id", "permit", needs: .permission(.housingWrite), use: permit)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("出租房屋", "/console/housing/rentals")]

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let scope = try req.narrowedScope()
        let state = try HousingService.state(req), text = try req.queryString("q", maxLength: 30)
        let page = try await req.housing.rentals(in: scope, state: state, text: text, page: req.consolePage(perPage: 30))
        let today = req.application.linli.today().description
        let rows = page.items.map { r -> [Markup] in
            ["<a href=\"/console/housing/rentals/\(r.id)\">\(r.buildingName ?? "") \(r.dwellingNumber ?? "")</a>", Markup.text(r.landlordName ?? "—"),
             Markup.text("\(r.startsOn) 至 \(r.endsOn)" + (r.inForce && r.endsOn < today ? "（已到期）" : "")), Markup.text(String(r.tenantCount)),
             Markup.text(r.groupRental ? "是" : "否"), Markup.text(r.rentBand.label)]
        }
        let query: [(String, String?)] = [("state", state.rawValue), ("q", text), ("division", req.formQuery("division"))]
        var exportQuery = URLComponents()
        exportQuery.queryItems = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        let body: Markup = """
            <h1>出租房屋</h1>
            \(HousingPages.clause)
            \(HousingPages.links)
            <p><a href="/console/housing/rentals/export.xlsx\(exportQuery.string ?? "")">导出（.xlsx，记入审计）</a>\(user.may(.housingWrite) ? " · 登记出租：在房屋页点“登记出租”" : "")</p>
            <form method="get" action="/console/housing/rentals" class="filters">
            \(Console.select("状态", name: "state", options: RentalState.allCases.map { ($0.rawValue, $0.label) }, selected: state.rawValue))
            \(Console.field("房东或房号", name: "q", value: text, extra: "maxlength=\"30\""))
            \(Console.field("区划代码", name: "division", value: req.formQuery("division"), hint: "村/社区、网格或镇/街道代码", extra: "maxlength=\"15\" inputmode=\"numeric\""))
            <button type="submit">查询</button></form>
            <p>共 \(page.total) 套</p>
            \(Console.table(["房屋", "房东", "合同期", "承租人数", "群租", "月租金"], rows, empty: "没有符合条件的出租房屋"))
            \(Console.pager(page, path: "/console/housing/rentals", query: query))
            """
        return Console.page(req, user, title: "出租房屋", crumbs: [Crumb("工作台", "/console"), Crumb("出租房屋")], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.housingRead)
        return try await HousingService.exportRentals(req)
    }

    struct RentalForm: Content {
        var csrf: String?
        var dwelling_id: String?
        var landlord_id_number: String?
        var landlord_name: String?
        var landlord_phone: String?
        var starts_on: String?
        var ends_on: String?
        var rent_band: String?
        /// 承租人身份证号, one a line.
        var tenants: String?
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        guard let id = try req.queryUUID("dwelling") else { throw ProblemError.badRequest("dwelling", "请从房屋页登记出租") }
        let d = try await HousingService.findDwelling(req, id: id)
        return render(req, user, d, RentalForm(dwelling_id: id.uuidString), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ d: DwellingRecord, _ v: RentalForm, errors: [FieldError], status: HTTPResponseStatus) -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let body: Markup = """
            <h1>登记出租：\(d.buildingName ?? "") \(d.number)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/housing/rentals/new">\(Console.csrfField(user))
            <input type="hidden" name="dwelling_id" value="\(d.id.uuidString)">
            \(Console.field("房东身份证号（本区居民）", name: "landlord_id_number", value: v.landlord_id_number, error: err("landlord_resident_id"), hint: "房东是本区居民时填写；否则填下面的姓名和电话", extra: "maxlength=\"18\""))
            \(Console.field("房东姓名（区外房东）", name: "landlord_name", value: v.landlord_name, error: err("landlord_name"), extra: "maxlength=\"30\""))
            \(Console.field("房东联系电话（区外房东）", name: "landlord_phone", value: v.landlord_phone, error: err("landlord_phone"), type: "tel", extra: "maxlength=\"20\" inputmode=\"tel\""))
            \(Console.field("合同开始日期", name: "starts_on", value: v.starts_on, error: err("starts_on"), type: "date", required: true))
            \(Console.field("合同结束日期", name: "ends_on", value: v.ends_on, error: err("ends_on"), type: "date", required: true))
            \(Console.select("月租金", name: "rent_band", options: [("", "请选择")] + RentBand.allCases.map { ($0.rawValue, $0.label) }, selected: v.rent_band, error: err("rent_band"), required: true))
            \(Console.textarea("承租人身份证号（每行一个；须先在居民信息中登记，流动人口也是）", name: "tenants", value: v.tenants, error: err("tenants"), required: true, maxLength: 800))
            <button type="submit">登记</button></form>
            """
        return Console.page(req, user, title: "登记出租", crumbs: Self.crumbs + [Crumb("登记出租")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(RentalForm.self)) ?? RentalForm()
        try req.checkCSRF(user, form.csrf)
        guard let did = form.dwelling_id.flatMap(UUID.init(uuidString:)) else { throw ProblemError.badRequest("dwelling_id", "请从房屋页登记出租") }
        let d = try await HousingService.findDwelling(req, id: did)
        do {
            let linli = req.application.linli
            let residents = ResidentQueries(req.db, cipher: linli.cipher, today: linli.today())
            var tenants: [String] = [], unknown: [String] = []
            for line in (form.tenants ?? "").split(whereSeparator: \.isNewline) {
                let number = line.trimmingCharacters(in: .whitespaces)
                guard !number.isEmpty else { continue }
                if let r = try await residents.find(idNumber: number, in: req.registryScope) { tenants.append(r.id.uuidString) } else { unknown.append(number) }
            }
            if !unknown.isEmpty {
                throw RegistryError.invalid([FieldError("tenants", "身份证号\(unknown.map { Masking.citizenID($0) }.joined(separator: "、"))不在本辖区居民信息中，请先登记")])
            }
            var landlord: String?
            if let n = form.landlord_id_number?.trimmedOrNil {
                guard let r = try await residents.find(idNumber: n, in: .everything) else {
                    throw RegistryError.invalid([FieldError("landlord_resident_id", "房东不在居民信息中，请先登记，或按区外房东填写姓名和电话")])
                }
                landlord = r.id.uuidString
            }
            let body = HousingService.RentalBody(dwellingId: d.id.uuidString, landlordResidentId: landlord, landlordName: form.landlord_name,
                                                 landlordPhone: form.landlord_phone, startsOn: form.starts_on, endsOn: form.ends_on, rentBand: form.rent_band,
                                                 tenants: tenants)
            let r = try await HousingService.createRental(req, body)
            return req.redirect(to: "/console/housing/rentals/\(r.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return render(req, user, d, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return render(req, user, d, form, errors: [e], status: .conflict)
        }
    }

    /// A rental's page: a full view (tenants' names), audited.
    func file(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let r = try await HousingService.findRental(req, id: try req.pathUUID())
        return try await page(req, user, r, errors: [], status: .ok, audit: req.auditActor)
    }

    func page(_ req: Request, _ user: WebUser, _ r: RentalRecord, errors: [FieldError], status: HTTPResponseStatus, audit: AuditActor?) async throws -> Response {
        let f = try await req.housing.file(of: r, audit: audit)
        let today = req.application.linli.today()
        func err(_ name: String) -> String? { errors.first { $0.field == name }?.message }
        let tenants = f.tenants.map { t -> [Markup] in
            let due = t.active && HousingRules.residencePermitDue(status: t.floating ? .floating : t.residenceStatus, movedInOn: CivilDate(t.movedInOn) ?? today,
                                                                 permitOn: t.permitOn.flatMap(CivilDate.init), today: today)
            let action: Markup = due && user.may(.housingWrite) && r.inForce ? """
                <form method="post" action="/console/housing/rentals/\(r.id)/permit" class="inline">\(Console.csrfField(user))<input type="hidden" name="resident_id" value="\(t.residentId.uuidString)"><label>签发日期 <input type="date" name="issued_on" required></label> <button type="submit">登记居住证</button></form>
                """ : Markup.empty
            return ["<a href=\"/console/residents/\(t.residentId)\">\(t.name)</a>", Markup.text(t.residenceStatus.label), Markup.text(t.movedInOn),
                    Markup.text(t.permitOn ?? (due ? "待办（已满\(HousingRules.residencePermitDays)天）" : "—")) + action, Markup.text(t.active ? "在租" : "已搬离")]
        }
        let checks = f.checks.map { c -> [Markup] in [Markup.text(c.kind.label), Markup.text(c.checkedOn), Markup.text(c.passed ? "合格" : "有隐患"), Markup.text(c.findings)] }
        let due = SafetyCheckKind.allCases.map { k -> Markup in
            let d = f.due[k]!
            return "<div class=\"tile \(r.inForce && d < today ? "red" : "")\"><span>\(k.label)检查\(r.inForce && d < today ? "已逾期" : "下次")</span><b>\(d.description)</b></div>"
        }
        let forms: Markup = user.may(.housingWrite) && r.inForce ? """
            <h2>登记安全检查</h2>
            <form method="post" action="/console/housing/rentals/\(r.id)/checks">\(Console.csrfField(user))
            \(Console.select("检查类别", name: "kind", options: [("", "请选择")] + SafetyCheckKind.allCases.map { ($0.rawValue, $0.label) }, error: err("kind"), required: true))
            \(Console.field("检查日期", name: "checked_on", value: today.description, error: err("checked_on"), type: "date", required: true, extra: "max=\"\(today.description)\""))
            \(Console.select("结果", name: "passed", options: [("true", "合格"), ("false", "有隐患")]))
            \(Console.textarea("检查情况", name: "findings", error: err("findings"), required: true, maxLength: 500))
            <button type="submit">登记检查</button></form>
            <h2>退租</h2>
            <form method="post" action="/console/housing/rentals/\(r.id)/end">\(Console.csrfField(user))<input type="hidden" name="version" value="\(r.version)">
            \(Console.field("退租日期", name: "ended_on", value: today.description, error: err("ended_on"), type: "date", required: true, extra: "max=\"\(today.description)\""))
            <button type="submit">办理退租</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>出租房屋 \(r.buildingName ?? "") \(r.dwellingNumber ?? "")</h1>
            \(Console.formErrors(errors))
            \(HousingPages.links)
            <dl class="facts"><dt>房屋</dt><dd><a href="/console/housing/\(r.dwellingId)">\(r.dwellingNumber ?? "—")</a></dd>
            <dt>房东</dt><dd>\(r.landlordName ?? "—")\(r.landlordPhoneMasked.map { " \($0)" } ?? "")</dd>
            <dt>合同期</dt><dd>\(r.startsOn) 至 \(r.endsOn)\(r.inForce && r.endsOn < today.description ? "（已到期）" : "")</dd>
            <dt>月租金</dt><dd>\(r.rentBand.label)</dd><dt>承租人数</dt><dd>\(r.tenantCount)\(r.groupRental ? "（群租）" : "")</dd>
            <dt>状态</dt><dd>\(r.endedOn.map { "已于\($0)退租" } ?? "在租")</dd></dl>
            <div class="tiles">\(due)</div>
            <h2>承租人</h2>
            \(Console.table(["姓名", "户籍类别", "入住日期", "居住证", "状态"], tenants, empty: "没有承租人"))
            <h2>安全检查</h2>
            \(Console.table(["类别", "日期", "结果", "检查情况"], checks, empty: "尚未检查"))
            \(forms)
            """
        return Console.page(req, user, title: "出租房屋", crumbs: Self.crumbs + [Crumb(r.dwellingNumber ?? "出租登记")], body: body, status: status)
    }

    struct CheckForm: Content { var csrf: String?; var kind: String?; var checked_on: String?; var passed: String?; var findings: String? }
    struct EndForm: Content { var csrf: String?; var ended_on: String?; var version: String? }
    struct PermitForm: Content { var csrf: String?; var resident_id: String?; var issued_on: String? }

    /// Runs a write of the rental's page; a refusal re-renders the page with the message at its field.
    func act(_ req: Request, _ user: WebUser, _ write: (RentalRecord) async throws -> Void) async throws -> Response {
        let r = try await HousingService.findRental(req, id: try req.pathUUID())
        do {
            try await write(r)
            return req.redirect(to: "/console/housing/rentals/\(r.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await page(req, user, r, errors: errors, status: .unprocessableEntity, audit: nil)
        } catch RegistryError.staleVersion {
            return try await page(req, user, r, errors: [FieldError("version", "该出租登记已被他人修改，请刷新后再办")], status: .conflict, audit: nil)
        }
    }

    func check(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(CheckForm.self)) ?? CheckForm()
        try req.checkCSRF(user, form.csrf)
        return try await act(req, user) { r in
            _ = try await HousingService.check(req, id: r.id, .init(kind: form.kind, checkedOn: form.checked_on, passed: form.passed != "false", findings: form.findings))
        }
    }

    func end(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(EndForm.self)) ?? EndForm()
        try req.checkCSRF(user, form.csrf)
        return try await act(req, user) { r in
            _ = try await HousingService.endRental(req, id: r.id, .init(endedOn: form.ended_on, version: form.version.flatMap { Int($0) }))
        }
    }

    func permit(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(PermitForm.self)) ?? PermitForm()
        try req.checkCSRF(user, form.csrf)
        return try await act(req, user) { r in
            guard let resident = form.resident_id.flatMap(UUID.init(uuidString:)) else { throw RegistryError.notFound("承租人") }
            try await req.housing.recordPermit(r.id, resident: resident, issuedOn: try HousingService.date(form.issued_on, "issued_on"), by: req.housingActor)
        }
    }
}
