import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: a community's venues and activities (readable without signing in; nothing personal —
/// a booked slot shows only "已约"), a venue's week with its free slots, and for a signed-in resident whose
/// account is linked to the registry (实名核验, on /volunteer) booking, cancelling their own bookings and signing
/// up for activities. An unlinked resident is sent to link first.
struct LifePortalPages {
    func boot(_ routes: Routes) {
        routes.get("life", needs: .open, use: home)
        routes.get("life", "venues", ":id", needs: .open, use: venue)
        routes.post("life", "venues", ":id", "book", needs: .permission(.lifeOwn), use: book)
        routes.get("life", "mine", needs: .permission(.lifeOwn), use: mine)
        routes.post("life", "mine", ":id", "cancel", needs: .permission(.lifeOwn), use: cancel)
        routes.post("life", "activities", ":id", "signup", needs: .permission(.lifeOwn), use: signUp)
    }

    /// The community asked for (`community`), else the signed-in user's, else the first of the district.
    func community(_ req: Request) async throws -> DivisionRecord? {
        let asked = req.formQuery("community") ?? req.principal.map { String($0.account.divisionCode.prefix(12)) }
        if let asked, asked.count == 12, let d = try await DivisionQueries(req.db).find(code: asked), d.level == .community { return d }
        return try await DivisionQueries(req.db).all(level: .community).first
    }

    func home(req: Request) async throws -> Response {
        let user = req.principal == nil ? nil : try? req.webUser()
        guard let c = try await community(req) else { throw RegistryError.notFound("村/社区") }
        let venues = try await req.life.publicVenues(community: c.code)
        let activities = try await req.life.upcomingActivities(community: c.code)
        let me = user?.may(.lifeOwn) == true ? try await req.linkedResident() : nil
        var mine: Set<UUID> = []
        if let me { mine = try await req.life.ownActivities(of: me.id) }
        let venueItems = venues.map { v -> Markup in
            "<li><a href=\"/life/venues/\(v.id)\"><b>\(v.title)</b></a> \(v.free ? "<span class=\"badge\">免费</span>" : Markup.text(v.fee ?? "收费"))<br>\(v.address) · 容纳\(v.capacity)人<br>\(v.weeklyHours.label)</li>"
        }
        let activityItems = activities.map { a -> Markup in
            var action = Markup.empty
            if let user, me != nil {
                action = mine.contains(a.id) ? "<span class=\"badge\">已报名</span>" : a.placesLeft == 0 ? "<span class=\"badge red\">名额已满</span>"
                    : "<form method=\"post\" action=\"/life/activities/\(a.id)/signup\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\">报名</button></form>"
            }
            return "<li><b>\(a.title)</b> <span class=\"muted\">\(a.kind.label)</span><br>\(a.when) · \(a.place ?? "")<br>余\(a.placesLeft)个名额 \(action)</li>"
        }
        let others = try await DivisionQueries(req.db).all(in: RegistryScope(validatedCode: String(c.code.prefix(9)) + "000"), level: .community)
            .filter { $0.code != c.code }.map { d -> Markup in "<a href=\"/life?community=\(d.code)\">\(d.name)</a>" }
        let account: Markup = user?.may(.lifeOwn) == true
            ? (me == nil ? "<p class=\"notice\">预约场地、报名活动前，请先在<a href=\"/volunteer\">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>" : "<p><a href=\"/life/mine\">我的预约</a></p>")
            : "<p class=\"muted\">预约场地、报名活动请先<a href=\"/login\">登录</a>。</p>"
        let body: Markup = """
            <h1>\(c.name) · 社区活动与场地</h1>
            <p>社区和辖区单位的文体科普场地向居民开放，可在网上预约；社区定期举办文化、体育、科普和普法活动，欢迎报名参加。</p>
            \(account)
            <h2>近期活动</h2>
            \(activityItems.isEmpty ? "<p class=\"empty\">近期暂无活动。</p>" : "<ul class=\"timeline\">\(activityItems)</ul>")
            <h2>开放场地</h2>
            \(venueItems.isEmpty ? "<p class=\"empty\">本社区暂无登记开放的场地。</p>" : "<ul class=\"timeline\">\(venueItems)</ul>")
            \(others.isEmpty ? Markup.empty : "<p>同一街道的其他社区：\(others.joined(separator: " · "))</p>")
            """
        return PortalPages.page(req, title: c.name + "社区活动", body: body)
    }

    struct BookForm: Content {
        var csrf: String?
        var day: String?
        var start: String?
        var end: String?
        var note: String?
    }

    func venue(req: Request) async throws -> Response {
        guard let v = try await req.life.venue(try req.pathUUID(), in: nil) else { throw RegistryError.notFound("场地") }
        return try await render(req, v, form: BookForm(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ v: VenueRecord, form f: BookForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ name: String) -> String? { errors.first { $0.field == name }?.message }
        let user = req.principal == nil ? nil : try? req.webUser()
        let q = req.life, today = q.localToday, monday = LifeCalendar.monday(req)
        let bookings = try await q.bookings(of: v.id, from: monday, to: monday.adding(days: 6), activeOnly: true)
        let week = LifeCalendar.week(v, monday: monday, bookings: bookings, today: today) { _ in "已约" }
        var form: Markup = "<p class=\"muted\">预约请先<a href=\"/login\">登录</a>。</p>"
        if let user, user.may(.lifeOwn) {
            if try await req.linkedResident() == nil {
                form = "<p class=\"notice\">预约前，请先在<a href=\"/volunteer\">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>"
            } else {
                form = """
                    <h2>预约</h2>
                    \(Console.formErrors(errors))
                    <form method="post" action="/life/venues/\(v.id)/book">\(Console.csrfField(user))
                    \(Console.field("日期", name: "day", value: f.day ?? today.description, error: err("day"), type: "date", required: true))
                    \(Console.field("开始时间", name: "start", value: f.start, error: err("start"), type: "time", required: true, extra: "step=\"1800\""))
                    \(Console.field("结束时间", name: "end", value: f.end, error: err("end"), type: "time", required: true, extra: "step=\"1800\""))
                    \(Console.field("用途说明", name: "note", value: f.note, error: err("note"), hint: "如“老年合唱队排练”", extra: "maxlength=\"200\""))
                    \(err("resident_id").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)
                    <button type="submit">预约</button></form>
                    <p class="muted">以半小时为单位，一次最多4小时，可预约\(LifeRules.aheadDays)天内的时段；不能按时使用请提前取消。近\(LifeRules.noShowWindow)天内爽约\(LifeRules.noShowLimit)次的，\(LifeRules.noShowPause)天内不能预约。</p>
                    """
            }
        }
        let body: Markup = """
            <h1>\(v.title)</h1>
            <p>\(v.address) · 容纳\(v.capacity)人 · \(v.free ? "免费开放" : (v.fee ?? "收费"))</p>
            <p>开放时间：\(v.weeklyHours.label)</p>
            \(LifeCalendar.weekNav("/life/venues/\(v.id)", monday: monday))
            \(week)
            \(form)
            <p><a href="/life?community=\(v.communityCode)">\(v.communityName ?? "本社区")的活动和场地</a></p>
            """
        return PortalPages.page(req, title: v.title, body: body, status: status)
    }

    func book(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeOwn)
        let form = (try? req.content.decode(BookForm.self)) ?? BookForm()
        try req.checkCSRF(user, form.csrf)
        guard let v = try await req.life.venue(try req.pathUUID(), in: nil) else { throw RegistryError.notFound("场地") }
        do {
            let body = LifeService.BookingBody(day: form.day, start: form.start, end: form.end, note: form.note)
            _ = try await req.life.book(v.id, try LifeService.bookingRequest(body, resident: true), by: try await req.lifeResidentActor())
            return req.redirect(to: "/life/mine", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, v, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, v, form: form, errors: [e], status: .conflict)
        }
    }

    func mine(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeOwn)
        guard let me = try await req.linkedResident() else {
            let body: Markup = "<h1>我的预约</h1><p>查看和预约前，请先在<a href=\"/volunteer\">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>"
            return PortalPages.page(req, title: "我的预约", body: body)
        }
        let now = Int64(req.application.linli.now().timeIntervalSince1970)
        let rows = try await req.life.ownBookings(of: me.id).map { b -> [Markup] in
            let cancel: Markup = b.status == .booked && b.startsAt > now
                ? "<form method=\"post\" action=\"/life/mine/\(b.id)/cancel\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\" class=\"secondary\">取消</button></form>" : Markup.empty
            return [Markup.text(b.venueName ?? ""), Markup.text(b.slot), LifeCalendar.status(b), cancel]
        }
        let pause = try await req.life.bookingPause(of: me.id)
        let body: Markup = """
            <h1>我的预约</h1>
            \(pause.map { "<p class=\"notice\">您近期爽约较多，\($0.description)前暂停预约。</p>" }.orEmpty)
            \(Console.table(["场地", "时段", "状态", ""], rows, empty: "您还没有预约过场地"))
            <p><a href="/life">社区活动与场地</a></p>
            """
        return PortalPages.page(req, title: "我的预约", body: body)
    }

    struct ActionForm: Content { var csrf: String? }

    func cancel(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeOwn)
        let form = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, form.csrf)
        _ = try await req.life.cancel(try req.pathUUID(), by: try await req.lifeResidentActor())
        return req.redirect(to: "/life/mine", redirectType: .normal)
    }

    func signUp(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeOwn)
        let form = (try? req.content.decode(ActionForm.self)) ?? ActionForm()
        try req.checkCSRF(user, form.csrf)
        let a = try await req.life.signUp(try req.pathUUID(), resident: nil, by: try await req.lifeResidentActor())
        return req.redirect(to: "/life?community=\(a.communityCode)", redirectType: .normal)
    }
}
