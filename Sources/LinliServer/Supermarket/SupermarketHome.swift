import Foundation
import LinliCore
import LinliData
import Vapor

/// 爱心超市 on the home page: the way in; for a resident, their own points and the portal's list.
enum SupermarketHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident {
            return HomeContribution(links: ["<li><a href=\"/points\">我的爱心积分</a></li>", "<li><a href=\"/notices/supermarkets\">爱心超市</a></li>"])
        }
        guard user.may(.supermarketRead) else { return HomeContribution() }
        return HomeContribution(links: ["<li><a href=\"/console/supermarket\">爱心超市（物品库存、柜台兑换、爱心积分）</a></li>"])
    }
}
