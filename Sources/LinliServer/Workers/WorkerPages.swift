import Foundation
import LinliCore
import LinliData
import Vapor

/// A worker's console page: the entry (phone masked; the full number a separate audited view), qualifications,
/// training hours, appraisals, the grade with its history and reserve entries; the forms for each to those who
/// manage the roster. Opening it is audited. `/console/workers/me` shows a linked worker their own, read-only.
struct WorkerPages {
    func boot(_ routes: Routes) {
        let w = routes.grouped("console", "workers")
        w.get("me", needs: .permission(.workersOwn), use: own)
        w.get(":id", needs: .permission(.workersRead), use: show)
        w.get(":id", "phone", needs: .permission(.workersRead), use: phone)
        w.post(":id", "qualifications", needs: .permission(.workersManage), use: qualification)
        w.post(":id", "training", needs: .permission(.workersManage), use: training)
        w.post(":id", "appraisals", needs: .permission(.workersManage), use: appraisal)
        w.post(":id", "reserves", needs: .permission(.workersManage), use: reserve)
    }

    struct Form: Content {
        var csrf: String?
        var level: String?
        var certificate_no: String?
        var obtained_on: String?
        var year: String?
        var training_year: String?
        var hours: String?
        var scores: String?
        var result: String?
        var reason: String?
        var listed_on: String?
    }

    func show(req: Request) async throws -> Response {
        try await render(req, errors: [], message: req.formQuery("done").map { _ in "已保存。" }, status: .ok)
    }

    func own(req: Request) async throws -> Response {
        let user = try req.webUser(.workersOwn)
        let w = try await WorkersService.own(req)
        let file = try await req.workers.file(of: w, audit: nil)
        let body = Self.record(file, phone: Markup.text(w.phoneMasked ?? "—"))
        return Console.page(req, user, title: "我的档案", crumbs: [Crumb("工作台", "/console"), Crumb("我的档案")], body: "<h1>我的档案：\(w.name)</h1>\(body)")
    }

    /// The record's sections, as both the officers' page and the worker's own show them.
    static func record(_ f: WorkerFile, phone: Markup) -> Markup {
        let w = f.worker
        let quals = f.qualifications.map { q -> [Markup] in [Markup.text(q.level.label), Markup.text(q.certificateNo), Markup.text(q.obtainedOn)] }
        let training = f.training.map { t -> [Markup] in ["\(t.year)年", "\(t.hours)"] }
        let appraisals = f.appraisals.map { a -> [Markup] in
            ["\(a.year)年", Markup.text(a.scores.replacingOccurrences(of: ",", with: "、")), Markup.text(String(format: "%.1f", Double(a.meanTenths) / 10)),
             Markup.text(a.result.label)]
        }
        let grades = f.grades.map { m -> [Markup] in [Markup.text(m.year.map { "\($0)年度" } ?? ""), Markup.text(m.reason?.label ?? "起点"), "\(m.grade)级"] }
        let reserves = f.reserves.map { r -> [Markup] in
            [Markup.text(r.level.label), Markup.text(r.listedOn), Markup.text(r.reason), Markup.text(r.removedOn.map { "已移出（\($0)）：\(r.removalReason ?? "")" } ?? "在名单上")]
        }
        let pay: Markup = f.monthlyFen.map { fen -> Markup in "，月薪\(Money.yuan(fen))元" } ?? "（区里尚未设置岗位等级薪酬表）"
        return """
            <p>所在区划：\(w.divisionName ?? w.divisionCode) · 岗位：\(w.post.label) · 用工方式：\(w.employment.label)<br>
            专业技术职称：\(w.title ?? "—") · 职业水平：\(w.qualification?.label ?? "未持证")<br>
            注册证号：\(w.registrationNo ?? "—")\(w.registrationValidTo.map { d -> Markup in "（有效期至\(d)）" }.orEmpty) · 入职日期：\(w.hiredOn ?? "—")<br>
            联系电话：\(phone)\(w.accountUsername.map { a -> Markup in " · 平台账号：\(a)" }.orEmpty)</p>
            <h2>岗位等级</h2><p>\(w.post.payClass.label)第<b>\(f.grade)</b>级\(pay)</p>
            \(Console.table(["年度", "事由", "调整后等级"], grades))
            <h2>职业水平证书</h2>\(Console.table(["等级", "证书编号", "取得日期"], quals, empty: "尚未登记职业水平证书"))
            <h2>培训学时</h2>\(Console.table(["年度", "学时"], training, empty: "尚无培训记录"))
            <h2>年度考核</h2>\(Console.table(["年度", "考核评分", "平均分", "结果"], appraisals, empty: "尚无考核记录"))
            <h2>后备干部</h2>\(Console.table(["名单", "列入日期", "理由", "状态"], reserves, empty: "未列入后备干部名单"))
            """
    }

    func render(_ req: Request, errors: [FieldError], message: String?, status: HTTPResponseStatus, phone: String? = nil) async throws -> Response {
        let user = try req.webUser(.workersRead)
        let w = try await WorkersService.find(req, id: try req.pathUUID())
        let f = try await req.workers.file(of: w, audit: req.auditActor)
        let today = req.application.linli.today()
        let csrf = Console.csrfField(user)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let phoneLine: Markup = phone.map { Markup.text($0) }
            ?? (w.phoneMasked.map { m -> Markup in "\(m) <a href=\"/console/workers/\(w.id)/phone\">查看完整号码（记入审计）</a>" } ?? "—")
        var forms: Markup = .empty
        if user.may(.workersManage) {
            let levels = [("", "请选择")] + QualificationLevel.allCases.map { ($0.rawValue, $0.label) }
            let reserveLevels = ReserveLevel.allCases.filter { $0 == .street || user.may(.workersGrades) }.map { ($0.rawValue, $0.label) }
            forms = """
                <p><a href="/console/workers/\(w.id)/edit">修改工作者信息</a></p>
                <section><h2>登记职业水平证书</h2><form method="post" action="/console/workers/\(w.id)/qualifications" class="filters">\(csrf)
                \(Console.select("等级", name: "level", options: levels, error: err("level"), required: true))
                \(Console.field("证书编号", name: "certificate_no", error: err("certificate_no"), required: true, extra: "maxlength=\"40\""))
                \(Console.field("取得日期", name: "obtained_on", error: err("obtained_on"), type: "date", required: true, extra: "max=\"\(today.description)\""))
                <button type="submit">登记</button></form></section>
                <section><h2>登记培训学时</h2><form method="post" action="/console/workers/\(w.id)/training" class="filters">\(csrf)
                \(Console.field("年度", name: "training_year", value: String(today.year), error: err("training_year"), type: "number", required: true, extra: "min=\"2000\" max=\"\(today.year)\""))
                \(Console.field("学时", name: "hours", error: err("hours"), type: "number", required: true, hint: "同一年度再次登记将替换原学时", extra: "min=\"0\" max=\"2000\""))
                <button type="submit">登记</button></form></section>
                <section><h2>录入年度考核</h2><form method="post" action="/console/workers/\(w.id)/appraisals" class="filters">\(csrf)
                \(Console.field("考核年度", name: "year", value: String(today.year - 1), error: err("year"), type: "number", required: true, extra: "min=\"2000\" max=\"\(today.year)\""))
                \(Console.field("考核评分", name: "scores", error: err("scores"), required: true, hint: "每位考核人一个0–100的分数，用逗号分隔；平均分90以上优秀，75以上称职，60以上基本称职",
                                extra: "maxlength=\"80\" inputmode=\"numeric\""))
                \(Console.select("考核结果", name: "result", options: [("", "按平均分确定")] + AppraisalResult.allCases.map { ($0.rawValue, $0.label) }, error: err("result")))
                <button type="submit">录入</button></form></section>
                <section><h2>列入后备干部名单</h2><form method="post" action="/console/workers/\(w.id)/reserves" class="filters">\(csrf)
                \(Console.select("名单", name: "level", options: reserveLevels, error: err("level"), required: true))
                \(Console.field("列入日期", name: "listed_on", value: today.description, error: err("listed_on"), type: "date", required: true, extra: "max=\"\(today.description)\""))
                \(Console.field("理由", name: "reason", error: err("reason"), required: true, extra: "maxlength=\"300\""))
                <button type="submit">列入</button></form></section>
                """
        }
        let body: Markup = """
            <h1>\(w.name)</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            \(Self.record(f, phone: phoneLine))
            \(forms)
            """
        return Console.page(req, user, title: w.name, crumbs: WorkersPages.crumbs + [Crumb(w.name)], body: body, status: status)
    }

    /// The full phone: a full view, audited.
    func phone(req: Request) async throws -> Response {
        _ = try req.webUser(.workersRead)
        let phone = try await req.workers.phone(of: try req.pathUUID(), by: req.workersActor)
        return try await render(req, errors: [], message: nil, status: .ok, phone: phone ?? "—")
    }

    /// Runs a form's write; a refusal re-renders the page with its messages.
    func handle(_ req: Request, _ write: (Form, UUID) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.workersManage)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            try await write(form, id)
            return req.redirect(to: "/console/workers/\(id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, errors: [e], message: nil, status: .conflict)
        }
    }

    /// A number typed in a form: absent is nil (the rule asks for it); anything not a plain integer of up to 6
    /// digits is refused at its field before any arithmetic.
    static func number(_ raw: String?, _ field: String) throws -> Int? {
        guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        guard t.count <= 6, let v = Int(t) else { throw RegistryError.invalid([FieldError(field, "应为整数")]) }
        return v
    }

    func qualification(req: Request) async throws -> Response {
        try await handle(req) { f, id in
            _ = try await WorkersService.qualification(req, id: id, .init(level: f.level, certificateNo: f.certificate_no, obtainedOn: f.obtained_on))
        }
    }

    func training(req: Request) async throws -> Response {
        try await handle(req) { f, id in
            do {
                _ = try await req.workers.setTraining(id, year: try Self.number(f.training_year, "year"), hours: try Self.number(f.hours, "hours"), by: req.workersActor)
            } catch RegistryError.invalid(let errors) {
                // The appraisal's form on the same page has its own `year`.
                throw RegistryError.invalid(errors.map { $0.field == "year" ? FieldError("training_year", $0.message) : $0 })
            }
        }
    }

    func appraisal(req: Request) async throws -> Response {
        try await handle(req) { f, id in
            let (scores, error) = AppraisalRules.parse(f.scores)
            if let error { throw RegistryError.invalid([error]) }
            _ = try await WorkersService.appraisal(req, id: id, .init(year: try Self.number(f.year, "year"), scores: scores, result: f.result))
        }
    }

    func reserve(req: Request) async throws -> Response {
        try await handle(req) { f, id in
            _ = try await WorkersService.reserve(req, id: id, .init(level: f.level, reason: f.reason, listedOn: f.listed_on))
        }
    }
}
