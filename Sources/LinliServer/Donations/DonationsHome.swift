import Foundation
import LinliCore
import LinliData
import Vapor

/// 捐赠物资接收点 on the home page: how many communities of the area have a working point, and the way in; for a
/// resident, the portal's list of points.
enum DonationsHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/donations\">捐赠物资接收点</a></li>"]) }
        guard user.may(.donationsRead) else { return HomeContribution() }
        let c = try await req.donations.coverage(in: req.registryScope)
        let tone = c.working < c.communities ? "yellow" : ""
        return HomeContribution(figures: ["<div class=\"tile \(tone)\"><span>有在运行捐赠接收点的村/社区</span><b>\(c.working) / \(c.communities)</b></div>"],
                                links: ["<li><a href=\"/console/donations\">捐赠物资接收点（接收、库存、发放台账）</a></li>"])
    }
}
