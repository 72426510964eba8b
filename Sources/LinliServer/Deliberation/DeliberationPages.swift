import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 民主协商 pages: the meetings of one's area (by kind), resolutions past due, the form that records
/// a meeting (participants linked to the registry by 公民身份号码), and a meeting's page with its minutes,
/// resolutions and their follow-up.
struct DeliberationPages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "deliberation")
        d.get(needs: .permission(.deliberationRead), use: list)
        d.post("meetings", needs: .permission(.deliberationWrite), use: create)
        d.get("meetings", ":id", needs: .permission(.deliberationRead), use: meeting)
        d.post("meetings", ":id", "minutes", needs: .permission(.deliberationWrite), use: minutes)
        d.post("meetings", ":id", "resolutions", needs: .permission(.deliberationWrite), use: resolution)
        d.post("resolutions", ":id", "follow-up", needs: .permission(.deliberationWrite), use: followUp)
        d.post("resolutions", ":id", "request", needs: .permission(.deliberationWrite), use: toRequest)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("民主协商", "/console/deliberation")]

    struct Form: Content {
        var csrf: String?
        var community_code: String?
        var kind: String?
        var title: String?
        var agenda: String?
        var held_on: String?
        var place: String?
        var id_numbers: String?
        var other_residents: String?
        var units: String?
        var officials: String?
        var minutes: String?
        var text: String?
        var owner: String?
        var due_on: String?
        var note: String?
        var on_date: String?
        var done: String?
        var version: String?
        var service_code: String?
    }

    static func lines(_ s: String?) -> [String] { (s ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationRead)
        return try await renderList(req, user, form: Form(community_code: req.registryScope.prefix.count == 12 ? req.registryScope.prefix : nil,
                                                          held_on: req.application.linli.today().description), errors: [], status: .ok)
    }

    func renderList(_ req: Request, _ user: WebUser, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let q = req.deliberation, scope = try req.narrowedScope()
        let kind = try req.queryEnum("kind", MeetingKind.self)
        let page = try await q.meetings(in: scope, kind: kind, page: try req.pageRequest(perPage: 20))
        let rows = page.items.map { m -> [Markup] in
            [Markup.text(m.heldOn), Markup.text(m.kind.label), "<a href=\"/console/deliberation/meetings/\(m.id)\">\(m.title)</a>", Markup.text(m.communityCode),
             "\(m.residents)", "\(m.resolutions)", m.minutes == nil ? "<span class=\"badge grey\">待记录</span>" : "<span class=\"badge\">已记录</span>"]
        }
        let overdue = try await q.overdue(in: scope, limit: 20).map { r -> [Markup] in
            ["<a href=\"/console/deliberation/meetings/\(r.meetingId)\">\(r.text)</a>", Markup.text(r.owner), Markup.text(r.dueOn), Markup.text(r.communityCode)]
        }
        let kinds = [("", "全部类型")] + MeetingKind.allCases.map { ($0.rawValue, $0.label) }
        // Its own id: the form below has a select named `kind` too.
        let options = kinds.map { (v: String, l: String) -> Markup in "<option value=\"\(v)\"\(v == (kind?.rawValue ?? "") ? " selected" : "")>\(l)</option>" }
        let filter: Markup = "<form method=\"get\" class=\"filters\"><label for=\"q-kind\">会议类型</label> <select id=\"q-kind\" name=\"kind\">\(options)</select> <button type=\"submit\">筛选</button></form>"
        var newForm = Markup.empty
        if user.may(.deliberationWrite) {
            newForm = """
                <h2 id="new">记录议事会议</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/deliberation/meetings">\(Console.csrfField(user))
                \(Console.field("村/社区代码", name: "community_code", value: f.community_code, error: err("community_code"), required: true))
                \(Console.select("会议类型", name: "kind", options: MeetingKind.allCases.map { ($0.rawValue, $0.label) }, selected: f.kind, error: err("kind"), required: true))
                \(Console.field("议题", name: "title", value: f.title, error: err("title"), required: true))
                \(Console.textarea("议程", name: "agenda", value: f.agenda, error: err("agenda"), required: true))
                \(Console.field("会议日期", name: "held_on", value: f.held_on, error: err("held_on"), type: "date", required: true))
                \(Console.field("会议地点", name: "place", value: f.place, error: err("place"), required: true))
                \(Console.textarea("参会居民的公民身份号码（每行一个，本社区登记的居民）", name: "id_numbers", value: f.id_numbers, error: err("resident_ids"), maxLength: 20000))
                \(Console.field("其他参会居民人数", name: "other_residents", value: f.other_residents, error: err("other_residents"), type: "number"))
                \(Console.textarea("参会单位（每行一个）", name: "units", value: f.units, error: err("units")))
                \(Console.textarea("参会干部（每行一个）", name: "officials", value: f.officials, error: err("officials")))
                \(Console.textarea("会议纪要（会后填写）", name: "minutes", value: f.minutes, error: err("minutes"), maxLength: 10000))
                <button type="submit">保存</button></form>
                """
        }
        let body: Markup = """
            <h1>民主协商</h1>
            <p class="muted">规划：“社区民情恳谈会、事务协调会、工作听证会和成效评议会等民主协商载体”；“网上论坛、民情恳谈、楼道自治”。</p>
            \(filter)
            \(Console.table(["日期", "类型", "议题", "村/社区", "参会居民", "决议", "纪要"], rows, empty: "暂无议事会议"))
            \(Console.pager(page, path: "/console/deliberation", query: [("kind", kind?.rawValue)]))
            <h2>逾期未落实的决议</h2>
            \(Console.table(["决议", "责任人", "落实期限", "村/社区"], overdue, empty: "没有逾期未落实的决议"))
            \(newForm)
            """
        return Console.page(req, user, title: "民主协商", crumbs: [Crumb("工作台", "/console"), Crumb("民主协商")], body: body, status: status)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationWrite)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        do {
            var ids: [UUID] = []
            let residents = ResidentQueries(req.db, cipher: req.application.linli.cipher, today: req.application.linli.today())
            for n in Self.lines(f.id_numbers).prefix(DeliberationRules.maxParticipants + 1) {
                guard let r = try await residents.find(idNumber: n.uppercased(), in: req.registryScope) else {
                    throw RegistryError.invalid([FieldError("resident_ids", "本辖区没有登记公民身份号码为\(Masking.citizenID(n))的居民")])
                }
                ids.append(r.id)
            }
            var other: Int?
            if let raw = f.other_residents?.trimmedOrNil {
                guard let n = Int(raw) else { throw RegistryError.invalid([FieldError("other_residents", "其他参会居民人数应为整数")]) }
                other = n
            }
            let input = MeetingInput(kind: try DeliberationService.kind(f.kind), title: f.title, agenda: f.agenda,
                                     heldOn: try DeliberationService.date(f.held_on, field: "held_on"), place: f.place, residentIds: ids, otherResidents: other,
                                     units: Self.lines(f.units), officials: Self.lines(f.officials), minutes: f.minutes)
            let m = try await req.deliberation.createMeeting(community: f.community_code, input, by: req.deliberationActor)
            return req.redirect(to: "/console/deliberation/meetings/\(m.id)")
        } catch RegistryError.invalid(let errors) {
            return try await renderList(req, user, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    func meeting(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationRead)
        return try await renderMeeting(req, user, id: try req.pathUUID(), form: Form(), errors: [], status: .ok)
    }

    func renderMeeting(_ req: Request, _ user: WebUser, id: UUID, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let file = try await req.deliberation.meetingFile(id, in: req.registryScope)
        let m = file.meeting, today = req.application.linli.today()
        let csrf = Console.csrfField(user), write = user.may(.deliberationWrite)
        let resolutions = file.resolutions.map { r -> Markup in
            let follow = (file.followUps[r.id] ?? []).map { x -> Markup in "<li>\(x.onDate)：\(x.note)\(x.done ? "（已落实）" : "")</li>" }
            let badge: Markup = r.state == .done ? "<span class=\"badge\">已落实</span>" : (r.overdue(today: today) ? "<span class=\"badge red\">逾期</span>" : "<span class=\"badge grey\">落实中</span>")
            var form = Markup.empty
            if write && r.state == .open {
                form = """
                    <form method="post" action="/console/deliberation/resolutions/\(r.id)/follow-up">\(csrf)<input type="hidden" name="version" value="\(r.version)">
                    \(Console.field("跟进情况", name: "note", required: true))\(Console.field("跟进日期", name: "on_date", value: today.description, type: "date"))
                    <label><input type="checkbox" name="done" value="true"> 已落实</label> <button type="submit">记录跟进</button></form>
                    """
                if r.requestNumber == nil {
                    form += """
                        <form method="post" action="/console/deliberation/resolutions/\(r.id)/request" class="inline">\(csrf)
                        <input name="service_code" aria-label="事项类别代码" placeholder="事项类别代码，如 SJ0101" required> <button type="submit" class="secondary">转为诉求事项</button></form>
                        """
                }
            }
            return "<li><b>\(r.text)</b> \(badge)<br>责任人：\(r.owner) · 落实期限：\(r.dueOn)\(r.requestNumber.map { " · 转办事项 \($0)" } ?? "")<ul>\(follow)</ul>\(form)</li>"
        }
        var forms = Markup.empty
        if write {
            forms = """
                \(Console.formErrors(errors))
                <h2>会议纪要</h2>
                <form method="post" action="/console/deliberation/meetings/\(m.id)/minutes">\(csrf)<input type="hidden" name="version" value="\(m.version)">
                \(Console.textarea("会议纪要", name: "minutes", value: f.minutes ?? m.minutes, error: err("minutes") ?? err("held_on"), required: true, maxLength: 10000))
                <button type="submit">保存纪要</button></form>
                <h2>添加决议</h2>
                <form method="post" action="/console/deliberation/meetings/\(m.id)/resolutions">\(csrf)
                \(Console.field("决议内容", name: "text", value: f.text, error: err("text"), required: true))
                \(Console.field("落实责任人", name: "owner", value: f.owner, error: err("owner"), required: true))
                \(Console.field("落实期限", name: "due_on", value: f.due_on, error: err("due_on") ?? err("meeting_id"), type: "date", required: true))
                <button type="submit">添加决议</button></form>
                """
        }
        let body: Markup = """
            <h1>\(m.kind.label)：\(m.title)</h1>
            <p>\(file.communityName) · \(m.heldOn) · \(m.place)</p>
            <p>议程：\(m.agenda)</p>
            <p>参会居民 \(m.residents) 人\(file.participants.isEmpty ? "" : "（登记居民：\(file.participants.joined(separator: "、"))；其他 \(m.otherResidents) 人）")</p>
            <p>参会单位：\(m.unitList.isEmpty ? "无" : m.unitList.joined(separator: "、"))；参会干部：\(m.officialList.isEmpty ? "无" : m.officialList.joined(separator: "、"))</p>
            <h2>纪要</h2><p>\(m.minutes ?? "尚未记录")</p>
            <h2>决议（\(file.resolutions.count)项）</h2>
            \(resolutions.isEmpty ? "<p class=\"empty\">暂无决议</p>" : "<ul class=\"timeline\">\(resolutions)</ul>")
            \(forms)
            """
        return Console.page(req, user, title: m.title, crumbs: Self.crumbs + [Crumb(m.title)], body: body, status: status)
    }

    /// Runs a write of a meeting's page and shows the page again (a refusal at its field, 422).
    func act(_ req: Request, meeting: (Form) async throws -> UUID, _ body: (Form) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.deliberationWrite)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        let id = try await meeting(f)
        do {
            try await body(f)
            return req.redirect(to: "/console/deliberation/meetings/\(id)")
        } catch RegistryError.invalid(let errors) {
            return try await renderMeeting(req, user, id: id, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    static func version(_ raw: String?) throws -> Int { try requireVersion(raw.flatMap { Int($0) }) }

    func minutes(req: Request) async throws -> Response {
        try await act(req, meeting: { _ in try req.pathUUID() }) { f in
            _ = try await req.deliberation.recordMinutes(try req.pathUUID(), minutes: f.minutes, version: try Self.version(f.version), by: req.deliberationActor)
        }
    }

    func resolution(req: Request) async throws -> Response {
        try await act(req, meeting: { _ in try req.pathUUID() }) { f in
            let input = ResolutionInput(text: f.text, owner: f.owner, dueOn: try DeliberationService.date(f.due_on, field: "due_on"))
            _ = try await req.deliberation.addResolution(try req.pathUUID(), input, by: req.deliberationActor)
        }
    }

    /// The resolution turned into a request of the requests capability (its category by code).
    func toRequest(req: Request) async throws -> Response {
        try await act(req, meeting: { _ in try await req.deliberation.resolution(try req.pathUUID(), in: req.registryScope).meetingId }) { f in
            _ = try await req.deliberation.turnIntoRequest(try req.pathUUID(), serviceCode: f.service_code, requests: req.requestQueries, by: req.deliberationActor)
        }
    }

    func followUp(req: Request) async throws -> Response {
        try await act(req, meeting: { _ in try await req.deliberation.resolution(try req.pathUUID(), in: req.registryScope).meetingId }) { f in
            _ = try await req.deliberation.followUp(try req.pathUUID(), note: f.note, on: try DeliberationService.date(f.on_date, field: "on_date"),
                                                    done: f.done == "true", version: try Self.version(f.version), by: req.deliberationActor)
        }
    }
}
