import Foundation
import LinliCore
import LinliData
import Vapor

/// 事项准入 on the home page: applications waiting for the reviewer's step (初审 or 审定), and the way in; for a
/// resident, the portal's 准入清单.
enum AdmissionHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/admission\">行政事务进社区准入清单</a></li>"]) }
        guard user.may(.admissionRead) else { return HomeContribution() }
        var home = HomeContribution(links: ["<li><a href=\"/console/admission\">行政事务进社区准入（申请、审核、准入清单）</a></li>"])
        var tiles: [Markup] = []
        if user.may(.admissionReview) {
            tiles.append(HomePage.todoTile("待初审的准入申请", try await req.admission.waitingCount(for: .submitted), "/console/admission", "yellow"))
        }
        if user.may(.admissionDecide) {
            tiles.append(HomePage.todoTile("待审定的准入申请", try await req.admission.waitingCount(for: .reviewed), "/console/admission", "yellow"))
        }
        if !tiles.isEmpty {
            home.todo = ["""
                <section aria-labelledby="admission-h"><h2 id="admission-h">事项准入</h2><div class="tiles">\(tiles)</div></section>
                """]
        }
        return home
    }
}
