import Foundation
import LinliCore
import LinliData
import Vapor

/// One course with its trainees, and one trainee.
extension TrainingPages {
    func course(req: Request) async throws -> Response {
        try await renderCourse(req, try req.webUser(.trainingRead), id: try req.pathUUID(), errors: [], form: [:])
    }

    func renderCourse(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], form f: [String: String],
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let q = req.training, today = req.application.linli.today()
        guard let c = try await q.course(id, in: req.registryScope) else { throw RegistryError.notFound("培训班") }
        let trainees = try await q.enrolments(of: id, in: req.registryScope)
        func e(_ name: String) -> String? { Self.message(errors, name) }
        let rows = trainees.map { t -> [Markup] in
            ["<a href=\"/console/training/enrolments/\(t.id)\">\(t.name)</a>", "\(t.idMasked)", "\(t.sessionsPresent)/\(t.sessionsTotal)（\(t.attendanceRate)%）",
             "\(t.result.map { "\($0.label) \(t.resultOn ?? "")" } ?? "在训")",
             "\(t.followupOn == nil ? "—" : t.followupEmployed == true ? "已就业" : "未就业")"]
        }
        var forms = Markup.empty
        let open = c.endsOn >= today.description
        if user.may(.trainingWrite) && open {
            forms = forms + """
                <h2>报名</h2>
                <form method="post" action="/console/training/\(c.id)/enrolments" class="stack">
                \(Console.csrfField(user))
                \(Console.field("学员公民身份号码", name: "id_number", value: f["id_number"], error: e("id_number") ?? e("resident_id") ?? e("course_id"), required: true,
                                hint: "须是本辖区登记的\(TrainingRules.ages.lowerBound)至\(TrainingRules.ages.upperBound)岁居民"))
                <button type="submit">报名</button>
                </form>
                """
        }
        let inTraining = trainees.filter { $0.result == nil }
        if user.may(.trainingWrite) && c.startsOn <= today.description && !inTraining.isEmpty {
            let boxes = inTraining.map { (t: TrainingEnrolmentRecord) -> Markup in
                "<label class=\"check\"><input type=\"checkbox\" name=\"present[]\" value=\"\(t.id.uuidString)\" checked> \(t.name)</label>"
            }.joined()
            forms = forms + """
                <h2>考勤</h2>
                <form method="post" action="/console/training/\(c.id)/sessions" class="stack">
                \(Console.csrfField(user))
                \(Console.field("上课日期", name: "date", value: f["date"] ?? min(today, CivilDate(c.endsOn) ?? today).description, error: e("date"), type: "date", required: true))
                <fieldset><legend>到课学员（未勾选的记为缺课；同一天再登记即更正）</legend>\(boxes)</fieldset>
                \(e("present").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)
                <button type="submit">登记考勤</button>
                </form>
                """
        }
        let body: Markup = """
            <h1>\(c.name)</h1>
            \(Self.tabs("", user))
            \(Console.formErrors(errors))
            <dl class="facts">
              <dt>类别</dt><dd>\(c.kind.label)\(c.trade.map { "（\($0)）" }.orEmpty)</dd>
              <dt>培训机构</dt><dd>\(c.provider)</dd>
              <dt>培训时间</dt><dd>\(c.startsOn) 至 \(c.endsOn) \(Self.phase(c, today: today))</dd>
              <dt>学时</dt><dd>\(c.hours)</dd>
              <dt>名额</dt><dd>已报名 \(c.enrolled) / \(c.capacity) 人</dd>
            </dl>
            <h2>本辖区学员（\(trainees.count)人）</h2>
            \(Console.table(["学员", "公民身份号码", "出勤", "结业情况", "回访"], rows, empty: "本辖区暂无学员"))
            \(forms)
            """
        return Console.page(req, user, title: c.name, crumbs: [Self.home, Self.root, Crumb(c.name)], body: body, status: status)
    }

    /// A course's write from its page; refused input comes back on the page.
    func courseWrite(_ req: Request, _ body: (WebUser, UUID, [String: String]) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.trainingWrite)
        let id = try req.pathUUID()
        let f = try Self.form(req, user)
        do {
            try await body(user, id, f)
        } catch RegistryError.invalid(let errors) {
            return try await renderCourse(req, user, id: id, errors: errors, form: f, status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await renderCourse(req, user, id: id, errors: [error], form: f, status: .conflict)
        }
        return req.redirect(to: "/console/training/\(id)", redirectType: .normal)
    }

    func enrol(req: Request) async throws -> Response {
        try await courseWrite(req) { _, id, f in
            let resident = try await TrainingService.resident(req, id: nil, idNumber: f["id_number"])
            _ = try await req.training.enrol(resident: resident, in: id, by: req.trainingActor)
        }
    }

    struct SessionForm: Content {
        var csrf: String?
        var date: String?
        var present: [String]?
    }

    func session(req: Request) async throws -> Response {
        let user = try req.webUser(.trainingWrite)
        let id = try req.pathUUID()
        let form = try req.content.decode(SessionForm.self)
        try req.checkCSRF(user, form.csrf)
        do {
            let present = Set((form.present ?? []).compactMap(UUID.init(uuidString:)))
            _ = try await req.training.recordSession(of: id, on: form.date, present: present, by: req.trainingActor)
        } catch RegistryError.invalid(let errors) {
            return try await renderCourse(req, user, id: id, errors: errors, form: ["date": form.date ?? ""], status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/training/\(id)", redirectType: .normal)
    }

    // MARK: A trainee

    func trainee(req: Request) async throws -> Response {
        try await renderTrainee(req, try req.webUser(.trainingRead), id: try req.pathUUID(), errors: [], form: [:])
    }

    func renderTrainee(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], form f: [String: String],
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let q = req.training, today = req.application.linli.today()
        guard let t = try await q.enrolment(id, in: req.registryScope) else { throw RegistryError.notFound("学员") }
        guard let c = try await q.course(t.courseId, in: .everything) else { throw RegistryError.notFound("培训班") }
        func e(_ name: String) -> String? { Self.message(errors, name) }
        var forms = Markup.empty
        if user.may(.trainingWrite) && t.result == nil {
            let results = [("completed", "结业"), ("dropped", "中途退出")]
            let certs = [("", "无证书")] + TrainingCertificate.allCases.map { ($0.rawValue, $0.label) }
            forms = """
                <h2>登记结业</h2>
                <form method="post" action="/console/training/enrolments/\(t.id)/completion" class="stack">
                \(Console.csrfField(user))<input type="hidden" name="version" value="\(t.version)">
                \(Console.select("结业情况", name: "result", options: results, selected: f["result"], error: e("result"), required: true))
                \(Console.field("日期", name: "on", value: f["on"] ?? min(today, CivilDate(c.endsOn) ?? today).description, error: e("on"), type: "date", required: true))
                \(Console.select("证书类别", name: "certificate", options: certs, selected: f["certificate"], error: e("certificate")))
                \(Console.field("证书编号", name: "certificate_number", value: f["certificate_number"], error: e("certificate_number")))
                <button type="submit">登记</button>
                </form>
                """
        } else if user.may(.trainingWrite), t.result == .completed, t.followupOn == nil, let due = t.followupDueOn {
            let choices = [("", "请选择"), ("true", "已就业（含自主创业）"), ("false", "未就业")]
            forms = """
                <h2>就业跟踪回访</h2>
                \(due > today.description ? "<p>结业满\(TrainingRules.followUpMonths)个月（\(due)）后登记回访结果。</p>" as Markup : """
                <form method="post" action="/console/training/enrolments/\(t.id)/follow-up" class="stack">
                \(Console.csrfField(user))<input type="hidden" name="version" value="\(t.version)">
                \(Console.field("回访日期", name: "on", value: f["on"] ?? today.description, error: e("on"), type: "date", required: true))
                \(Console.select("是否就业", name: "employed", options: choices, selected: f["employed"], error: e("employed"), required: true))
                \(Console.field("就业单位", name: "employer", value: f["employer"], error: e("employer"), hint: "自主创业填“自主创业”"))
                <button type="submit">登记回访</button>
                </form>
                """)
                """
        }
        let followUp: String
        if let on = t.followupOn { followUp = "\(on) 回访：\(t.followupEmployed == true ? "已就业（\(t.followupEmployer ?? "")）" : "未就业")" }
        else if let due = t.followupDueOn { followUp = "\(due) 起回访" + (due <= today.description ? "（已到期）" : "") }
        else { followUp = "—" }
        let body: Markup = """
            <h1>\(t.name)</h1>
            \(Console.formErrors(errors))
            <dl class="facts">
              <dt>公民身份号码</dt><dd>\(t.idMasked)</dd>
              <dt>培训班</dt><dd><a href="/console/training/\(c.id)">\(c.name)</a>（\(c.startsOn) 至 \(c.endsOn)）</dd>
              <dt>报名日期</dt><dd>\(t.enrolledOn)</dd>
              <dt>出勤</dt><dd>\(t.sessionsPresent)/\(t.sessionsTotal) 次（\(t.attendanceRate)%）</dd>
              <dt>结业情况</dt><dd>\(t.result.map { "\($0.label)（\(t.resultOn ?? "")）" } ?? "在训")</dd>
              <dt>证书</dt><dd>\(t.certificate.map { "\($0.label) \(t.certificateNumber ?? "")" } ?? "—")</dd>
              <dt>就业跟踪</dt><dd>\(followUp)</dd>
            </dl>
            \(forms)
            """
        return Console.page(req, user, title: t.name, crumbs: [Self.home, Self.root, Crumb(c.name, "/console/training/\(c.id)"), Crumb(t.name)],
                            body: body, status: status)
    }

    func traineeWrite(_ req: Request, _ body: ([String: String]) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.trainingWrite)
        let id = try req.pathUUID()
        let f = try Self.form(req, user)
        do {
            try await body(f)
        } catch RegistryError.invalid(let errors) {
            return try await renderTrainee(req, user, id: id, errors: errors, form: f, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/training/enrolments/\(id)", redirectType: .normal)
    }

    func complete(req: Request) async throws -> Response {
        try await traineeWrite(req) { f in
            _ = try await TrainingService.completion(req, id: try req.pathUUID(), result: f["result"], on: f["on"], certificate: f["certificate"],
                                                     number: f["certificate_number"], version: f["version"].flatMap { Int($0) })
        }
    }

    func followUp(req: Request) async throws -> Response {
        try await traineeWrite(req) { f in
            _ = try await req.training.followUp(try req.pathUUID(), on: f["on"], employed: f["employed"].flatMap { Bool($0) }, employer: f["employer"],
                                                version: try requireVersion(f["version"].flatMap { Int($0) }), by: req.trainingActor)
        }
    }
}
