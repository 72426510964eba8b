import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's activities: the list of the area, the form that announces one, and an activity's page with
/// its sign-ups (a worker signs a resident up by ID number) and, once it has begun, the attendance and report.
struct LifeActivityPages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "life", "activities")
        a.get(needs: .permission(.lifeRead), use: list)
        a.get("new", needs: .permission(.lifeManage), use: newActivity)
        a.post("new", needs: .permission(.lifeManage), use: create)
        a.get(":id", needs: .permission(.lifeRead), use: activity)
        a.post(":id", "signups", needs: .permission(.lifeManage), use: signUp)
        a.post(":id", "attendance", needs: .permission(.lifeManage), use: attendance)
        a.post(":id", "cancel", needs: .permission(.lifeManage), use: cancel)
    }

    static let crumbs = LifePages.crumbs + [Crumb("社区活动", "/console/life/activities")]

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        let upcoming = req.formFlag("upcoming")
        let page = try await req.life.activities(in: try req.narrowedScope(), upcoming: upcoming, page: req.consolePage(perPage: 30))
        let rows = page.items.map { a -> [Markup] in
            ["<a href=\"/console/life/activities/\(a.id)\">\(a.title)</a>", Markup.text(a.kind.label), Markup.text(a.communityName ?? a.communityCode),
             Markup.text(a.when), "\(a.signedUp) / \(a.capacity)", a.status == .held ? "\(a.attended)" : "—", Markup.text(a.status.label)]
        }
        let body: Markup = """
            <h1>社区活动</h1>
            <p class="muted">文化、体育、科普和社区普法活动：居民在门户上报名，名额满后不再接受报名；活动开始后登记签到和活动情况。</p>
            <p>\(user.may(.lifeManage) ? "<a class=\"button\" href=\"/console/life/activities/new\">登记活动</a> " : Markup.empty)\(upcoming ? "<a href=\"/console/life/activities\">全部活动</a>" : "<a href=\"/console/life/activities?upcoming=true\">只看将要举办的</a>")</p>
            \(Console.table(["活动", "类别", "村/社区", "时间", "报名/名额", "参加人数", "状态"], rows, empty: "暂无活动"))
            \(Console.pager(page, path: "/console/life/activities", query: [("division", req.formQuery("division")), ("upcoming", upcoming ? "true" : nil)]))
            """
        return Console.page(req, user, title: "社区活动", crumbs: LifePages.crumbs + [Crumb("社区活动")], body: body)
    }

    struct ActivityForm: Content {
        var csrf: String?
        var community_code: String?
        var kind: String?
        var title: String?
        var day: String?
        var start: String?
        var end: String?
        var venue_id: String?
        var place: String?
        var capacity: String?
        var description: String?
    }

    func newActivity(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let community = user.account.divisionCode.count == 12 ? user.account.divisionCode : nil
        return try await renderForm(req, user, values: ActivityForm(community_code: community, kind: ActivityKind.culture.rawValue), errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, values v: ActivityForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let communities = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community).map { ($0.code, $0.name) }
        let venues = try await req.life.venues(in: req.registryScope, page: PageRequest(page: 1, perPage: 100)).items
        let body: Markup = """
            <h1>登记活动</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/life/activities/new">\(Console.csrfField(user))
            \(Console.select("村/社区", name: "community_code", options: communities, selected: v.community_code, error: err("community_code"), required: true))
            \(Console.select("类别", name: "kind", options: ActivityKind.allCases.map { ($0.rawValue, $0.label) }, selected: v.kind, error: err("kind"), required: true))
            \(Console.field("活动名称", name: "title", value: v.title, error: err("title"), required: true, extra: "maxlength=\"80\""))
            \(Console.field("日期", name: "day", value: v.day, error: err("day"), type: "date", required: true))
            \(Console.field("开始时间", name: "start", value: v.start, error: err("start"), type: "time", required: true))
            \(Console.field("结束时间", name: "end", value: v.end, error: err("end"), type: "time", required: true))
            \(Console.select("场地", name: "venue_id", options: [("", "（不使用登记的场地）")] + venues.map { ($0.id.uuidString, $0.title) }, selected: v.venue_id, error: err("venue_id")))
            \(Console.field("地点", name: "place", value: v.place, error: err("place"), hint: "不使用登记的场地时填写", extra: "maxlength=\"120\""))
            \(Console.field("名额", name: "capacity", value: v.capacity, error: err("capacity"), required: true, extra: "inputmode=\"numeric\" maxlength=\"5\""))
            \(Console.textarea("活动介绍", name: "description", value: v.description, error: err("description")))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "登记活动", crumbs: Self.crumbs + [Crumb("登记活动")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(ActivityForm.self)) ?? ActivityForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let cap = form.capacity?.trimmingCharacters(in: .whitespaces)
            guard cap.map({ $0.isEmpty || ($0.count <= 6 && Int($0) != nil) }) ?? true else { throw RegistryError.invalid([FieldError("capacity", "名额应为整数")]) }
            let venue = form.venue_id.flatMap { UUID(uuidString: $0) }
            let body = LifeService.ActivityBody(communityCode: form.community_code, kind: form.kind, title: form.title, day: form.day, start: form.start, end: form.end,
                                                venueId: venue, place: form.place, capacity: cap.flatMap { Int($0) }, description: form.description)
            let a = try await req.life.createActivity(community: form.community_code, try LifeService.activityInput(body), venue: venue, by: req.lifeActor)
            return req.redirect(to: "/console/life/activities/\(a.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, values: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderForm(req, user, values: form, errors: [e], status: .conflict)
        }
    }

    func activity(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        guard let a = try await req.life.activity(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("活动") }
        return try await render(req, user, a, errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ a: ActivityRecord, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let signups = try await req.life.signups(of: a.id)
        let now = Int64(req.application.linli.now().timeIntervalSince1970), manage = user.may(.lifeManage)
        let begun = a.startsAt <= now
        var forms = Markup.empty
        if manage && !begun && a.status == .planned {
            forms = """
                <h2>代为报名</h2>
                <form method="post" action="/console/life/activities/\(a.id)/signups">\(Console.csrfField(user))
                \(Console.field("居民公民身份号码", name: "id_number", error: errors.first { $0.field == "resident_id" || $0.field == "activity" }?.message, required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
                <button type="submit">报名</button></form>
                <form method="post" action="/console/life/activities/\(a.id)/cancel">\(Console.csrfField(user))<input type="hidden" name="version" value="\(a.version)">
                <button type="submit" class="secondary">取消活动</button></form>
                """
        } else if manage && begun && a.status != .cancelled {
            let boxes = signups.map { s -> Markup in
                "<div class=\"field\"><label><input type=\"checkbox\" name=\"attended[]\" value=\"\(s.residentId)\"\(s.attended ? " checked" : "")> \(s.residentMasked)</label></div>"
            }
            forms = """
                <h2>登记签到和活动情况</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/life/activities/\(a.id)/attendance">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(a.version)">
                \(boxes)
                \(Console.field("现场参加（未报名）人数", name: "walk_ins", value: "0", extra: "inputmode=\"numeric\" maxlength=\"5\""))
                \(Console.textarea("活动情况", name: "report", value: a.report))
                <button type="submit">保存</button></form>
                """
        }
        let rows = signups.map { s -> [Markup] in [Markup.text(s.residentMasked), Markup.text(s.via == "portal" ? "门户报名" : "社区代报"), s.attended ? "已签到" : "—"] }
        let body: Markup = """
            <h1>\(a.title)</h1>
            <p>\(a.kind.label) · \(a.communityName ?? a.communityCode) · \(a.when) · \(a.place ?? "")</p>
            <p>报名 \(a.signedUp) / 名额 \(a.capacity) · \(a.status.label)\(a.status == .held ? Markup.text("，参加 \(a.attended) 人") : Markup.empty)</p>
            \(a.description.map { "<p>\($0)</p>" }.orEmpty)
            \(a.report.map { "<h2>活动情况</h2><p>\($0)</p>" }.orEmpty)
            <h2>报名名单</h2>
            \(Console.table(["居民", "方式", "签到"], rows, empty: "尚无报名"))
            \(forms)
            """
        return Console.page(req, user, title: a.title, crumbs: Self.crumbs + [Crumb(a.title)], body: body, status: status)
    }

    struct SignupForm: Content { var csrf: String?; var id_number: String? }

    func signUp(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(SignupForm.self)) ?? SignupForm()
        try req.checkCSRF(user, form.csrf)
        guard let a = try await req.life.activity(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("活动") }
        do {
            let linli = req.application.linli
            let number = form.id_number?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !number.isEmpty, number.count <= 18,
                  let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: number, in: req.registryScope) else {
                throw RegistryError.invalid([FieldError("resident_id", "本辖区没有这个公民身份号码的居民")])
            }
            _ = try await req.life.signUp(a.id, resident: r.id, by: req.lifeActor)
            return req.redirect(to: "/console/life/activities/\(a.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, a, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, a, errors: [e], status: .conflict)
        }
    }

    struct AttendanceForm: Content {
        var csrf: String?
        var attended: [String]?
        var walk_ins: String?
        var report: String?
        var version: String?
    }

    func attendance(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(AttendanceForm.self)) ?? AttendanceForm()
        try req.checkCSRF(user, form.csrf)
        guard let a = try await req.life.activity(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("活动") }
        do {
            let walk = form.walk_ins?.trimmingCharacters(in: .whitespaces) ?? ""
            guard walk.isEmpty || (walk.count <= 6 && Int(walk) != nil) else { throw RegistryError.invalid([FieldError("walk_ins", "现场参加人数应为整数")]) }
            let version = try LifeService.version(form.version.flatMap { $0.count <= 10 ? Int($0) : nil })
            _ = try await req.life.recordAttendance(a.id, attended: Set((form.attended ?? []).prefix(10_000).compactMap { UUID(uuidString: $0) }), walkIns: Int(walk) ?? 0,
                                                    report: form.report, version: version, by: req.lifeActor)
            return req.redirect(to: "/console/life/activities/\(a.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, a, errors: errors, status: .unprocessableEntity)
        }
    }

    func cancel(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let f = (try? req.content.decode(AttendanceForm.self)) ?? AttendanceForm()
        try req.checkCSRF(user, f.csrf)
        let version = try LifeService.version(f.version.flatMap { $0.count <= 10 ? Int($0) : nil })
        let a = try await req.life.cancelActivity(try req.pathUUID(), version: version, by: req.lifeActor)
        return req.redirect(to: "/console/life/activities/\(a.id)", redirectType: .normal)
    }
}
