import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 社会救助 pages: the case list with its filters and the application form (代为受理). A case's
/// file and its step forms are in `AssistanceFilePages`, standards and objections in `AssistanceAdminPages`.
/// Forms post with the CSRF token; the data layer is the API's, so scope, rules and audit are the same.
struct AssistancePages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "assistance")
        a.get(needs: .permission(.assistanceRead), use: list)
        a.get("new", needs: .permission(.assistanceWrite), use: newApplication)
        // Scans ride with the application: a multipart body of up to ten files of 10 MB.
        a.on(.POST, "new", needs: .permission(.assistanceWrite), body: .collect(maxSize: "110mb"), use: apply)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("社会救助", "/console/assistance")]

    static func tabs(_ current: String, _ user: WebUser) -> Markup {
        var items = [("救助案件", "/console/assistance")]
        if user.may(.assistanceWrite) { items.append(("受理申请", "/console/assistance/new")) }
        if user.may(.assistanceReview) { items.append(("救助金发放", "/console/assistance/payrolls")) }
        items += [("主动发现", "/console/assistance/findings"), ("公示异议", "/console/assistance/objections"), ("救助标准", "/console/assistance/standards")]
        return "<p class=\"tabs\">\(items.map { l, h -> Markup in h == current ? "<b>\(l)</b>" : "<a href=\"\(h)\">\(l)</a>" }.joined(separator: " · "))</p>"
    }

    static func stageBadge(_ c: AssistanceCaseDTO) -> Markup {
        let tone = c.overdue || c.recheckDue ? "red" : c.stage == .noticed ? "yellow" : ""
        return "<span class=\"badge \(tone)\">\(c.stageLabel)</span>\(c.overdue ? " <span class=\"badge red\">超时</span>" : "")\(c.recheckDue ? " <span class=\"badge red\">待复核</span>" : "")"
    }

    // MARK: The list

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        var filter = AssistanceFilter()
        let kind = req.formQuery("kind"), stage = req.formQuery("stage")
        filter.kind = kind.flatMap(AssistanceKind.init(rawValue:))
        filter.stage = stage.flatMap(AssistanceStage.init(rawValue:))
        filter.overdue = req.formFlag("overdue")
        filter.recheckDue = req.formFlag("recheck_due")
        let scope = try req.narrowedScope(), division = req.formQuery("division")
        let q = req.assistance, today = req.application.linli.today()
        let page = try await q.cases(in: scope, filter: filter, page: req.consolePage(perPage: 30))
        let figures = try await q.figures(in: scope)
        let rows = page.items.map { r -> [Markup] in
            let c = AssistanceCaseDTO(r, today: today)
            return ["<a href=\"/console/assistance/\(c.id)\">\(c.number)</a>", Markup.text(c.applicantName ?? ""), Markup.text(c.kind.shortLabel),
                    "\(c.members)人", Self.stageBadge(c), c.amount > 0 ? "\(c.amount)元\(c.monthly ? "/月" : "")" : "—", Markup.text(c.acceptedOn),
                    Markup.text(c.stage.isPending ? c.dueOn : (c.nextRecheckOn ?? "—"))]
        }
        let tiles = [("在保低保户", figures.dibaoHouseholds, ""), ("在保特困人员", figures.tekunPeople, ""), ("办理中", figures.pending, ""),
                     ("超过审批时限", figures.overdue, "red"), ("公示中", figures.noticed, "yellow"), ("待复核", figures.recheckDue, "red"),
                     ("待处理异议", figures.openObjections, "red")]
            .map { (t: (String, Int, String)) -> Markup in "<div class=\"tile \(t.1 > 0 ? t.2 : "")\"><span>\(t.0)</span><b>\(t.1)</b></div>" }
        let kindOptions = [("", "全部类别")] + AssistanceKind.allCases.map { ($0.rawValue, $0.label) }
        let stageOptions = [("", "全部阶段")] + AssistanceStage.allCases.map { ($0.rawValue, $0.label) }
        let body: Markup = """
            <h1>社会救助</h1>
            \(Self.tabs("/console/assistance", user))
            <p class="muted">区、街道、社区“三级救助圈”：社区受理和入户调查，街道审核和公示，区民政审批（或委托街道）；最低生活保障实行分类救助、精准救助。</p>
            <div class="tiles">\(tiles)</div>
            <form method="get" action="/console/assistance" class="filters">
              \(Console.select("类别", name: "kind", options: kindOptions, selected: kind))
              \(Console.select("阶段", name: "stage", options: stageOptions, selected: stage))
              \(Console.select("时限", name: "overdue", options: [("", "全部"), ("true", "超过审批时限")], selected: filter.overdue ? "true" : nil))
              \(Console.select("复核", name: "recheck_due", options: [("", "全部"), ("true", "到期或需立即复核")], selected: filter.recheckDue ? "true" : nil))
              <button type="submit">筛选</button>
            </form>
            \(Console.table(["编号", "申请人", "类别", "家庭人数", "阶段", "金额", "受理日期", "审批时限/下次复核"], rows, empty: "没有符合条件的救助案件"))
            \(Console.pager(page, path: "/console/assistance", query: [("division", division), ("kind", kind), ("stage", stage),
                                                                     ("overdue", filter.overdue ? "true" : nil), ("recheck_due", filter.recheckDue ? "true" : nil)]))
            """
        return Console.page(req, user, title: "社会救助", crumbs: [Crumb("工作台", "/console"), Crumb("社会救助")], body: body)
    }

    // MARK: The application (代为受理)

    /// The form as typed: members are rows `m0_…`, `m1_…` in the household's order (from the registry).
    struct ApplicationForm: Content {
        var csrf: String?
        var household: String?
        var kind: String?
        var applicant_id: String?
        var monthly_income: String?
        var deposits: String?
        var vehicles: String?
        var dwellings: String?
        var has_able_supporter: String?
        var emergency: String?
        var expense: String?
        var requested: String?
        var attachments: [File]?
    }

    func newApplication(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceWrite)
        return try await renderForm(req, user, household: req.formQuery("household"), kind: req.formQuery("kind"), values: [:], errors: [], status: .ok)
    }

    /// Finds the household by its number or id within the caller's scope.
    static func household(_ req: Request, _ key: String?) async throws -> (id: UUID, number: String, members: [ResidentRecord])? {
        guard let key = key?.trimmedOrNil else { return nil }
        let households = HouseholdQueries(req.db)
        let found: HouseholdRecord?
        if let id = UUID(uuidString: key) { found = try await households.find(id: id, in: req.registryScope) } else {
            found = try await households.find(number: key, in: req.registryScope)
        }
        guard let h = found else { return nil }
        let members = try await req.residents.members(ofHousehold: h.id, in: req.registryScope).filter { $0.lifeStatus == .active }
        return (h.id, h.number, members)
    }

    func renderForm(_ req: Request, _ user: WebUser, household key: String?, kind: String?, values: [String: String], errors: [FieldError],
                    status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f || $0.field.hasPrefix(f + ".") || $0.field.hasPrefix(f + "[") }?.message }
        let found = try await Self.household(req, key)
        var parts: [Markup] = ["<h1>受理救助申请</h1>", Self.tabs("/console/assistance/new", user),
                               "<p class=\"muted\">社区代为受理：家庭成员从人口登记带出，只需填写各成员的收入、劳动能力、残疾和疾病情况，以及家庭财产。收入、财产和健康信息加密保存。</p>"]
        parts.append("""
            <form method="get" action="/console/assistance/new" class="filters">
            \(Console.field("户号", name: "household", value: found?.number ?? key, error: key != nil && found == nil ? "本辖区没有这个户号" : nil, required: true))
            \(Console.select("救助类别", name: "kind", options: AssistanceKind.allCases.map { ($0.rawValue, $0.label) }, selected: kind))
            <button type="submit">带出家庭成员</button></form>
            """)
        if !errors.isEmpty { parts.append("<p class=\"muted\">申请未保存：</p>\(Console.formErrors(errors))") }
        if let h = found {
            let today = req.application.linli.today()
            let rows = h.members.enumerated().map { i, m -> Markup in
                let age = CivilDate(m.birthDate).map { $0.age(on: today) } ?? 0
                let incomes = IncomeSource.allCases.map { s -> Markup in
                    Console.field(s.label + "（元/月）", name: "m\(i)_\(s.rawValue)", value: values["m\(i)_\(s.rawValue)"], error: err("members[\(i)].incomes"),
                                  type: "number", extra: "min=\"0\" step=\"0.01\" inputmode=\"decimal\"")
                }
                return """
                    <fieldset><legend>\(m.name)（\(m.relation.label)，\(age)岁，\(m.idMasked)）</legend>
                    <input type="hidden" name="m\(i)_id" value="\(m.id.uuidString)">
                    \(Console.select("劳动能力", name: "m\(i)_capacity", options: LabourCapacity.allCases.map { ($0.rawValue, $0.label) }, selected: values["m\(i)_capacity"]))
                    \(Console.select("残疾等级", name: "m\(i)_grade", options: [("", "无")] + (1...4).map { (String($0), "\($0)级") }, selected: values["m\(i)_grade"],
                                     error: err("members[\(i)].disability_grade")))
                    \(Console.field("疾病情况", name: "m\(i)_illness", value: values["m\(i)_illness"], extra: "maxlength=\"200\""))
                    \(incomes)
                    </fieldset>
                    """
            }
            parts.append("""
                <form method="post" action="/console/assistance/new" enctype="multipart/form-data">\(Console.csrfField(user))
                <input type="hidden" name="household" value="\(h.id.uuidString)">
                \(Console.select("救助类别", name: "kind", options: AssistanceKind.allCases.map { ($0.rawValue, $0.label) }, selected: kind, error: err("kind")))
                \(Console.select("申请人（救助对象）", name: "applicant_id", options: h.members.map { ($0.id.uuidString, $0.name) }, selected: values["applicant_id"],
                                 error: err("applicant_id")))
                <h2>家庭成员（户号 \(h.number)）</h2>
                \(rows)
                <h2>家庭收入和财产</h2>
                \(Console.field("家庭月收入合计（元）", name: "monthly_income", value: values["monthly_income"], error: err("monthly_income"), type: "number",
                                required: true, hint: "须与上面各成员收入之和一致", extra: "min=\"0\" step=\"0.01\" inputmode=\"decimal\""))
                \(Console.field("存款等金融资产（元）", name: "deposits", value: values["deposits"], error: err("assets.deposits"), type: "number",
                                extra: "min=\"0\" step=\"0.01\" inputmode=\"decimal\""))
                \(Console.field("机动车辆（辆）", name: "vehicles", value: values["vehicles"] ?? "0", error: err("assets.vehicles"), type: "number", extra: "min=\"0\""))
                \(Console.field("住房（套）", name: "dwellings", value: values["dwellings"] ?? "1", error: err("assets.dwellings"), type: "number", extra: "min=\"0\""))
                <h2>按类别填写</h2>
                <div class="field"><label><input type="checkbox" name="has_able_supporter" value="on"\(values["has_able_supporter"] == "on" ? " checked" : "")>
                  特困：有法定赡养、抚养、扶养义务人且有履行能力</label></div>
                \(Console.field("急难情形（急难型临时救助）", name: "emergency", value: values["emergency"], error: err("emergency"), extra: "maxlength=\"500\""))
                \(Console.field("刚性支出或自付医疗费用（元，近12个月）", name: "expense", value: values["expense"], error: err("expense"), type: "number",
                                extra: "min=\"0\" step=\"0.01\" inputmode=\"decimal\""))
                \(Console.field("申请救助金额（元，临时救助）", name: "requested", value: values["requested"], error: err("requested"), type: "number",
                                extra: "min=\"0\" step=\"0.01\" inputmode=\"decimal\""))
                <div class="field\(err("attachments") == nil ? "" : " invalid")"><label for="f-attachments">附件（身份证、收入证明、病历等扫描件：图片或PDF，每个不超过10MB）</label>
                  <input id="f-attachments" type="file" name="attachments[]" multiple accept="image/jpeg,image/png,image/webp,application/pdf">
                  \(err("attachments").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</div>
                <button type="submit">受理</button></form>
                """)
        }
        return Console.page(req, user, title: "受理救助申请", crumbs: Self.crumbs + [Crumb("受理申请")], body: parts.joined(separator: "\n"), status: status)
    }

    func apply(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceWrite)
        let form = (try? req.content.decode(ApplicationForm.self)) ?? ApplicationForm()
        try req.checkCSRF(user, form.csrf)
        // The member rows, by index, as typed (their number follows the household), read field by field: the
        // body is multipart with the scans in it.
        var fields: [String: String] = [:]
        func read(_ key: String) -> String? {
            if let v = fields[key] { return v }
            let v = try? req.content.get(String.self, at: key)
            fields[key] = v
            return v
        }
        for key in ["applicant_id", "monthly_income", "deposits", "vehicles", "dwellings", "has_able_supporter", "emergency", "expense", "requested"] {
            _ = read(key)
        }
        var row = 0
        while read("m\(row)_id") != nil {
            for key in ["capacity", "grade", "illness"] + IncomeSource.allCases.map(\.rawValue) { _ = read("m\(row)_\(key)") }
            row += 1
        }
        var members: [DeclaredFactsDTO.Member] = []
        var i = 0
        var errors = FieldErrors()
        func yuan(_ raw: String?, _ field: String) -> Double? {
            guard let raw = raw?.trimmedOrNil else { return nil }
            guard let v = Double(raw), v >= 0 else { errors.add(field, "请填写不小于0的金额"); return nil }
            return v
        }
        while let id = fields["m\(i)_id"] {
            let incomes = IncomeSource.allCases.compactMap { s -> DeclaredFactsDTO.Income? in
                yuan(fields["m\(i)_\(s.rawValue)"], "members[\(i)].incomes").flatMap { $0 > 0 ? DeclaredFactsDTO.Income(source: s, period: .month, amount: $0) : nil }
            }
            members.append(DeclaredFactsDTO.Member(residentId: id, age: nil, labourCapacity: fields["m\(i)_capacity"].flatMap(LabourCapacity.init(rawValue:)),
                                                   disabilityGrade: fields["m\(i)_grade"].flatMap { Int($0) }, illness: fields["m\(i)_illness"],
                                                   incomes: incomes, monthlyIncome: nil))
            i += 1
        }
        var facts = DeclaredFactsDTO(DeclaredFacts(members: [], assets: DeclaredAssets(deposits: 0, vehicles: 0, dwellings: 0), statedMonthlyIncome: 0))
        facts.members = members
        facts.assets = .init(deposits: yuan(form.deposits, "assets.deposits"), vehicles: form.vehicles.flatMap { Int($0) },
                             dwellings: form.dwellings.flatMap { Int($0) })
        facts.monthlyIncome = yuan(form.monthly_income, "monthly_income")
        if form.monthly_income?.trimmedOrNil == nil { errors.add("monthly_income", "请填写家庭月收入合计（没有收入填0）") }
        facts.hasAbleSupporter = form.has_able_supporter == "on"
        facts.emergency = form.emergency
        facts.expense = yuan(form.expense, "expense")
        facts.requested = yuan(form.requested, "requested")
        let files = (form.attachments ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
            .map { AttachmentUpload(filename: $0.filename, data: Array($0.data.readableBytesView)) }
        do {
            guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
            let input = AssistanceService.ApplicationInput(kind: form.kind, householdId: form.household.flatMap(UUID.init(uuidString:)),
                                                           applicantId: form.applicant_id.flatMap(UUID.init(uuidString:)), facts: facts)
            let c = try await AssistanceService.apply(req, input, files: files)
            return req.redirect(to: "/console/assistance/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, household: form.household, kind: form.kind, values: fields, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await renderForm(req, user, household: form.household, kind: form.kind, values: fields, errors: [error], status: .conflict)
        }
    }
}
