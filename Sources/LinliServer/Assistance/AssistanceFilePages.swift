import Foundation
import LinliCore
import LinliData
import Vapor

/// A case's file in the console: the household (masked), the steps so far, attachments, re-checks, objections,
/// and the forms of the steps the user may take now. The declaration is behind an audited link.
struct AssistanceFilePages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "assistance")
        a.get(":id", needs: .permission(.assistanceRead), use: file)
        a.post(":id", "steps", needs: .permission(.assistanceRead), use: step)
        a.post(":id", "rechecks", needs: .permission(.assistanceWrite), use: recheck)
        a.on(.POST, ":id", "attachments", needs: .permission(.assistanceWrite), body: .collect(maxSize: "110mb"), use: attach)
        a.post(":id", "link", needs: .permission(.assistanceWrite), use: link)
        a.get(":id", "facts", needs: .permission(.assistanceFullView), use: facts)
        a.get(":id", "attachments", ":file", needs: .permission(.assistanceFullView), use: attachment)
    }

    func file(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        return try await render(req, user, id: try req.pathUUID(), errors: [], form: nil, status: .ok)
    }

    /// Who may take the step, as the data layer decides it (the approver of the kind is configured).
    static func may(_ user: WebUser, _ action: AssistanceAction, level: ApprovalLevel) -> Bool {
        switch action.actor {
        case .community: return user.may(.assistanceWrite)
        case .street: return user.may(.assistanceReview)
        case .approver: return level == .district ? user.may(.assistanceApprove) : (user.may(.assistanceReview) || user.may(.assistanceApprove))
        }
    }

    func render(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], form: String?, status: HTTPResponseStatus) async throws -> Response {
        let f = try await AssistanceService.file(req, id: id)
        let c = f.case, today = req.application.linli.today()
        func err(_ name: String) -> String? { errors.first { $0.field == name }?.message }
        var parts: [Markup] = ["""
            <h1>\(c.kindLabel) · \(c.number)</h1>
            <p>申请人 \(c.applicantName ?? "") · 户号 \(c.householdNumber ?? "") · \(c.members)人 · \(c.area == .rural ? "农村" : "城市") · 网格 \(c.gridCode)
            · 受理 \(c.acceptedOn)（\(f.steps.first?.actor ?? "")）</p>
            <div class="tiles">
              <div class="tile"><span>阶段</span><b>\(AssistancePages.stageBadge(c))</b></div>
              <div class="tile"><span>\(c.stage == .approved ? "核定金额" : "测算金额")</span><b>\(c.amount)元\(c.monthly ? "/月" : "")</b></div>
              <div class="tile \(c.overdue ? "red" : "")"><span>\(c.stage.isPending ? "审批时限" : "决定日期")</span><b>\(c.stage.isPending ? c.dueOn : (c.decidedOn ?? "—"))</b></div>
              <div class="tile \(c.recheckDue || f.reviewNeeded ? "red" : "")"><span>下次复核</span><b>\(c.nextRecheckOn ?? "—")</b></div>
            </div>
            """]
        if f.reviewNeeded { parts.append("<p class=\"notice\">家庭成员中有人已死亡或迁出，请立即复核。</p>") }
        if c.stage == .noticed, let from = c.noticeFrom, let to = c.noticeTo { parts.append("<p class=\"notice\">公示期 \(from) 至 \(to)，期满且无未处理异议后方可审批。</p>") }
        if let reason = c.reason { parts.append("<p>\(c.stage == .refused ? "不予批准理由" : "终止理由")：\(reason)</p>") }
        if let form { parts.append("<p class=\"muted\">\(form)未保存：</p>\(Console.formErrors(errors))") }
        parts.append("<h2>家庭成员</h2>" + Console.table(["姓名", "关系", "公民身份号码", "出生日期", "状态"], f.members.map { m in
            [Markup.text(m.name), Markup.text(m.relation.label), Markup.text(m.idNumberMasked), Markup.text(m.birthDate),
             m.lifeStatus == .active ? "在册" : "<span class=\"badge red\">\(m.lifeStatus.label)</span>"]
        }))
        if user.may(.assistanceFullView) {
            parts.append("<p><a href=\"/console/assistance/\(c.id)/facts\">查看家庭收入、财产和健康情况（记入审计）</a></p>")
        }
        let timeline = f.steps.map { s -> Markup in
            let detail = (s.detail ?? [:]).sorted { $0.key < $1.key }.map { k, v in "\(Self.detailLabel(k))：\(v)" }.joined(separator: "；")
            return """
                <li><b>\(s.actionLabel)</b> → \(s.toStage.label)<br><small>\(s.doneOn) · \(s.actor)</small>
                \(s.note.map { "<p class=\"note\">\($0)</p>" }.orEmpty)\(detail.isEmpty ? Markup.empty : "<p class=\"note\"><small>\(detail)</small></p>")</li>
                """
        }
        parts.append("<section aria-labelledby=\"steps-h\"><h2 id=\"steps-h\">办理过程</h2><ol class=\"timeline\">\(timeline)</ol></section>")
        // The forms of the steps the user may take now.
        let forms = c.actions.filter { Self.may(user, $0, level: c.approvalLevel) }.map { a in Self.stepForm(a, c, user, today: today, open: form == a.label, err: err) }
        if !forms.isEmpty { parts.append("<h2>办理</h2>" + forms.joined(separator: "\n")) }
        parts.append("<h2>附件</h2>" + Console.table(["文件", "类型", "大小"], f.attachments.map { a in
            [user.may(.assistanceFullView) ? "<a href=\"/console/assistance/\(c.id)/attachments/\(a.id)\">\(a.label)</a>" : Markup.text(a.label),
             Markup.text(a.contentType == "application/pdf" ? "PDF" : "图片"), Markup.text(String(format: "%.1f KB", Double(a.size) / 1024))]
        }, empty: "暂无附件"))
        if user.may(.assistanceWrite) {
            parts.append("""
                <form method="post" action="/console/assistance/\(c.id)/attachments" enctype="multipart/form-data">\(Console.csrfField(user))
                <div class="field\(err("attachments") == nil ? "" : " invalid")"><label for="f-attachments">补充附件（图片或PDF，每个不超过10MB）</label>
                <input id="f-attachments" type="file" name="attachments[]" multiple accept="image/jpeg,image/png,image/webp,application/pdf" required>
                \(err("attachments").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</div>
                <button type="submit">上传</button></form>
                """)
        }
        if !f.objections.isEmpty {
            parts.append("<h2>公示异议</h2>" + Console.table(["时间", "内容", "状态", "核实情况"], f.objections.map { o in
                [Markup.text(Console.time(Int64(o.lodgedAt.timeIntervalSince1970))), Markup.text(o.text), Markup.text(o.status.label), Markup.text(o.handlingNote ?? "")]
            }))
        }
        if c.monthly, c.stage == .approved || !f.rechecks.isEmpty {
            parts.append("<h2>复核（动态管理）</h2>" + Console.table(["应复核", "复核日期", "结果", "原金额", "新金额", "理由", "复核人"], f.rechecks.map { r in
                [Markup.text(r.dueOn), Markup.text(r.doneOn), Markup.text(r.outcome.label), "\(r.oldAmount)", "\(r.newAmount)", Markup.text(r.reason ?? ""), Markup.text(r.doneBy)]
            }, empty: "尚未复核"))
            if c.stage == .approved, user.may(.assistanceWrite) {
                parts.append("""
                    <details\(form == "复核" ? " open" : "")><summary>登记复核</summary>
                    <form method="post" action="/console/assistance/\(c.id)/rechecks">\(Console.csrfField(user))
                    <input type="hidden" name="version" value="\(c.version)">
                    \(Console.select("复核结果", name: "outcome", options: RecheckOutcome.allCases.map { ($0.rawValue, $0.label) }, error: err("outcome")))
                    \(Console.field("调整后金额（元/月）", name: "amount", error: err("amount"), type: "number", extra: "min=\"1\""))
                    \(Console.textarea("理由", name: "reason", error: err("reason"), maxLength: 500))
                    <button type="submit">保存复核</button></form></details>
                    """)
            }
        }
        parts.append(try await AssistanceCasePayments.section(req, user, c))
        if user.may(.assistanceWrite) {
            parts.append("""
                <details\(form == "关联账号" ? " open" : "")><summary>关联居民账号（居民登录后可在“我家的救助”查看办理情况）</summary>
                <form method="post" action="/console/assistance/\(c.id)/link">\(Console.csrfField(user))
                \(Console.select("家庭成员", name: "resident_id", options: f.members.map { ($0.residentId.uuidString, $0.name) }, error: err("resident_id")))
                \(Console.field("居民账号用户名", name: "username", error: err("username"), required: true, extra: "maxlength=\"50\""))
                <button type="submit">关联</button></form></details>
                """)
        }
        return Console.page(req, user, title: "\(c.kindLabel) \(c.number)", crumbs: AssistancePages.crumbs + [Crumb(c.number)],
                            body: parts.joined(separator: "\n"), status: status)
    }

    static func detailLabel(_ key: String) -> String {
        switch key {
        case "source": return "核对来源"
        case "date": return "日期"
        case "result": return "核对结果"
        case "investigators": return "调查人"
        case "from": return "公示开始"
        case "to": return "公示截止"
        case "amount": return "金额（元）"
        case "recheck": return "复核"
        default: return key
        }
    }

    static func stepForm(_ a: AssistanceAction, _ c: AssistanceCaseDTO, _ user: WebUser, today: CivilDate, open: Bool, err: (String) -> String?) -> Markup {
        var fields: [Markup] = []
        switch a {
        case .check:
            fields = [Console.field("核对来源", name: "check_source", value: "民政经济状况核对平台", error: err("check_source"), required: true),
                      Console.field("核对日期", name: "check_date", value: today.description, error: err("check_date"), type: "date", required: true),
                      Console.textarea("核对结果", name: "check_result", error: err("check_result"), required: true, maxLength: 500)]
        case .investigate:
            fields = [Console.field("调查人一", name: "investigator1", value: user.principal.account.displayName, error: err("investigators"), required: true),
                      Console.field("调查人二", name: "investigator2", required: true),
                      Console.field("调查日期", name: "visit_date", value: today.description, error: err("visit_date"), type: "date", required: true),
                      Console.textarea("调查情况", name: "note", error: err("note"), required: true, maxLength: 1000)]
        case .publish:
            fields = [Console.field("公示开始", name: "notice_from", value: today.description, error: err("notice_from"), type: "date", required: true),
                      Console.field("公示截止（不少于7天）", name: "notice_to", value: today.adding(days: AssistanceWorkflow.minimumNoticeDays - 1).description,
                                    error: err("notice_to"), type: "date", required: true)]
        case .grantFirst:
            fields = [Console.field("先行救助金额（元）", name: "amount", error: err("amount"), type: "number", required: true, extra: "min=\"1\""),
                      Console.textarea("说明", name: "note", error: err("note"), maxLength: 1000)]
        case .deliberate, .review, .refuse, .supplement:
            let label = a == .refuse ? "不予批准的理由（将告知申请人）" : a == .review ? "街道审核意见" : a == .supplement ? "补充的材料" : "评议情况"
            fields = [Console.textarea(label, name: "note", error: err("note"), required: true, maxLength: 1000)]
        default:
            fields = [Console.textarea("备注", name: "note", error: err("note"), maxLength: 1000)]
        }
        return """
            <details\(open ? " open" : "")><summary>\(a.label)</summary>
            <form method="post" action="/console/assistance/\(c.id)/steps">\(Console.csrfField(user))
            <input type="hidden" name="action" value="\(a.rawValue)"><input type="hidden" name="version" value="\(c.version)">
            \(fields)
            <button type="submit"\(a == .refuse ? " class=\"danger\"" : "")>\(a.label)</button></form></details>
            """
    }

    struct StepForm: Content {
        var csrf: String?
        var action: String?
        var version: Int?
        var note: String?
        var check_source: String?
        var check_date: String?
        var check_result: String?
        var investigator1: String?
        var investigator2: String?
        var visit_date: String?
        var notice_from: String?
        var notice_to: String?
        var amount: Int?
    }

    /// Runs a write; field problems re-render the file with the messages (422), a stale or out-of-order step 409.
    func write(_ req: Request, _ name: String, _ body: (WebUser, UUID) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        let id = try req.pathUUID()
        do {
            try await body(user, id)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, errors: errors, form: name, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/assistance/\(id)", redirectType: .normal)
    }

    func step(req: Request) async throws -> Response {
        let form = (try? req.content.decode(StepForm.self)) ?? StepForm()
        let name = form.action.flatMap(AssistanceAction.init(rawValue:))?.label ?? "办理"
        return try await write(req, name) { user, id in
            try req.checkCSRF(user, form.csrf)
            let input = AssistanceService.StepInput(action: form.action, version: form.version, note: form.note, checkSource: form.check_source,
                                                    checkDate: form.check_date, checkResult: form.check_result,
                                                    investigators: [form.investigator1, form.investigator2].compactMap { $0 }, visitDate: form.visit_date,
                                                    noticeFrom: form.notice_from, noticeTo: form.notice_to, amount: form.amount)
            _ = try await AssistanceService.step(req, id: id, input)
        }
    }

    struct RecheckForm: Content {
        var csrf: String?
        var outcome: String?
        var amount: Int?
        var reason: String?
        var version: Int?
    }

    func recheck(req: Request) async throws -> Response {
        let form = (try? req.content.decode(RecheckForm.self)) ?? RecheckForm()
        return try await write(req, "复核") { user, id in
            try req.checkCSRF(user, form.csrf)
            _ = try await AssistanceService.recheck(req, id: id, .init(outcome: form.outcome, amount: form.amount, reason: form.reason, version: form.version))
        }
    }

    struct LinkForm: Content {
        var csrf: String?
        var resident_id: UUID?
        var username: String?
    }

    func link(req: Request) async throws -> Response {
        let form = (try? req.content.decode(LinkForm.self)) ?? LinkForm()
        return try await write(req, "关联账号") { user, id in
            try req.checkCSRF(user, form.csrf)
            guard let resident = form.resident_id else { throw RegistryError.invalid([FieldError("resident_id", "请选择家庭成员")]) }
            try await req.assistance.linkAccount(username: form.username, to: resident, of: id, by: req.assistanceActor)
        }
    }

    struct AttachForm: Content {
        var csrf: String?
        var attachments: [File]?
    }

    func attach(req: Request) async throws -> Response {
        let form = (try? req.content.decode(AttachForm.self)) ?? AttachForm()
        return try await write(req, "附件") { user, id in
            try req.checkCSRF(user, form.csrf)
            let files = (form.attachments ?? []).map { AttachmentUpload(filename: $0.filename, data: Array($0.data.readableBytesView)) }
            _ = try await req.assistance.attach(files, to: id, by: req.assistanceActor)
        }
    }

    func attachment(req: Request) async throws -> Response {
        _ = try req.webUser(.assistanceFullView)
        return try await AssistanceService.attachment(req)
    }

    /// The declaration: written to the audit log before it is shown.
    func facts(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceFullView)
        let id = try req.pathUUID()
        let f = try await AssistanceService.file(req, id: id)
        let facts = try await req.assistance.facts(of: id, in: req.registryScope, by: req.auditActor)
        let names = Dictionary(f.members.map { ($0.residentId.uuidString.lowercased(), $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = facts.members.map { m -> [Markup] in
            let incomes = m.incomes.map { "\($0.source.label) \(Money.yuan($0.amount))元/\($0.period == .month ? "月" : "年")" }.joined(separator: "；")
            return [Markup.text(names[m.residentId.lowercased()] ?? "—"), "\(m.age)", Markup.text(m.labourCapacity.label),
                    Markup.text(m.disabilityGrade.map { "\($0)级" } ?? "无"), Markup.text(m.illness ?? "—"), Markup.text(incomes.isEmpty ? "无" : incomes),
                    Markup.text(Money.yuan(m.monthlyIncome))]
        }
        var extra: [Markup] = []
        if facts.hasAbleSupporter { extra.append("<li>有法定赡养、抚养、扶养义务人且有履行能力</li>") }
        if let e = facts.emergency { extra.append("<li>急难情形：\(e)</li>") }
        if facts.expense > 0 { extra.append("<li>刚性支出或自付医疗费用：\(Money.yuan(facts.expense))元</li>") }
        if facts.requested > 0 { extra.append("<li>申请金额：\(Money.yuan(facts.requested))元</li>") }
        let body: Markup = """
            <h1>家庭经济状况 · \(f.case.number)</h1>
            <p class="muted">本次查看已记入审计日志。</p>
            \(Console.table(["成员", "年龄", "劳动能力", "残疾等级", "疾病", "收入", "月收入（元）"], rows))
            <p>家庭月收入 \(Money.yuan(facts.monthlyIncome))元，人均 \(Money.yuan(facts.perCapitaIncome))元；存款等金融资产 \(Money.yuan(facts.assets.deposits))元；
            机动车辆 \(facts.assets.vehicles)辆；住房 \(facts.assets.dwellings)套。</p>
            \(extra.isEmpty ? Markup.empty : "<ul>\(extra)</ul>")
            <p><a href="/console/assistance/\(id)">返回案件</a></p>
            """
        return Console.page(req, user, title: "家庭经济状况", crumbs: AssistancePages.crumbs + [Crumb(f.case.number, "/console/assistance/\(id)"), Crumb("家庭经济状况")],
                            body: body, wide: false)
    }
}

/// A case's payments on its file: every line of every roll, corrections included.
enum AssistanceCasePayments {
    static func section(_ req: Request, _ user: WebUser, _ c: AssistanceCaseDTO) async throws -> Markup {
        guard c.stage == .approved || c.stage == .ended else { return .empty }
        return AssistancePayrollPages.history(try await req.assistance.payments(ofCase: c.id, in: req.registryScope))
    }
}
