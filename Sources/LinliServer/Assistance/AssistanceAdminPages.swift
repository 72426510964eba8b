import Foundation
import LinliCore
import LinliData
import Vapor

/// The year's standards and each kind's approval level (configured by the district, audited), and the street's
/// list of objections to notices with the form that decides them.
struct AssistanceAdminPages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "assistance")
        a.get("standards", needs: .permission(.assistanceRead), use: standards)
        a.post("standards", needs: .permission(.assistanceStandards), use: saveStandard)
        a.post("settings", ":kind", needs: .permission(.assistanceStandards), use: saveSetting)
        a.get("objections", needs: .permission(.assistanceRead), use: objections)
        a.post("objections", ":id", needs: .permission(.assistanceReview), use: handleObjection)
    }

    func standards(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        return try await renderStandards(req, user, errors: [], values: [:], status: .ok)
    }

    func renderStandards(_ req: Request, _ user: WebUser, errors: [FieldError], values: [String: String], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let q = req.assistance, today = req.application.linli.today()
        let list = try await q.standards()
        let settings = try await q.settings()
        let edit = user.may(.assistanceStandards)
        var parts: [Markup] = ["<h1>救助标准</h1>", AssistancePages.tabs("/console/assistance/standards", user),
                               "<p class=\"muted\">标准由区民政部门按年度配置（元/人·月），每次修改记入审计日志；当年未配置时不能受理申请。</p>"]
        parts.append(Console.table(["年度", "区域", "低保标准", "特困供养", "困难残疾人生活补贴", "重度残疾人护理补贴", "低保保底", "临时救助上限", "医疗救助比例", "修改人"],
                                   list.map { s in
            ["\(s.year)", Markup.text(s.area.label), "\(s.dibao)", "\(s.tekun)", "\(s.disabilityLiving)", "\(s.disabilityCare)", "\(s.floor)",
             "\(s.temporaryCap)", "\(s.medicalPercent)%", Markup.text(s.updatedBy)]
        }, empty: "尚未配置救助标准"))
        if edit {
            if !errors.isEmpty { parts.append("<p class=\"muted\">标准未保存：</p>\(Console.formErrors(errors))") }
            let current = list.first { $0.year == today.year }
            func v(_ k: String, _ fallback: Int?) -> String? { values[k] ?? fallback.map(String.init) }
            parts.append("""
                <details\(errors.isEmpty ? "" : " open")><summary>配置或修改标准</summary>
                <form method="post" action="/console/assistance/standards">\(Console.csrfField(user))
                \(Console.field("年度", name: "year", value: v("year", today.year), error: err("year"), type: "number", required: true))
                \(Console.select("区域", name: "area", options: AssistanceArea.allCases.map { ($0.rawValue, $0.label) }, selected: values["area"]))
                \(Console.field("低保标准（元/人·月）", name: "dibao", value: v("dibao", current?.dibao), error: err("dibao"), type: "number", required: true))
                \(Console.field("特困人员基本生活标准", name: "tekun", value: v("tekun", current?.tekun), error: err("tekun"), type: "number", required: true))
                \(Console.field("困难残疾人生活补贴", name: "disability_living", value: v("disability_living", current?.disabilityLiving), error: err("disability_living"), type: "number", required: true))
                \(Console.field("重度残疾人护理补贴", name: "disability_care", value: v("disability_care", current?.disabilityCare), error: err("disability_care"), type: "number", required: true))
                \(Console.field("低保保底金额", name: "floor", value: v("floor", current?.floor), error: err("floor"), type: "number", required: true))
                \(Console.field("临时救助上限（元/次）", name: "temporary_cap", value: v("temporary_cap", current?.temporaryCap), error: err("temporary_cap"), type: "number", required: true))
                \(Console.field("医疗救助比例（%）", name: "medical_percent", value: v("medical_percent", current?.medicalPercent), error: err("medical_percent"), type: "number", required: true))
                <button type="submit">保存标准</button></form></details>
                """)
        }
        parts.append("<h2>各类别审批层级和时限</h2>" + Console.table(["类别", "审批", "审批时限（工作日）", ""], settings.map { s in
            let form: Markup = edit ? """
                <form method="post" action="/console/assistance/settings/\(s.kind.rawValue)" class="inline">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(s.version)">
                <select name="approval_level" aria-label="审批层级">\(ApprovalLevel.allCases.map { l -> Markup in "<option value=\"\(l.rawValue)\"\(l == s.approvalLevel ? " selected" : "")>\(l.label)</option>" })</select>
                <input name="decision_days" type="number" min="5" max="90" value="\(s.decisionDays)" aria-label="审批时限">
                <button type="submit">保存</button></form>
                """ : .empty
            return [Markup.text(s.kind.label), Markup.text(s.approvalLevel.label), "\(s.decisionDays)", form]
        }))
        return Console.page(req, user, title: "救助标准", crumbs: AssistancePages.crumbs + [Crumb("救助标准")], body: parts.joined(separator: "\n"), status: status)
    }

    struct StandardForm: Content {
        var csrf: String?
        var year: Int?
        var area: String?
        var dibao: Int?
        var tekun: Int?
        var disability_living: Int?
        var disability_care: Int?
        var floor: Int?
        var temporary_cap: Int?
        var medical_percent: Int?
    }

    func saveStandard(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceStandards)
        let values = (try? req.content.decode([String: String].self)) ?? [:]
        let f = (try? req.content.decode(StandardForm.self)) ?? StandardForm()
        try req.checkCSRF(user, f.csrf)
        let s = AssistanceStandard(year: f.year ?? 0, area: f.area.flatMap(AssistanceArea.init(rawValue:)) ?? .urban, dibao: f.dibao ?? 0, tekun: f.tekun ?? 0,
                                   disabilityLiving: f.disability_living ?? 0, disabilityCare: f.disability_care ?? 0, floor: f.floor ?? -1,
                                   temporaryCap: f.temporary_cap ?? 0, medicalPercent: f.medical_percent ?? 0)
        do {
            // A page edits the standard as it is now: the version read at save time.
            let current = try await req.assistance.standard(year: s.year, area: s.area)
            _ = try await req.assistance.saveStandard(s, version: current?.version, by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await renderStandards(req, user, errors: errors, values: values, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/assistance/standards", redirectType: .normal)
    }

    struct SettingForm: Content {
        var csrf: String?
        var approval_level: String?
        var decision_days: Int?
        var version: Int?
    }

    func saveSetting(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceStandards)
        let f = (try? req.content.decode(SettingForm.self)) ?? SettingForm()
        try req.checkCSRF(user, f.csrf)
        guard let kind = AssistanceKind(rawValue: req.parameters.get("kind") ?? "") else { throw RegistryError.notFound("救助类别") }
        guard let level = f.approval_level.flatMap(ApprovalLevel.init(rawValue:)) else {
            throw RegistryError.invalid([FieldError("approval_level", "请选择审批层级")])
        }
        do {
            try await req.assistance.saveSetting(kind, approvalLevel: level, decisionDays: f.decision_days ?? 0, version: try requireVersion(f.version), by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await renderStandards(req, user, errors: errors, values: [:], status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/assistance/standards", redirectType: .normal)
    }

    // MARK: Objections

    func objections(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        let open = req.formQuery("all") != "true"
        let list = try await req.assistance.objections(in: try req.narrowedScope(), openOnly: open)
        let rows = list.map { o -> [Markup] in
            var action = Markup.empty
            if o.status == .open, user.may(.assistanceReview) {
                action = """
                    <form method="post" action="/console/assistance/objections/\(o.id)">\(Console.csrfField(user))
                    <input name="note" required maxlength="1000" aria-label="核实情况" placeholder="核实情况">
                    <button type="submit" name="upheld" value="true" class="danger">异议成立，退回入户调查</button>
                    <button type="submit" name="upheld" value="false">异议不成立</button></form>
                    """
            }
            return [Markup.text(Console.time(o.lodgedAt)), "<a href=\"/console/assistance/\(o.caseId)\">\(o.caseNumber ?? "")</a>", Markup.text(o.text),
                    Markup.text(o.status.label), Markup.text(o.handlingNote ?? ""), action]
        }
        let body: Markup = """
            <h1>公示异议</h1>
            \(AssistancePages.tabs("/console/assistance/objections", user))
            <p class="muted">居民对公示提出的异议由街道核实：异议成立的，案件退回入户调查，公示作废；有未处理异议的案件不能审批。</p>
            <p>\(open ? "<b>待处理</b> · <a href=\"/console/assistance/objections?all=true\">全部</a>" : "<a href=\"/console/assistance/objections\">待处理</a> · <b>全部</b>")</p>
            \(Console.table(["时间", "案件", "异议内容", "状态", "核实情况", ""], rows, empty: "没有异议"))
            """
        return Console.page(req, user, title: "公示异议", crumbs: AssistancePages.crumbs + [Crumb("公示异议")], body: body)
    }

    struct HandleForm: Content {
        var csrf: String?
        var upheld: String?
        var note: String?
    }

    func handleObjection(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceReview)
        let f = (try? req.content.decode(HandleForm.self)) ?? HandleForm()
        try req.checkCSRF(user, f.csrf)
        try await req.assistance.handleObjection(try req.pathUUID(), upheld: f.upheld == "true", note: f.note, by: req.assistanceActor)
        return req.redirect(to: "/console/assistance/objections", redirectType: .normal)
    }
}
