import Foundation
import LinliCore
import LinliData
import Vapor

/// 社区生活 on the home page: today's bookings and activities of the area and the way in; for a resident, the
/// portal's page of their community.
enum LifeHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/life\">社区活动与场地预约</a></li>"]) }
        guard user.may(.lifeRead) else { return HomeContribution() }
        let t = try await req.life.todayCounts(in: req.registryScope)
        var todo: [Markup] = []
        if user.may(.lifeAwards) {
            let n = try await req.life.nominationsToDecide(in: req.registryScope)
            if n > 0 { todo.append("<a class=\"tile yellow\" href=\"/console/life/awards\"><span>公示期满待评定的推荐</span><b>\(n)</b></a>") }
        }
        return HomeContribution(todo: todo, figures: ["<a class=\"tile\" href=\"/console/life/bookings\"><span>今日场地预约 / 社区活动</span><b>\(t.bookings) / \(t.activities)</b></a>"],
                                links: ["<li><a href=\"/console/life\">社区生活（场地预约、社区活动）</a></li>"])
    }
}
