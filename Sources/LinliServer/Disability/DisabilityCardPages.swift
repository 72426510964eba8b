import Foundation
import LinliCore
import LinliData
import Vapor

/// A holder's page (the full view: name, card number, assessments, services, devices — each view audited), the
/// 社会救助 subsidies they have or could apply for, and the forms of the card: 需求评估, 康复服务, 辅助器具, change, 注销.
struct DisabilityCardPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "disability")
        d.get(":id", needs: .permission(.disabilityFullView), use: show)
        for (path, action) in [("assess", Action.assess), ("service", .service), ("device", .device), ("edit", .edit), ("end", .end)] {
            d.post(":id", .constant(path), needs: .permission(.disabilityWrite)) { req in try await post(req, action) }
        }
    }

    enum Action: String { case assess, service, device, edit, end }

    /// Every form of the page in one type (each posts its own fields); numbers as text so that a blank is no error.
    struct Form: Content {
        var csrf: String?
        var assessed_on: String?
        var assessor: String?
        var needs: [String]?
        var result: String?
        var note: String?
        var setting: String?
        var provider: String?
        var started_on: String?
        var ended_on: String?
        var sessions: String?
        var hours: String?
        var outcome: String?
        var device: String?
        var issued_on: String?
        var source: String?
        var card_number: String?
        var category: String?
        var grade: String?
        var valid_until: String?
        var reason: String?
        var version: String?
    }

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.disabilityFullView)
        return try await render(req, user, id: try req.pathUUID(), failed: nil, form: Form(), errors: [], status: .ok)
    }

    static func int(_ s: String?, _ field: String, _ label: String, _ e: inout [FieldError]) -> Int? {
        guard let t = s?.trimmedOrNil else { return nil }
        guard let v = Int(t) else { e.append(FieldError(field, "\(label)应为整数")); return nil }
        return v
    }

    func post(_ req: Request, _ action: Action) async throws -> Response {
        let user = try req.webUser(.disabilityWrite)
        let id = try req.pathUUID()
        var form = (try? req.content.decode(Form.self)) ?? Form()
        if form.needs == nil, let one = try? req.content.get(String.self, at: "needs") { form.needs = [one] }
        try req.checkCSRF(user, form.csrf)
        let q = req.disability, actor = req.disabilityActor
        do {
            var pre: [FieldError] = []
            switch action {
            case .assess:
                _ = try await q.assess(id, try DisabilityService.assessment(.init(assessedOn: form.assessed_on, assessor: form.assessor, needs: form.needs,
                                                                                 result: form.result?.trimmedOrNil, note: form.note)), by: actor)
            case .service:
                let sessions = Self.int(form.sessions, "sessions", "服务次数", &pre), hours = Self.int(form.hours, "hours", "服务时长", &pre)
                if !pre.isEmpty { throw RegistryError.invalid(pre) }
                _ = try await q.addService(id, try DisabilityService.service(.init(setting: form.setting?.trimmedOrNil, provider: form.provider,
                                                                                   startedOn: form.started_on, endedOn: form.ended_on, sessions: sessions,
                                                                                   hours: hours, outcome: form.outcome)), by: actor)
            case .device:
                _ = try await q.addDevice(id, try DisabilityService.device(.init(device: form.device, issuedOn: form.issued_on, source: form.source?.trimmedOrNil)),
                                          by: actor)
            case .edit:
                let version = Self.int(form.version, "version", "版本号", &pre)
                if !pre.isEmpty { throw RegistryError.invalid(pre) }
                let c = try await q.requireCard(id, in: actor.scope)
                let w = try DisabilityService.card(.init(residentId: c.residentId, cardNumber: form.card_number, category: form.category?.trimmedOrNil,
                                                         grade: form.grade?.trimmedOrNil.map { Int($0) ?? 0 }, issuedOn: form.issued_on,
                                                         validUntil: form.valid_until, version: version))
                _ = try await q.update(id, w, by: actor)
            case .end:
                let version = Self.int(form.version, "version", "版本号", &pre)
                if !pre.isEmpty { throw RegistryError.invalid(pre) }
                _ = try await q.end(id, version: version, reason: form.reason, on: form.ended_on, by: actor)
            }
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, failed: action, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.staleVersion {
            return try await render(req, user, id: id, failed: action, form: form,
                                    errors: [FieldError("version", "该残疾人证已被他人修改，请核对后重新提交")], status: .conflict)
        }
        return req.redirect(to: "/console/disability/\(id)#\(action.rawValue)")
    }

    func render(_ req: Request, _ user: WebUser, id: UUID, failed: Action?, form: Form, errors: [FieldError],
                status: HTTPResponseStatus) async throws -> Response {
        let q = req.disability, today = req.application.linli.today()
        let (record, number) = try await q.fullView(id, in: req.registryScope, by: req.auditActor)
        let c = DisabilityCardDTO(record, today: today, fullName: true)
        let subsidies = try await q.subsidies(of: record)
        let assessments = try await q.assessments(of: id), services = try await q.services(of: id), devices = try await q.devices(of: id)
        let mayWrite = user.may(.disabilityWrite) && c.status == .active
        // A refused form keeps what was typed and shows its messages; the other forms start empty.
        func values(_ a: Action) -> Form { failed == a ? form : Form() }
        func errs(_ a: Action) -> [FieldError] { failed == a ? errors : [] }
        func err(_ a: Action, _ f: String) -> String? { errs(a).first { $0.field == f }?.message }

        let cardTable = Console.table(["项目", "内容"], [
            ["持证人", "<a href=\"/console/residents/\(c.residentId)\">\(c.name)</a>"],
            ["残疾人证号", Markup.text(number)],
            ["残疾类别", Markup.text(c.categoryLabel)], ["残疾等级", Markup.text(c.gradeLabel + (record.cardGrade.isSevere ? "（重度）" : ""))],
            ["发证日期", Markup.text(c.issuedOn)], ["有效期至", Markup.text(c.validUntil ?? "长期")], ["登记日期", Markup.text(c.registeredOn)],
            ["状态", c.status == .ended ? Markup.text("已注销（\(c.endedOn ?? "")，\(record.endReason ?? "")）") : DisabilityPages.badges(c)],
        ])
        let subsidyRows = subsidies.cases.map { s -> [Markup] in
            ["<a href=\"/console/assistance/\(s.id)\">\(s.number)</a>", Markup.text(s.kind.label), Markup.text(s.stage.label), "\(s.amount)元/月"]
        }
        let hints = subsidies.missing.map { k -> Markup in
            "<li>可申请\(k.label)（\(k == .disabilityCare ? "一、二级重度残疾人" : "低保家庭中的持证残疾人")）：<a href=\"/console/assistance/new?household=\(record.householdId)&amp;kind=\(k.rawValue)\">去受理申请</a></li>"
        }
        let subsidyPanel: Markup = """
            <section aria-labelledby="subsidy-h"><h2 id="subsidy-h">残疾人两项补贴（社会救助）</h2>
            \(Console.table(["案件编号", "补贴", "阶段", "金额"], subsidyRows, empty: "暂无困难残疾人生活补贴或重度残疾人护理补贴案件"))
            \(hints.isEmpty ? Markup.empty : "<ul class=\"hints\">\(hints)</ul>")
            </section>
            """
        let assessmentRows = assessments.map { a -> [Markup] in
            [Markup.text(a.assessedOn), Markup.text(a.assessor), Markup.text(a.needList.map(\.label).joined(separator: "、").isEmpty ? "—" : a.needList.map(\.label).joined(separator: "、")),
             Markup.text(a.result.label), Markup.text(a.note ?? "")]
        }
        let serviceRows = services.map { s -> [Markup] in
            [Markup.text(s.setting.label), Markup.text(s.provider), Markup.text(s.startedOn + " 至 " + (s.endedOn ?? "今")),
             Markup.text([s.sessions.map { "\($0)次" }, s.hours.map { "\($0)小时" }].compactMap { $0 }.joined(separator: "，")), Markup.text(s.outcome ?? "")]
        }
        let deviceRows = devices.map { d -> [Markup] in [Markup.text(d.device), Markup.text(d.issuedOn), Markup.text(d.source.label)] }

        var forms: [Markup] = []
        let resultOptions: [(String, String)] = [("", "请选择")] + AssessmentResult.allCases.map { ($0.rawValue, $0.label) }
        let settingOptions: [(String, String)] = [("", "请选择")] + RehabSetting.allCases.map { ($0.rawValue, $0.label) }
        let sourceOptions: [(String, String)] = [("", "请选择")] + DeviceSource.allCases.map { ($0.rawValue, $0.label) }
        let categoryOptions: [(String, String)] = DisabilityCategory.allCases.map { ($0.rawValue, $0.label) }
        let gradeOptions: [(String, String)] = DisabilityGrade.allCases.map { (String($0.rawValue), $0.label) }
        if mayWrite {
            let a = values(.assess), chosen = Set(a.needs ?? [])
            let needBoxes = DisabilityNeed.allCases.map { n -> Markup in
                "<label class=\"check\"><input type=\"checkbox\" name=\"needs[]\" value=\"\(n.rawValue)\"\(chosen.contains(n.rawValue) ? " checked" : "")> \(n.label)</label>"
            }
            forms.append("""
                <section id="assess" aria-labelledby="assess-h"><h2 id="assess-h">记录需求评估</h2>
                \(Console.formErrors(errs(.assess)))
                <form method="post" action="/console/disability/\(id)/assess" class="form">\(Console.csrfField(user))
                  \(Console.field("评估日期", name: "assessed_on", value: a.assessed_on ?? today.description, error: err(.assess, "assessed_on"), type: "date", required: true))
                  \(Console.field("评估人", name: "assessor", value: a.assessor, error: err(.assess, "assessor"), required: true))
                  <fieldset class="field\(err(.assess, "needs") == nil ? "" : " invalid")"><legend>需求</legend>\(needBoxes)
                  \(err(.assess, "needs").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
                  \(Console.select("评估结论", name: "result", options: resultOptions, selected: a.result, error: err(.assess, "result"), required: true))
                  \(Console.textarea("评估说明", name: "note", value: a.note, error: err(.assess, "note"), maxLength: 500))
                  <button type="submit">保存评估</button>
                </form></section>
                """)
            let s = values(.service)
            forms.append("""
                <section id="service" aria-labelledby="service-h"><h2 id="service-h">记录康复服务</h2>
                \(Console.formErrors(errs(.service)))
                <form method="post" action="/console/disability/\(id)/service" class="form">\(Console.csrfField(user))
                  \(Console.select("康复形式", name: "setting", options: settingOptions, selected: s.setting, error: err(.service, "setting"), required: true))
                  \(Console.field("服务机构或人员", name: "provider", value: s.provider, error: err(.service, "provider"), required: true))
                  \(Console.field("开始日期", name: "started_on", value: s.started_on, error: err(.service, "started_on"), type: "date", required: true))
                  \(Console.field("结束日期", name: "ended_on", value: s.ended_on, error: err(.service, "ended_on"), type: "date", hint: "仍在进行的不填"))
                  \(Console.field("服务次数", name: "sessions", value: s.sessions, error: err(.service, "sessions"), type: "number"))
                  \(Console.field("服务时长（小时）", name: "hours", value: s.hours, error: err(.service, "hours"), type: "number"))
                  \(Console.field("康复效果", name: "outcome", value: s.outcome, error: err(.service, "outcome")))
                  <button type="submit">保存服务</button>
                </form></section>
                """)
            let d = values(.device)
            forms.append("""
                <section id="device" aria-labelledby="device-h"><h2 id="device-h">发放辅助器具</h2>
                \(Console.formErrors(errs(.device)))
                <form method="post" action="/console/disability/\(id)/device" class="form">\(Console.csrfField(user))
                  \(Console.field("辅助器具", name: "device", value: d.device, error: err(.device, "device"), required: true, hint: "如轮椅、助听器、盲杖、助行器"))
                  \(Console.field("发放日期", name: "issued_on", value: d.issued_on, error: err(.device, "issued_on"), type: "date", required: true))
                  \(Console.select("资金来源", name: "source", options: sourceOptions, selected: d.source, error: err(.device, "source"), required: true))
                  <button type="submit">保存</button>
                </form></section>
                """)
            let e = values(.edit)
            forms.append("""
                <section id="edit" aria-labelledby="edit-h"><h2 id="edit-h">变更残疾类别或等级</h2>
                \(Console.formErrors(errs(.edit)))
                <form method="post" action="/console/disability/\(id)/edit" class="form">\(Console.csrfField(user))
                  <input type="hidden" name="version" value="\(c.version)">
                  \(Console.field("新残疾人证号", name: "card_number", value: e.card_number ?? number, error: err(.edit, "card_number"), required: true, extra: "maxlength=\"20\" autocomplete=\"off\""))
                  \(Console.select("残疾类别", name: "category", options: categoryOptions, selected: e.category ?? c.category.rawValue, error: err(.edit, "category"), required: true))
                  \(Console.select("残疾等级", name: "grade", options: gradeOptions, selected: e.grade ?? String(c.grade), error: err(.edit, "grade"), required: true))
                  \(Console.field("发证日期", name: "issued_on", value: e.issued_on ?? c.issuedOn, error: err(.edit, "issued_on"), type: "date", required: true))
                  \(Console.field("有效期至", name: "valid_until", value: e.valid_until ?? c.validUntil, error: err(.edit, "valid_until"), type: "date"))
                  \(err(.edit, "version").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)
                  <button type="submit">保存变更</button>
                </form>
                <h2 id="end">注销残疾人证</h2>
                \(Console.formErrors(errs(.end)))
                <form method="post" action="/console/disability/\(id)/end" class="form">\(Console.csrfField(user))
                  <input type="hidden" name="version" value="\(c.version)">
                  \(Console.field("注销日期", name: "ended_on", value: values(.end).ended_on, error: err(.end, "ended_on"), type: "date", required: true))
                  \(Console.field("注销原因", name: "reason", value: values(.end).reason, error: err(.end, "reason"), required: true, hint: "如死亡、迁出本区、复评不再符合"))
                  <button type="submit" class="secondary">注销</button>
                </form></section>
                """)
        }
        let body: Markup = """
            <h1>\(c.name) · \(c.categoryLabel)\(c.gradeLabel)</h1>
            <p class="muted">本页显示完整的残疾人证号和康复信息，每次查看均记入审计日志。</p>
            \(c.status == .active && !c.holderActive ? "<p class=\"error\" role=\"alert\">持证人已死亡或迁出，请注销残疾人证（“残疾人”标记随之去掉）。</p>" as Markup : .empty)
            \(cardTable)
            \(subsidyPanel)
            <section aria-labelledby="assessments-h"><h2 id="assessments-h">需求评估</h2>
            \(c.assessmentOverdue ? "<p class=\"error\">登记已超过30天仍未做需求评估（出现一个、扶助一个）。</p>" as Markup : .empty)
            \(Console.table(["评估日期", "评估人", "需求", "结论", "说明"], assessmentRows, empty: "尚未做需求评估"))</section>
            <section aria-labelledby="services-h"><h2 id="services-h">康复服务</h2>
            \(Console.table(["康复形式", "服务机构或人员", "时间", "次数/时长", "效果"], serviceRows, empty: "暂无康复服务记录"))</section>
            <section aria-labelledby="devices-h"><h2 id="devices-h">辅助器具</h2>
            \(Console.table(["器具", "发放日期", "资金来源"], deviceRows, empty: "暂无辅助器具发放记录"))</section>
            \(forms)
            """
        return Console.page(req, user, title: "\(c.name) · 助残康复", crumbs: DisabilityPages.crumbs + [Crumb(c.name)], body: body, status: status)
    }
}
