import Foundation
import LinliCore
import LinliData
import Vapor

/// 社区大型液晶屏 and 多媒体便民服务亭: a page per community without sign-in, in large type, that moves through its
/// panels — the community's current public notices (居务公开), upcoming activities, today's free venue times,
/// and a few figures — each reloading to the next with `<meta http-equiv="refresh">` (no script). Nothing
/// personal: notices as published, activities and venues by their own names, counts.
struct LifeScreenPages {
    func boot(_ routes: Routes) {
        routes.get("screen", ":community", needs: .open, use: screen)
        routes.get("assets", "screen.css", needs: .open, use: stylesheet)
    }

    static let panels = 4
    static let seconds = 15

    func screen(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("community"), let code = try? DivisionCode(raw), code.level == .community,
              let c = try await DivisionQueries(req.db).find(code: code.value) else { throw RegistryError.notFound("村/社区") }
        let panel = min(max(0, Int(req.formQuery("panel")?.prefix(3) ?? "") ?? 0), Self.panels - 1)
        let next = (panel + 1) % Self.panels
        let head: Markup = "<meta http-equiv=\"refresh\" content=\"\(Self.seconds); url=/screen/\(c.code)?panel=\(next)\"><link rel=\"stylesheet\" href=\"/assets/screen.css\">"
        let content: Markup
        switch panel {
        case 0: content = try await notices(req, c)
        case 1: content = try await activities(req, c)
        case 2: content = try await venues(req, c)
        default: content = try await figures(req, c)
        }
        let dots = (0..<Self.panels).map { i -> Markup in i == panel ? "<b>●</b>" : "○" }
        let body: Markup = """
            <main class="screen-panel">
            <header><span>\(c.name)</span><span>\(req.life.localToday.description)</span></header>
            \(content)
            <footer>\(dots.joined(separator: " "))</footer>
            </main>
            """
        return HTML.page(title: c.name + "社区信息屏", body: body, head: head)
    }

    func notices(_ req: Request, _ c: DivisionRecord) async throws -> Markup {
        let current = try await req.disclosure.notices(of: c.code, current: true, page: PageRequest(page: 1, perPage: 5)).items
        guard let first = current.first else { return "<h1>居务公开</h1><p>目前没有公开中的信息。</p>" }
        let lead = first.body.count > 160 ? String(first.body.prefix(160)) + "……" : first.body
        let more = current.dropFirst().map { n -> Markup in "<li>\(n.kind.label) · \(n.title)</li>" }
        return """
            <h1>居务公开</h1>
            <h2>\(first.title)</h2>
            <p>\(lead)</p>
            \(more.isEmpty ? Markup.empty : "<ul>\(more)</ul>")
            <p class="small">全文见社区公开栏或邻里门户“居务公开”</p>
            """
    }

    func activities(_ req: Request, _ c: DivisionRecord) async throws -> Markup {
        let upcoming = try await req.life.upcomingActivities(community: c.code, limit: 5)
        let items = upcoming.map { a -> Markup in "<li><b>\(a.title)</b><br><span class=\"small\">\(a.kind.label) · \(a.when) · \(a.place ?? "") · 余\(a.placesLeft)个名额</span></li>" }
        return """
            <h1>近期活动</h1>
            \(items.isEmpty ? "<p>近期暂无活动。</p>" : "<ul>\(items)</ul>")
            <p class="small">报名请到社区或登录邻里门户“社区活动”</p>
            """
    }

    func venues(_ req: Request, _ c: DivisionRecord) async throws -> Markup {
        let q = req.life, today = q.localToday, weekday = LifeTime.weekday(today)
        let now = LifeTime.local(Int64(req.application.linli.now().timeIntervalSince1970)).minute
        var items: [Markup] = []
        for v in try await q.publicVenues(community: c.code).prefix(6) {
            guard let span = v.weeklyHours.span(on: weekday) else { items.append("<li><b>\(v.title)</b> 今日不开放</li>"); continue }
            let booked = try await q.bookings(of: v.id, from: today, to: today, activeOnly: true).map { ($0.startMin, $0.endMin) }
            if now >= span.to { items.append("<li><b>\(v.title)</b> 今日开放时间已过</li>"); continue }
            let free = LifeRules.freeSpans(from: max(span.from, now - now % 30), to: span.to, booked: booked)
            let text = free.isEmpty ? "今日已约满" : "空闲 " + free.map { "\(LifeTime.clock($0.start))–\(LifeTime.clock($0.end))" }.joined(separator: "、")
            items.append("<li><b>\(v.title)</b><br><span class=\"small\">\(text)</span></li>")
        }
        return """
            <h1>今日开放场地</h1>
            \(items.isEmpty ? "<p>本社区暂无登记开放的场地。</p>" : "<ul>\(items)</ul>")
            <p class="small">辖区单位文体科普设施向社区居民免费开放，网上预约请登录邻里门户</p>
            """
    }

    func figures(_ req: Request, _ c: DivisionRecord) async throws -> Markup {
        let today = req.life.localToday
        let f = try await req.life.summary(in: RegistryScope(validatedCode: c.code), year: today.year, month: today.month).first
        return """
            <h1>\(today.year)年社区生活</h1>
            <div class="figures">
            <p><b>\(f?.venues ?? 0)</b>处开放场地</p>
            <p><b>\(f?.activitiesHeld ?? 0)</b>场社区活动</p>
            <p><b>\(f?.attendance ?? 0)</b>人次参加</p>
            <p><b>\(String(format: "%.0f", Double(f?.minutesMonth ?? 0) / 60))</b>小时本月场地预约</p>
            </div>
            """
    }

    func stylesheet(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: Self.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    /// Large type for a room (1920×1080 landscape) that also fits a kiosk standing in portrait; served from
    /// here since pages allow only the site's own stylesheets.
    static let css = """
        html, body { margin: 0; background: #0b3d2e; color: #fff; }
        .screen-panel { box-sizing: border-box; min-height: 100vh; padding: 4vh 5vw; font-size: clamp(22px, 3.4vw, 64px); line-height: 1.5; display: flex; flex-direction: column; }
        .screen-panel header, .screen-panel footer { display: flex; justify-content: space-between; font-size: .6em; color: #cde; }
        .screen-panel footer { margin-top: auto; justify-content: center; letter-spacing: .4em; }
        .screen-panel h1 { font-size: 1.5em; margin: .3em 0; color: #ffd666; }
        .screen-panel h2 { font-size: 1.1em; margin: .2em 0; }
        .screen-panel ul { list-style: none; padding: 0; margin: 0; }
        .screen-panel li { margin: .35em 0; border-bottom: 1px solid rgba(255,255,255,.2); padding-bottom: .25em; }
        .screen-panel .small { font-size: .65em; color: #dde; }
        .screen-panel .figures { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
        .screen-panel .figures b { display: block; font-size: 2em; color: #ffd666; }
        @media (orientation: portrait) { .screen-panel { font-size: clamp(20px, 5.2vw, 64px); } .screen-panel .figures { grid-template-columns: 1fr; } }
        """
}
