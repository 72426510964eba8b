import Foundation
import LinliCore
import LinliData
import Vapor

/// 居务公开 on the home page: ledger entries waiting for the street's approval, and the way in; for a
/// resident, the portal's 居务公开.
enum DisclosureHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/public\">居务公开</a></li>"]) }
        guard user.may(.disclosureRead) else { return HomeContribution() }
        var home = HomeContribution(links: ["<li><a href=\"/console/disclosure\">居务公开（四个公开、财务收支）</a></li>"])
        if user.may(.disclosureApprove) {
            let n = try await req.disclosure.pendingCount(in: req.registryScope)
            home.todo = ["""
                <section aria-labelledby="disclosure-h"><h2 id="disclosure-h">居务公开</h2>
                <div class="tiles">\(HomePage.todoTile("待审核的收支账目", n, "/console/disclosure/pending", "yellow"))</div></section>
                """]
        }
        return home
    }
}
