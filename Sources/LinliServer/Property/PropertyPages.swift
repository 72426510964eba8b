import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 物业管理: the compounds of one's area with today's management (unmanaged ones marked), a compound's
/// page with its buildings and contracts, the forms that add or edit a compound and add a contract, and the property
/// service companies (each made with its department account).
struct PropertyPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "property")
        p.get(needs: .permission(.propertyRead), use: list)
        p.get("new", needs: .permission(.propertyWrite), use: newForm)
        p.post("new", needs: .permission(.propertyWrite), use: create)
        p.get("companies", needs: .permission(.propertyRead), use: companies)
        p.get("companies", "new", needs: .permission(.propertyWrite), use: newCompanyForm)
        p.post("companies", "new", needs: .permission(.propertyWrite), use: createCompany)
        p.get("companies", ":id", needs: .permission(.propertyRead), use: company)
        p.get("committees", needs: .permission(.propertyRead), use: committeesDue)
        p.post(":id", "committees", needs: .permission(.propertyWrite), use: addCommittee)
        p.get(":id", needs: .permission(.propertyRead), use: compound)
        p.get(":id", "edit", needs: .permission(.propertyWrite), use: editForm)
        p.post(":id", "edit", needs: .permission(.propertyWrite), use: update)
        p.post(":id", "contracts", needs: .permission(.propertyWrite), use: addContract)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("物业管理", "/console/property")]
    static let clause: Markup = """
        <p class="muted">规划：“探索建立社区居委会、物业管理、业主委员会、社区民警‘四位一体’的运作机制……指导物业管理服务企业依法经营，积极探索老旧小区的‘准物业管理’机制，加快物管用房、服务人员等硬件设施和基本条件建设”。</p>
        """
    static let links: Markup = "<p><a href=\"/console/property\">小区</a> · <a href=\"/console/property?mode=none\">无人管理的小区</a> · <a href=\"/console/property/companies\">物业服务企业</a> · <a href=\"/console/property/committees\">业主委员会提醒</a> · <a href=\"/console/property/coordination\">四位一体协调会</a></p>"

    /// Communities by code, for the pages' 社区 columns.
    static func communityNames(_ req: Request) async throws -> [String: String] {
        Dictionary(try await DivisionQueries(req.db).all(level: .community).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let scope = try req.narrowedScope()
        let text = try req.queryString("q", maxLength: 40), mode = try req.queryEnum("mode", ManagementMode.self)
        let page = try await req.property.compounds(in: scope, mode: mode, text: text, page: req.consolePage(perPage: 30))
        let unmanaged = try await req.property.todo(in: scope).unmanaged
        let names = try await Self.communityNames(req)
        let scores = try await req.property.scores(year: req.application.linli.today().year, of: page.items.map(\.id), in: scope)
        let rows = page.items.map { c -> [Markup] in
            ["<a href=\"/console/property/\(c.id)\">\(c.name)</a>", Markup.text(names[c.communityCode] ?? c.communityCode), Markup.text(c.yearBuilt.map(String.init) ?? "—"),
             Markup.text(c.old ? "是" : "否"), "\(c.buildings)", "\(c.households)",
             c.mode == .unmanaged ? "<strong class=\"red\">无人管理</strong>" : Markup.text(c.mode == .company ? (c.companyName ?? "") : "准物业管理（\(c.services.map(\.label).joined(separator: "、"))）"),
             Markup.text(PropertyRatingPages.scoreText(scores[c.id]))]
        }
        let query: [(String, String?)] = [("q", text), ("mode", mode?.rawValue), ("division", req.formQuery("division"))]
        let body: Markup = """
            <h1>物业管理（小区）</h1>
            \(Self.clause)
            \(Self.links)
            <p>无人管理的小区：<a href="/console/property?mode=none"><b>\(unmanaged)</b> 个</a></p>
            \(user.may(.propertyWrite) ? "<p><a class=\"button\" href=\"/console/property/new\">登记小区</a></p>" : Markup.empty)
            <form method="get" action="/console/property" class="filters">
            \(Console.field("小区名称", name: "q", value: text, extra: "maxlength=\"40\""))
            \(Console.select("管理方式", name: "mode", options: [("", "全部")] + ManagementMode.allCases.map { ($0.rawValue, $0.label) }, selected: mode?.rawValue))
            \(Console.field("区划代码", name: "division", value: req.formQuery("division"), hint: "村/社区或镇/街道代码", extra: "maxlength=\"15\" inputmode=\"numeric\""))
            <button type="submit">查询</button></form>
            <p>共 \(page.total) 个</p>
            \(Console.table(["小区", "社区", "建成年份", "老旧小区", "楼栋", "户数", "管理方式", "居民评价（今年）"], rows, empty: "没有符合条件的小区"))
            \(Console.pager(page, path: "/console/property", query: query))
            """
        return Console.page(req, user, title: "物业管理", crumbs: [Crumb("工作台", "/console"), Crumb("物业管理")], body: body)
    }

    struct CompoundForm: Content {
        var csrf: String?
        var name: String?
        var year_built: String?
        var old: String?
        var quasi_services: [String]?
        var buildings: [String]?
        var version: String?

        func body() throws -> PropertyInputs.CompoundBody {
            var year: Int?
            if let y = year_built?.trimmedOrNil {
                guard let v = Int(y) else { throw RegistryError.invalid([FieldError("year_built", "建成年份应为四位数字")]) }
                year = v
            }
            return .init(name: name, yearBuilt: year, old: old == "true", quasiServices: quasi_services, buildings: buildings, version: version.flatMap { Int($0) })
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        return try await render(req, user, CompoundForm(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ v: CompoundForm, errors: [FieldError], status: HTTPResponseStatus, editing: CompoundRecord? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let choices = try await req.property.buildingChoices(in: req.registryScope, compound: editing?.id)
        let chosen = Set(v.buildings ?? []), services = Set(v.quasi_services ?? [])
        let boxes: [Markup] = choices.map { b in
            "<label><input type=\"checkbox\" name=\"buildings[]\" value=\"\(b.id)\"\(chosen.contains(b.id.uuidString) ? " checked" : "")> \(b.name)（\(b.gridCode)）</label><br>"
        }
        let serviceBoxes: [Markup] = PropertyService.allCases.map { s in
            "<label><input type=\"checkbox\" name=\"quasi_services[]\" value=\"\(s.rawValue)\"\(services.contains(s.rawValue) ? " checked" : "")> \(s.label)</label> "
        }
        let title = editing == nil ? "登记小区" : "修改小区"
        let action = editing.map { "/console/property/\($0.id)/edit" } ?? "/console/property/new"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(editing.map { _ -> Markup in "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">" }.orEmpty)
            \(Console.field("小区名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"40\""))
            \(Console.field("建成年份", name: "year_built", value: v.year_built, error: err("year_built"), extra: "inputmode=\"numeric\" maxlength=\"4\""))
            \(Console.select("老旧小区", name: "old", options: [("false", "否"), ("true", "是")], selected: v.old ?? "false"))
            <fieldset><legend>准物业管理：社区承担的服务（无物业服务企业时填写；都不选即无人管理）</legend>\(serviceBoxes)</fieldset>
            <fieldset\(err("buildings") == nil ? Markup.empty : " aria-invalid=\"true\"")><legend>楼栋（本辖区尚未归入其他小区的楼栋）</legend>
            \(err("buildings").map { m -> Markup in "<p class=\"error\">\(m)</p>" }.orEmpty)
            \(boxes.isEmpty ? "<p class=\"muted\">本辖区没有可选的楼栋</p>" : boxes.joined())</fieldset>
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (editing.map { [Crumb($0.name, "/console/property/\($0.id)")] } ?? []) + [Crumb(editing == nil ? "登记" : "修改")]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let form = (try? req.content.decode(CompoundForm.self)) ?? CompoundForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let c = try await PropertyInputs.createCompound(req, try form.body())
            return req.redirect(to: "/console/property/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict)
        }
    }

    func compound(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        return try await show(req, user, c, ContractForm(), errors: [], status: .ok)
    }

    func show(_ req: Request, _ user: WebUser, _ c: CompoundRecord, _ v: ContractForm, errors: [FieldError], status: HTTPResponseStatus,
              committee: CommitteeForm = CommitteeForm(), committeeErrors: [FieldError] = []) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        func cerr(_ f: String) -> String? { committeeErrors.first { $0.field == f }?.message }
        let committees = try await req.property.committees(ofCompound: c.id, in: req.registryScope)
        var committeeRows: [[Markup]] = []
        for k in committees {
            let members = try await req.property.members(of: k.id)
            committeeRows.append([Markup.text("\(k.startsOn) 至 \(k.endsOn)"), Markup.text(k.filedOn.map { "已备案（\($0)）" } ?? "未备案"),
                                  Markup.text(members.map { "\($0.nameMasked)（\($0.office.label)）" }.joined(separator: "、"))])
        }
        var committeeForm: Markup = .empty
        if user.may(.propertyWrite) {
            committeeForm = """
                <h3 id="committee">登记业主委员会</h3>
                \(Console.formErrors(committeeErrors))
                <form method="post" action="/console/property/\(c.id)/committees">\(Console.csrfField(user))
                \(Console.field("任期开始日期", name: "starts_on", value: committee.starts_on, error: cerr("starts_on"), type: "date", required: true))
                \(Console.field("任期结束日期", name: "ends_on", value: committee.ends_on, error: cerr("ends_on"), type: "date", required: true))
                \(Console.field("街道备案日期", name: "filed_on", value: committee.filed_on, error: cerr("filed_on"), type: "date", hint: "尚未备案的留空"))
                \(Console.textarea("成员身份证号（每行一个，第一行为主任；5至11人单数，须为本小区登记的居民）", name: "members", value: committee.members, error: cerr("members"), required: true, maxLength: 400))
                <button type="submit">登记业主委员会</button></form>
                """
        }
        let buildings = try await req.property.buildings(of: c.id)
        let contracts = try await req.property.contracts(ofCompound: c.id, in: req.registryScope)
        let rows = contracts.map { k -> [Markup] in
            ["<a href=\"/console/property/companies/\(k.companyId)\">\(k.companyName ?? "—")</a>", Markup.text("\(k.startsOn) 至 \(k.endsOn)"),
             Markup.text(String(format: "%.2f", k.fee)), Markup.text(PropertyService.decode(k.services).map(\.label).joined(separator: "、")),
             Markup.text(k.staff.map(String.init) ?? "—"), Markup.text(k.roomArea.map { String(format: "%.0f", $0) } ?? "—")]
        }
        var form: Markup = .empty
        if user.may(.propertyWrite) {
            let companies = try await req.property.companies(page: PageRequest(page: 1, perPage: PageRequest.maxPerPage)).items
            let chosen = Set(v.services ?? [])
            let serviceBoxes: [Markup] = PropertyService.allCases.map { s in
                "<label><input type=\"checkbox\" name=\"services[]\" value=\"\(s.rawValue)\"\(chosen.contains(s.rawValue) ? " checked" : "")> \(s.label)</label> "
            }
            form = """
                <h2 id="contract">登记物业服务合同</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/property/\(c.id)/contracts">\(Console.csrfField(user))
                \(Console.select("物业服务企业", name: "company_id", options: [("", "请选择")] + companies.map { ($0.id.uuidString, $0.name) }, selected: v.company_id, error: err("company_id"), required: true))
                \(Console.field("合同开始日期", name: "starts_on", value: v.starts_on, error: err("starts_on"), type: "date", required: true))
                \(Console.field("合同结束日期", name: "ends_on", value: v.ends_on, error: err("ends_on"), type: "date", required: true))
                \(Console.field("物业费（元/平方米·月）", name: "fee", value: v.fee, error: err("fee"), required: true, extra: "inputmode=\"decimal\" maxlength=\"6\""))
                <fieldset><legend>服务内容</legend>\(err("services").map { m -> Markup in "<p class=\"error\">\(m)</p>" }.orEmpty)\(serviceBoxes)</fieldset>
                \(Console.field("在岗服务人员（人）", name: "staff", value: v.staff, error: err("staff"), extra: "inputmode=\"numeric\" maxlength=\"4\""))
                \(Console.field("物管用房面积（平方米）", name: "room_area", value: v.room_area, error: err("room_area"), extra: "inputmode=\"decimal\" maxlength=\"7\""))
                <button type="submit">登记合同</button></form>
                <p class="muted">没有的企业请先<a href="/console/property/companies/new">登记物业服务企业</a>。</p>
                """
        }
        let communityName = try await Self.communityNames(req)[c.communityCode] ?? c.communityCode
        let coordination = try await CoordinationPages.section(req, user, c)
        let management: Markup = c.mode == .company ? "\(c.companyName ?? "")（合同至 \(c.contractEndsOn ?? "")）"
            : c.mode == .quasi ? "准物业管理（\(c.services.map(\.label).joined(separator: "、"))）" : "<strong>无人管理</strong>"
        let ratings = try await PropertyRatingPages.compoundSection(req, c)
        let body: Markup = """
            <h1>\(c.name)</h1>
            \(Self.links)
            <dl class="facts"><dt>社区</dt><dd>\(communityName)</dd><dt>建成年份</dt><dd>\(c.yearBuilt.map(String.init) ?? "—")</dd>
            <dt>老旧小区</dt><dd>\(c.old ? "是" : "否")</dd><dt>楼栋 / 户数</dt><dd>\(c.buildings) / \(c.households)</dd>
            <dt>管理方式</dt><dd>\(management)</dd></dl>
            \(user.may(.propertyWrite) ? "<p><a href=\"/console/property/\(c.id)/edit\">修改</a></p>" : Markup.empty)
            \(ratings)
            <h2>楼栋</h2>
            <p>\(buildings.map { b -> Markup in "<a href=\"/console/housing/buildings/\(b.id)\">\(b.name)</a>" }.joined(separator: "、"))</p>
            <h2>业主委员会</h2>
            \(Console.table(["任期", "街道备案", "成员"], committeeRows, empty: "尚未登记业主委员会"))
            \(committeeForm)
            <h2>物业服务合同</h2>
            \(Console.table(["物业服务企业", "合同期", "物业费（元/平方米·月）", "服务内容", "在岗人员", "物管用房（平方米）"], rows, empty: "尚未登记合同"))
            \(form)
            \(coordination)
            """
        return Console.page(req, user, title: c.name, crumbs: Self.crumbs + [Crumb(c.name)], body: body, status: status)
    }

    func editForm(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        let buildings = try await req.property.buildings(of: c.id)
        let v = CompoundForm(name: c.name, year_built: c.yearBuilt.map(String.init), old: c.old ? "true" : "false", quasi_services: c.services.map(\.rawValue),
                             buildings: buildings.map(\.id.uuidString), version: String(c.version))
        return try await render(req, user, v, errors: [], status: .ok, editing: c)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let form = (try? req.content.decode(CompoundForm.self)) ?? CompoundForm()
        try req.checkCSRF(user, form.csrf)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        do {
            _ = try await PropertyInputs.updateCompound(req, id: c.id, try form.body())
            return req.redirect(to: "/console/property/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity, editing: c)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict, editing: c)
        } catch RegistryError.staleVersion {
            return try await render(req, user, form, errors: [FieldError("version", "该小区信息已被他人修改，请重新打开编辑页后再改")], status: .conflict, editing: c)
        }
    }

    struct ContractForm: Content {
        var csrf: String?
        var company_id: String?
        var starts_on: String?
        var ends_on: String?
        var fee: String?
        var services: [String]?
        var staff: String?
        var room_area: String?

        func body() throws -> PropertyInputs.ContractBody {
            var errors: [FieldError] = []
            func number(_ raw: String?, _ field: String, _ message: String) -> Double? {
                guard let t = raw?.trimmedOrNil else { return nil }
                guard let v = Double(t) else { errors.append(FieldError(field, message)); return nil }
                return v
            }
            let fee = number(self.fee, "fee", "物业费应为数字（元/平方米·月）"), area = number(room_area, "room_area", "物管用房面积应为数字（平方米）")
            let staff = number(self.staff, "staff", "在岗服务人员应为整数")
            if let s = staff, s != s.rounded() { errors.append(FieldError("staff", "在岗服务人员应为整数")) }
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            return .init(companyId: company_id, startsOn: starts_on, endsOn: ends_on, fee: fee, services: services, staff: staff.map { Int($0) }, roomArea: area)
        }
    }

    func addContract(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let form = (try? req.content.decode(ContractForm.self)) ?? ContractForm()
        try req.checkCSRF(user, form.csrf)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        do {
            _ = try await PropertyInputs.addContract(req, compound: c.id, try form.body())
            return req.redirect(to: "/console/property/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await show(req, user, c, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await show(req, user, c, form, errors: [e], status: .conflict)
        }
    }

    struct CommitteeForm: Content {
        var csrf: String?
        var starts_on: String?
        var ends_on: String?
        var filed_on: String?
        var members: String?
    }

    /// Members typed as ID numbers, each found among the registry's residents of the caller's area; the first is the director.
    func addCommittee(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let form = (try? req.content.decode(CommitteeForm.self)) ?? CommitteeForm()
        try req.checkCSRF(user, form.csrf)
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        do {
            let linli = req.application.linli
            let residents = ResidentQueries(req.db, cipher: linli.cipher, today: linli.today())
            var members: [CommitteeService.Member] = [], unknown: [String] = []
            for line in (form.members ?? "").split(whereSeparator: \.isNewline) {
                let number = line.trimmingCharacters(in: .whitespaces)
                guard !number.isEmpty else { continue }
                if let r = try await residents.find(idNumber: number, in: req.registryScope) {
                    members.append(.init(residentId: r.id.uuidString, office: members.isEmpty ? CommitteeOffice.director.rawValue : CommitteeOffice.member.rawValue))
                } else {
                    unknown.append(number)
                }
            }
            if !unknown.isEmpty {
                throw RegistryError.invalid([FieldError("members", "身份证号\(unknown.map { Masking.citizenID($0) }.joined(separator: "、"))不在本辖区居民信息中，请先登记")])
            }
            _ = try await CommitteeService.add(req, compound: c.id, .init(startsOn: form.starts_on, endsOn: form.ends_on, filedOn: form.filed_on, members: members))
            return req.redirect(to: "/console/property/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await show(req, user, c, ContractForm(), errors: [], status: .unprocessableEntity, committee: form, committeeErrors: errors)
        } catch RegistryError.conflict(let e) {
            return try await show(req, user, c, ContractForm(), errors: [], status: .conflict, committee: form, committeeErrors: [e])
        }
    }

    /// The community's reminders: committees whose term ends within 90 days, large compounds without one in force.
    func committeesDue(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let scope = try req.narrowedScope()
        let ending = try await req.property.committeesEndingSoon(in: scope), without = try await req.property.compoundsWithoutCommittee(in: scope)
        let large = try await req.property.largeHouseholds()
        let endingRows = ending.map { k -> [Markup] in
            ["<a href=\"/console/property/\(k.compoundId)\">\(k.compoundName ?? "—")</a>", Markup.text(k.endsOn), Markup.text(k.filedOn ?? "未备案")]
        }
        let names = try await Self.communityNames(req)
        let withoutRows = without.map { c -> [Markup] in ["<a href=\"/console/property/\(c.id)\">\(c.name)</a>", Markup.text(names[c.communityCode] ?? c.communityCode), "\(c.households)"] }
        let body: Markup = """
            <h1>业主委员会提醒</h1>
            <p class="muted">规划：“规范业主自治”。</p>
            \(Self.links)
            <h2>任期将满（90天内）</h2>
            \(Console.table(["小区", "任期结束", "街道备案"], endingRows, empty: "没有90天内任期将满的业主委员会"))
            <h2>应成立而未成立业主委员会的小区（\(large)户以上）</h2>
            \(Console.table(["小区", "社区", "户数"], withoutRows, empty: "没有"))
            """
        return Console.page(req, user, title: "业主委员会提醒", crumbs: Self.crumbs + [Crumb("业主委员会提醒")], body: body)
    }

    // MARK: companies

    func companies(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let text = try req.queryString("q", maxLength: 40)
        let page = try await req.property.companies(text: text, page: req.consolePage(perPage: 30))
        let rows = page.items.map { c -> [Markup] in
            ["<a href=\"/console/property/companies/\(c.id)\">\(c.name)</a>", Markup.text(c.creditCode), Markup.text(c.contactName ?? "—"), "\(c.compounds)",
             Markup.text(c.username ?? "—")]
        }
        let body: Markup = """
            <h1>物业服务企业</h1>
            \(Self.clause)
            \(Self.links)
            \(user.may(.propertyWrite) ? "<p><a class=\"button\" href=\"/console/property/companies/new\">登记物业服务企业</a></p>" : Markup.empty)
            <form method="get" action="/console/property/companies" class="filters">
            \(Console.field("企业名称或信用代码", name: "q", value: text, extra: "maxlength=\"40\""))
            <button type="submit">查询</button></form>
            <p>共 \(page.total) 家</p>
            \(Console.table(["企业名称", "统一社会信用代码", "负责人", "服务小区（合同期内）", "派单账号"], rows, empty: "尚未登记物业服务企业"))
            \(Console.pager(page, path: "/console/property/companies", query: [("q", text)]))
            """
        return Console.page(req, user, title: "物业服务企业", crumbs: Self.crumbs + [Crumb("物业服务企业")], body: body)
    }

    struct CompanyForm: Content {
        var csrf: String?
        var name: String?
        var credit_code: String?
        var contact_name: String?
    }

    func newCompanyForm(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        return renderCompany(req, user, CompanyForm(), errors: [], status: .ok)
    }

    func renderCompany(_ req: Request, _ user: WebUser, _ v: CompanyForm, errors: [FieldError], status: HTTPResponseStatus) -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let body: Markup = """
            <h1>登记物业服务企业</h1>
            \(Console.formErrors(errors))
            <p class="muted">登记后同时建立该企业的部门用户账号（停用，由安全管理员设置初始密码并启用后交企业使用），小区的诉求可派给它处理。</p>
            <form method="post" action="/console/property/companies/new">\(Console.csrfField(user))
            \(Console.field("企业名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("统一社会信用代码", name: "credit_code", value: v.credit_code, error: err("credit_code"), required: true, hint: "18位，见营业执照", extra: "maxlength=\"22\""))
            \(Console.field("项目负责人", name: "contact_name", value: v.contact_name, error: err("contact_name"), extra: "maxlength=\"30\""))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "登记物业服务企业", crumbs: Self.crumbs + [Crumb("物业服务企业", "/console/property/companies"), Crumb("登记")],
                            body: body, status: status, wide: false)
    }

    func createCompany(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyWrite)
        let form = (try? req.content.decode(CompanyForm.self)) ?? CompanyForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let c = try await PropertyInputs.createCompany(req, .init(name: form.name, creditCode: form.credit_code, contactName: form.contact_name))
            return req.redirect(to: "/console/property/companies/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return renderCompany(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return renderCompany(req, user, form, errors: [e], status: .conflict)
        }
    }

    func company(req: Request) async throws -> Response {
        let user = try req.webUser(.propertyRead)
        let c = try await PropertyInputs.findCompany(req, id: try req.pathUUID())
        let contracts = try await req.property.contracts(ofCompany: c.id, in: req.registryScope)
        let rows = contracts.map { k -> [Markup] in
            ["<a href=\"/console/property/\(k.compoundId)\">\(k.compoundName ?? "—")</a>", Markup.text("\(k.startsOn) 至 \(k.endsOn)"),
             Markup.text(String(format: "%.2f", k.fee)), Markup.text(k.staff.map(String.init) ?? "—")]
        }
        let scores = try await PropertyRatingPages.companySection(req, company: c.id)
        let body: Markup = """
            <h1>\(c.name)</h1>
            \(Self.links)
            <dl class="facts"><dt>统一社会信用代码</dt><dd>\(c.creditCode)</dd><dt>项目负责人</dt><dd>\(c.contactName ?? "—")</dd>
            <dt>派单部门</dt><dd>\(c.departmentCode)</dd><dt>部门用户账号</dt><dd>\(c.username ?? "—")</dd>
            <dt>服务小区（合同期内）</dt><dd>\(c.compounds)</dd></dl>
            <h2>本辖区的合同</h2>
            \(Console.table(["小区", "合同期", "物业费（元/平方米·月）", "在岗人员"], rows, empty: "本辖区没有该企业的合同"))
            \(scores)
            """
        return Console.page(req, user, title: c.name, crumbs: Self.crumbs + [Crumb("物业服务企业", "/console/property/companies"), Crumb(c.name)], body: body)
    }
}
