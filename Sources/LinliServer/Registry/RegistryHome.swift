import Foundation
import LinliCore
import LinliData
import Vapor

/// The registry's part of the home page: the area's population figures and the registry's links.
enum RegistryHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.registryRead) else { return HomeContribution() }
        let stats = try await RegistryStats.compute(on: req.db, in: req.registryScope, today: req.application.linli.today())
        var tiles = [("居民", stats.residents), ("户", stats.households), ("60岁以上老人", stats.residentsAged60Plus),
                     ("楼栋", stats.buildings), ("网格", stats.grids)]
        if stats.communities > 1 { tiles.append(("社区", stats.communities)) }
        var part = HomeContribution(figures: tiles.map { HomePage.figure($0.0, String($0.1)) })
        part.links.append("<li><a href=\"/console/residents\">查找居民（姓名、拼音首字母或身份证号）</a></li>")
        if user.may(.registryWrite) { part.links.append("<li><a href=\"/console/residents/new\">登记居民（含出生登记）</a></li>") }
        return part
    }
}
