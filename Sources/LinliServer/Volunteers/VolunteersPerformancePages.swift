import Foundation
import LinliCore
import LinliData
import Vapor

/// 志愿者服务绩效 for street and district officers (and the community): the last 12 months' hours as bars, each
/// community's registrations, activities and hours this year, the teams by hours, and the signed volunteers with no
/// service in 12 months. Read from the monthly figures and the totals kept with the writes: no scan of the hours.
struct VolunteersPerformancePages {
    func boot(_ routes: Routes) {
        routes.get("console", "volunteers", "performance", needs: .permission(.volunteersRead), use: page)
    }

    func page(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        let scope = try req.narrowedScope(), q = req.volunteers, today = req.application.linli.today()
        let first = CivilDate(year: today.month == 12 ? today.year : today.year - 1, month: today.month == 12 ? 1 : today.month + 1, day: 1)!
        let from = String(first.description.prefix(7)), to = String(today.description.prefix(7))
        let months = try await q.months(in: scope, from: from, to: to)
        var bars: [(label: String, value: Double)] = []
        var m = first
        for _ in 0..<12 {
            let key = String(m.description.prefix(7))
            let minutes = months.first { $0.month == key }?.minutes ?? 0
            bars.append((label: "\(m.year % 100)年\(m.month)月", value: (Double(minutes) / 6).rounded() / 10))
            m = CivilDate(year: m.month == 12 ? m.year + 1 : m.year, month: m.month == 12 ? 1 : m.month + 1, day: 1)!
        }
        let yearFrom = String(format: "%04d-01", today.year)
        let communities = try await q.communities(in: scope, from: yearFrom, to: to)
        let communityRows = communities.map { c -> [Markup] in
            [Markup.text(c.name), Markup.text(String(c.registrations)), Markup.text(String(c.activities)), Markup.text(VolunteerRules.hoursText(c.minutes))]
        }
        let names = Dictionary(communities.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let teams = try await q.teams(in: scope, page: PageRequest(page: 1, perPage: 10)).items.map { t -> [Markup] in
            [Markup.text(t.name), Markup.text(names[t.communityCode] ?? t.communityCode), Markup.text(t.kind.label), Markup.text(String(t.members)),
             Markup.text(VolunteerRules.hoursText(t.minutes))]
        }
        let inactive = try await q.inactive(in: scope, since: today.adding(days: -365), page: req.consolePage(perPage: 20))
        let inactiveRows = inactive.items.map { v -> [Markup] in
            ["<a href=\"/console/volunteers/\(v.id)\">\(Masking.name(v.name))</a>", Markup.text(v.communityName ?? v.communityCode),
             Markup.text(v.signedOn ?? "—"), Markup.text(v.lastServedOn ?? "从未")]
        }
        let body: Markup = """
            <h1>志愿者服务绩效</h1>
            <p class="muted">强化志愿者服务绩效管理：服务时长为组织者核实（含更正）的时长，按服务日期计入月份。</p>
            \(SVGChart.bar(title: "近12个月服务时长", items: bars, unit: "小时"))
            <h2>本年各村/社区</h2>
            \(Console.table(["村/社区", "新注册", "活动", "服务时长"], communityRows, empty: "本年尚无记录"))
            <h2>服务队（按累计时长）</h2>
            \(Console.table(["服务队", "村/社区", "类型", "队员", "累计时长"], teams, empty: "尚无服务队"))
            <h2>近12个月未参加服务的已签约志愿者（\(inactive.total)人）</h2>
            \(Console.table(["姓名", "村/社区", "签约日期", "最近服务"], inactiveRows, empty: "没有"))
            \(Console.pager(inactive, path: "/console/volunteers/performance", query: [("division", req.formQuery("division"))]))
            """
        return Console.page(req, user, title: "志愿者服务绩效", crumbs: VolunteersPages.crumbs + [Crumb("服务绩效")], body: body)
    }
}
