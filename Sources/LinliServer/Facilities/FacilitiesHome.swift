import Foundation
import LinliCore
import LinliData
import Vapor

/// 设施与服务圈 on the home page: for street and district officers, the communities whose 10-minute circle covers
/// fewer than `threshold` per cent of their residents (from the snapshot); for everyone with the register, the way in.
enum FacilitiesHome {
    static let threshold = 80.0

    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/nearby\">身边的服务设施</a></li>"]) }
        guard user.may(.facilitiesRead) else { return HomeContribution() }
        var home = HomeContribution(links: ["<li><a href=\"/console/facilities\">设施台账与服务圈覆盖</a></li>"])
        if user.role == .streetOfficer || user.role == .districtOfficer {
            let rows = try await req.facilitiesCoverage.rows(prefix: req.registryScope.prefix, kind: CoverageRow.circleKey(.ten))
            let low = rows.filter { ($0.share.residentsPercent ?? 100) < threshold }.count
            home.todo = ["""
                <section aria-labelledby="facilities-h"><h2 id="facilities-h">10分钟生活圈</h2>
                <div class="tiles">\(HomePage.todoTile("覆盖不足\(Int(threshold))%的社区", low, "/console/facilities/coverage", "yellow"))</div></section>
                """]
        }
        return home
    }
}
