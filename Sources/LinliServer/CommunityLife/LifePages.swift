import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 社区生活 pages: the summary of the area and its venues, the venue form, and a venue's week
/// with its bookings (book for a resident or an activity, cancel, mark a no-show). Activities are in
/// `LifeActivityPages`. Forms post with the CSRF token; the data layer is the API's.
struct LifePages {
    func boot(_ routes: Routes) {
        let l = routes.grouped("console", "life")
        l.get(needs: .permission(.lifeRead), use: overview)
        l.get("venues", "new", needs: .permission(.lifeManage), use: newVenue)
        l.post("venues", "new", needs: .permission(.lifeManage), use: create)
        l.get("venues", ":id", needs: .permission(.lifeRead), use: venue)
        l.get("venues", ":id", "edit", needs: .permission(.lifeManage), use: editVenue)
        l.post("venues", ":id", "edit", needs: .permission(.lifeManage), use: update)
        l.post("venues", ":id", "book", needs: .permission(.lifeManage), use: book)
        l.get("bookings", needs: .permission(.lifeRead), use: bookings)
        l.post("bookings", ":id", "cancel", needs: .permission(.lifeManage), use: cancel)
        l.post("bookings", ":id", "no-show", needs: .permission(.lifeManage), use: noShow)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("社区生活", "/console/life")]

    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        let scope = try req.narrowedScope(), q = req.life, today = q.localToday
        let page = try await q.venues(in: scope, page: req.consolePage(perPage: 30))
        let rows = page.items.map { v -> [Markup] in
            ["<a href=\"/console/life/venues/\(v.id)\">\(v.title)</a>", Markup.text(v.communityName ?? v.communityCode), Markup.text(v.owner.label),
             "\(v.capacity)", Markup.text(v.free ? "免费" : (v.fee ?? "收费")), v.open ? "<span class=\"badge\">开放</span>" : "<span class=\"badge red\">暂停</span>"]
        }
        let figures = try await q.summary(in: scope, year: today.year, month: today.month)
        func hours(_ m: Int64) -> String { String(format: "%.1f", Double(m) / 60) }
        let summaryRows = figures.map { f -> [Markup] in
            [Markup.text(f.communityName), "\(f.venues)", "\(f.unitVenues)", Markup.text(hours(f.minutesMonth)), Markup.text(hours(f.minutesYear)),
             "\(f.activitiesHeld)", "\(f.attendance)", "\(f.legalEvents)"]
        }
        let total = figures.reduce(into: (venues: 0, units: 0, month: Int64(0), year: Int64(0), held: 0, people: 0, legal: 0)) {
            $0.venues += $1.venues; $0.units += $1.unitVenues; $0.month += $1.minutesMonth; $0.year += $1.minutesYear
            $0.held += $1.activitiesHeld; $0.people += $1.attendance; $0.legal += $1.legalEvents
        }
        let totalRow: [Markup] = ["<b>合计</b>", "\(total.venues)", "\(total.units)", Markup.text(hours(total.month)), Markup.text(hours(total.year)),
                                  "\(total.held)", "\(total.people)", "\(total.legal)"]
        let body: Markup = """
            <h1>社区生活</h1>
            <p class="muted">规划要求“积极推进辖区单位文体科普设施向社区居民免费开放”。这里登记社区和辖区单位向居民开放的场地，居民在门户上预约，社区工作者代为预约、标记爽约；社区活动见<a href="/console/life/activities">活动</a>。</p>
            <p>\(user.may(.lifeManage) ? "<a class=\"button\" href=\"/console/life/venues/new\">登记场地</a> " : Markup.empty)<a href="/console/life/bookings">今日预约</a> · <a href="/console/life/activities">社区活动</a> · <a href="/console/life/awards">评选</a></p>
            <h2>场地</h2>
            \(Console.table(["场地", "村/社区", "归属", "容纳人数", "收费", "状态"], rows, empty: "辖区内尚未登记开放场地"))
            \(Console.pager(page, path: "/console/life", query: [("division", req.formQuery("division"))]))
            <h2>各村/社区情况（\(today.year)年）</h2>
            \(Console.table(["村/社区", "开放场地", "其中辖区单位", "本月预约小时", "本年预约小时", "本年活动", "参加人次", "普法活动"], summaryRows.isEmpty ? [] : summaryRows + [totalRow]))
            """
        return Console.page(req, user, title: "社区生活", crumbs: [Crumb("工作台", "/console"), Crumb("社区生活")], body: body)
    }

    // MARK: The venue's form

    struct VenueForm: Content {
        var csrf: String?
        var community_code: String?
        var name: String?
        var owner: String?
        var unit_name: String?
        var address: String?
        var capacity: String?
        var free: String?
        var fee: String?
        var hours: String?
        var open: String?
        var version: String?

        func input() -> (VenueInput, [FieldError]) {
            var errors: [FieldError] = []
            let cap = capacity?.trimmingCharacters(in: .whitespaces)
            var number: Int?
            if let cap, !cap.isEmpty { if cap.count <= 6, let n = Int(cap) { number = n } else { errors.append(FieldError("capacity", "容纳人数应为整数")) } }
            let (h, he) = WeeklyHours.parse(hours)
            errors += he
            return (VenueInput(name: name, owner: owner.flatMap(VenueOwner.init), unitName: unit_name, address: address, capacity: number,
                               free: free == "true", fee: fee, hours: h, open: open == "true"), errors)
        }
    }

    func newVenue(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let community = user.account.divisionCode.count == 12 ? user.account.divisionCode : nil
        return try await renderForm(req, user, venue: nil, values: VenueForm(community_code: community, owner: "community", free: "true",
                                                                             hours: WeeklyHours.daily(from: 510, to: 1260).text, open: "true"), errors: [], status: .ok)
    }

    func editVenue(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        guard let v = try await req.life.venue(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("场地") }
        let values = VenueForm(community_code: v.communityCode, name: v.name, owner: v.owner.rawValue, unit_name: v.unitName, address: v.address,
                               capacity: String(v.capacity), free: v.free ? "true" : nil, fee: v.fee, hours: v.hours, open: v.open ? "true" : nil, version: String(v.version))
        return try await renderForm(req, user, venue: v, values: values, errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, venue: VenueRecord?, values v: VenueForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let place: Markup
        if let venue {
            place = "<p>村/社区：<b>\(venue.communityName ?? venue.communityCode)</b></p><input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">"
        } else {
            let options = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community).map { ($0.code, $0.name) }
            place = Console.select("村/社区", name: "community_code", options: options, selected: v.community_code, error: err("community_code"), required: true)
        }
        let action = venue.map { "/console/life/venues/\($0.id)/edit" } ?? "/console/life/venues/new"
        let title = venue == nil ? "登记开放场地" : "修改场地信息"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(place)
            \(Console.field("场地名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.select("归属", name: "owner", options: VenueOwner.allCases.map { ($0.rawValue, $0.label) }, selected: v.owner, error: err("owner"), required: true))
            \(Console.field("辖区单位名称", name: "unit_name", value: v.unit_name, error: err("unit_name"), hint: "辖区单位开放的场地填写，如“实验小学”", extra: "maxlength=\"60\""))
            \(Console.field("地点", name: "address", value: v.address, error: err("address"), required: true, extra: "maxlength=\"120\""))
            \(Console.field("容纳人数", name: "capacity", value: v.capacity, error: err("capacity"), required: true, extra: "inputmode=\"numeric\" maxlength=\"5\""))
            <div class="field"><label><input type="checkbox" name="free" value="true"\(v.free == "true" ? " checked" : "")> 免费开放</label></div>
            \(Console.field("收费标准", name: "fee", value: v.fee, error: err("fee"), hint: "收费场地填写，如“每小时20元”", extra: "maxlength=\"60\""))
            \(Console.textarea("开放时间（每行一天：星期几 开始-结束，1为周一、7为周日）", name: "hours", value: v.hours, error: err("hours"), required: true, maxLength: 200))
            <div class="field"><label><input type="checkbox" name="open" value="true"\(v.open == "true" ? " checked" : "")> 开放预约</label></div>
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (venue.map { [Crumb($0.title, "/console/life/venues/\($0.id)")] } ?? []) + [Crumb(title)]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(VenueForm.self)) ?? VenueForm()
        try req.checkCSRF(user, form.csrf)
        let (input, typed) = form.input()
        do {
            if !typed.isEmpty { throw RegistryError.invalid(typed + LifeRules.check(input).filter { e in !typed.contains { $0.field == e.field } }) }
            let v = try await req.life.createVenue(community: form.community_code, input, facility: nil, by: req.lifeActor)
            return req.redirect(to: "/console/life/venues/\(v.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, venue: nil, values: form, errors: errors, status: .unprocessableEntity)
        }
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(VenueForm.self)) ?? VenueForm()
        try req.checkCSRF(user, form.csrf)
        guard let v = try await req.life.venue(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("场地") }
        let (input, typed) = form.input()
        do {
            if !typed.isEmpty { throw RegistryError.invalid(typed + LifeRules.check(input).filter { e in !typed.contains { $0.field == e.field } }) }
            let version = try LifeService.version(form.version.flatMap { $0.count <= 10 ? Int($0) : nil })
            _ = try await req.life.updateVenue(v.id, input, facility: v.facilityId, version: version, by: req.lifeActor)
            return req.redirect(to: "/console/life/venues/\(v.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, venue: v, values: form, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: A venue's week

    struct BookForm: Content {
        var csrf: String?
        var day: String?
        var start: String?
        var end: String?
        var purpose: String?
        var id_number: String?
        var note: String?
    }

    func venue(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        guard let v = try await req.life.venue(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("场地") }
        return try await renderVenue(req, user, v, form: BookForm(), errors: [], status: .ok)
    }

    func renderVenue(_ req: Request, _ user: WebUser, _ v: VenueRecord, form f: BookForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ name: String) -> String? { errors.first { $0.field == name }?.message }
        let q = req.life, today = q.localToday, monday = LifeCalendar.monday(req)
        let bookings = try await q.bookings(of: v.id, from: monday, to: monday.adding(days: 6))
        let manage = user.may(.lifeManage), now = Int64(req.application.linli.now().timeIntervalSince1970)
        // The facility of the register the venue is in, when it names one.
        let facility = try await v.facilityId.asyncMap { try? await req.facilities.facility($0, in: req.registryScope) } ?? nil
        let week = LifeCalendar.week(v, monday: monday, bookings: bookings, today: today) { b in
            var actions = Markup.empty
            if manage, b.status == .booked {
                let path = b.startsAt > now ? "cancel" : "no-show", label = b.startsAt > now ? "取消" : "标记爽约"
                actions = "<form method=\"post\" action=\"/console/life/bookings/\(b.id)/\(path)\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\" class=\"secondary\">\(label)</button></form>"
            }
            let who: Markup = b.purpose == .activity ? "社区活动" : Markup.text(b.residentMasked ?? "居民")
            return "\(who) \(LifeCalendar.status(b)) \(b.note.map { Markup.text("（\($0)）") }.orEmpty) \(actions)"
        }
        let form: Markup = manage && v.open ? """
            <h2>代为预约</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/life/venues/\(v.id)/book">\(Console.csrfField(user))
            \(Console.field("日期", name: "day", value: f.day ?? today.description, error: err("day"), type: "date", required: true))
            \(Console.field("开始时间", name: "start", value: f.start, error: err("start"), type: "time", required: true, extra: "step=\"1800\""))
            \(Console.field("结束时间", name: "end", value: f.end, error: err("end"), type: "time", required: true, extra: "step=\"1800\""))
            \(Console.select("用途", name: "purpose", options: BookingPurpose.allCases.map { ($0.rawValue, $0.label) }, selected: f.purpose, error: err("purpose")))
            \(Console.field("居民公民身份号码", name: "id_number", value: f.id_number, error: err("resident_id"), hint: "居民预约时填写", extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Console.field("备注", name: "note", value: f.note, error: err("note"), extra: "maxlength=\"200\""))
            <button type="submit">预约</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>\(v.title)</h1>
            <p>\(v.communityName ?? v.communityCode) · \(v.owner.label) · \(v.address) · 容纳\(v.capacity)人 · \(v.free ? "免费" : (v.fee ?? "收费"))\(v.open ? Markup.empty : " <span class=\"badge red\">暂停开放</span>")</p>
            <p>开放时间：\(v.weeklyHours.label)</p>
            \(facility.map { f -> Markup in "<p>所在设施：<a href=\"/console/facilities/\(f.id)\">\(f.name)</a>（\(f.kind.label)）</p>" }.orEmpty)
            \(manage ? "<p><a href=\"/console/life/venues/\(v.id)/edit\">修改场地信息</a></p>" : Markup.empty)
            <h2>本周预约</h2>
            \(LifeCalendar.weekNav("/console/life/venues/\(v.id)", monday: monday))
            \(week)
            <p class="muted">近\(LifeRules.noShowWindow)天内爽约\(LifeRules.noShowLimit)次的居民，自最后一次爽约起\(LifeRules.noShowPause)天内不能预约。</p>
            \(form)
            """
        return Console.page(req, user, title: v.title, crumbs: Self.crumbs + [Crumb(v.title)], body: body, status: status)
    }

    func book(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(BookForm.self)) ?? BookForm()
        try req.checkCSRF(user, form.csrf)
        guard let v = try await req.life.venue(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("场地") }
        do {
            var resident: UUID?
            if form.purpose != BookingPurpose.activity.rawValue, let number = form.id_number?.trimmingCharacters(in: .whitespaces), !number.isEmpty {
                let linli = req.application.linli
                guard number.count <= 18, let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: number, in: req.registryScope) else {
                    throw RegistryError.invalid([FieldError("resident_id", "本辖区没有这个公民身份号码的居民")])
                }
                resident = r.id
            }
            let body = LifeService.BookingBody(day: form.day, start: form.start, end: form.end, purpose: form.purpose, residentId: resident, note: form.note)
            _ = try await req.life.book(v.id, try LifeService.bookingRequest(body, resident: false), by: req.lifeActor)
            return req.redirect(to: "/console/life/venues/\(v.id)?week=\(form.day ?? "")", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderVenue(req, user, v, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderVenue(req, user, v, form: form, errors: [e], status: .conflict)
        }
    }

    /// The area's bookings of one day (`day`, today by default) across its venues, with the worker's actions.
    func bookings(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        let q = req.life, today = q.localToday
        let asked = req.formQuery("day").flatMap { $0.count <= 10 ? CivilDate($0) : nil }.flatMap { (2000...2100).contains($0.year) ? $0 : nil }
        let day = asked ?? today
        let page = try await q.bookings(in: try req.narrowedScope(), day: day, page: req.consolePage(perPage: 50))
        let now = Int64(req.application.linli.now().timeIntervalSince1970), manage = user.may(.lifeManage)
        let rows = page.items.map { b -> [Markup] in
            var action = Markup.empty
            if manage, b.status == .booked {
                let path = b.startsAt > now ? "cancel" : "no-show", label = b.startsAt > now ? "取消" : "标记爽约"
                action = "<form method=\"post\" action=\"/console/life/bookings/\(b.id)/\(path)\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\" class=\"secondary\">\(label)</button></form>"
            }
            return [Markup.text("\(LifeTime.clock(b.startMin))–\(LifeTime.clock(b.endMin))"), "<a href=\"/console/life/venues/\(b.venueId)?week=\(b.day)\">\(b.venueName ?? "")</a>",
                    b.purpose == .activity ? "社区活动" : Markup.text(b.residentMasked ?? "居民"), LifeCalendar.status(b), action]
        }
        let body: Markup = """
            <h1>\(day.description) 场地预约</h1>
            <form method="get" action="/console/life/bookings"><label>日期 <input type="date" name="day" value="\(day.description)"></label> <button type="submit">查看</button></form>
            <p><a href="/console/life/bookings?day=\(day.adding(days: -1).description)">前一天</a> · <a href="/console/life/bookings?day=\(day.adding(days: 1).description)">后一天</a></p>
            \(Console.table(["时段", "场地", "预约人", "状态", ""], rows, empty: "这一天没有预约"))
            \(Console.pager(page, path: "/console/life/bookings", query: [("day", day.description), ("division", req.formQuery("division"))]))
            """
        return Console.page(req, user, title: "场地预约", crumbs: Self.crumbs + [Crumb("场地预约")], body: body)
    }

    struct ActionForm: Content { var csrf: String? }

    func cancel(req: Request) async throws -> Response { try await change(req, noShow: false) }
    func noShow(req: Request) async throws -> Response { try await change(req, noShow: true) }

    func change(_ req: Request, noShow: Bool) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let form = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        let b = noShow ? try await req.life.markNoShow(id, by: req.lifeActor) : try await req.life.cancel(id, by: req.lifeActor)
        return req.redirect(to: "/console/life/venues/\(b.venueId)?week=\(b.day)", redirectType: .normal)
    }
}
