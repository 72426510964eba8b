import Foundation
import LinliCore
import LinliData
import Vapor

/// 换届选举 on the home page: objections to a published roll waiting for the community's answer, elections
/// under way, and the way in; for a resident, the portal's 选举公告.
enum ElectionsHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/elections\">选举公告</a></li>"]) }
        guard user.may(.electionsRead) else { return HomeContribution() }
        let f = try await req.elections.homeFigures(in: req.registryScope)
        var home = HomeContribution(figures: ["<div class=\"tile\"><span>进行中的换届选举</span><b>\(f.underWay)</b></div>"],
                                    links: ["<li><a href=\"/console/elections\">换届选举（选民名单、候选人、计票）</a></li>"])
        if user.may(.electionsWrite) {
            home.todo = ["""
                <section aria-labelledby="elections-h"><h2 id="elections-h">换届选举</h2>
                <div class="tiles">\(HomePage.todoTile("待答复的选民名单异议", f.unanswered, "/console/elections", "red"))</div></section>
                """]
        }
        return home
    }
}
