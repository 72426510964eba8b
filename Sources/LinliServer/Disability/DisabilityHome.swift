import Foundation
import LinliCore
import LinliData
import Vapor

/// 助残康复 on the home page: new card holders past 30 days without a needs assessment ("出现一个、扶助一个").
enum DisabilityHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.disabilityRead) else { return HomeContribution() }
        let overdue = try await req.disability.overdueCount(in: req.registryScope)
        let todo: Markup = """
            <section aria-labelledby="disability-h"><h2 id="disability-h">助残康复</h2>
            <div class="tiles">
              \(HomePage.todoTile("逾期未做需求评估的新持证人", overdue, "/console/disability?overdue=true", "red"))
            </div></section>
            """
        return HomeContribution(todo: [todo], links: ["<li><a href=\"/console/disability\">助残康复（残疾人证、需求评估、康复服务）</a></li>"])
    }
}
