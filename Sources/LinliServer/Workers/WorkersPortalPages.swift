import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: who serves a community — the committee and the workers, with post, full name and title,
/// as communities publish them on their notice boards (decision 0027). No phone, no ID number, no appraisal.
/// Without a community: the communities to choose from.
struct WorkersPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "workers", needs: .open, use: list)
    }

    func list(req: Request) async throws -> Response {
        let dq = DivisionQueries(req.db)
        guard let code = req.formQuery("community") else {
            let communities = try await dq.all(level: .community)
            let links = communities.map { c -> Markup in "<li><a href=\"/notices/workers?community=\(c.code)\">\(c.name)</a></li>" }
            return PortalPages.page(req, title: "社区工作者", body: """
                <h1>社区工作者</h1><p>选择村（社区），查看为您服务的社区“两委”成员和社区工作者。</p><ul>\(links)</ul>
                """)
        }
        guard code.count == 12, code.allSatisfy(\.isNumber), let community = try await dq.find(code: code), community.level == .community else {
            return PortalPages.page(req, title: "社区工作者", body: "<h1>社区工作者</h1><p class=\"empty\">没有这个村（社区）。<a href=\"/notices/workers\">返回选择</a></p>",
                                    status: .notFound)
        }
        let workers = try await req.workers.publicList(community: community.code)
        // One block per person, not a table: residents read it on their phones.
        let items = workers.map { w -> Markup in
            let extra = [w.title, w.qualification?.label].compactMap { $0 }.joined(separator: " · ")
            return "<li><b>\(w.post.label)</b> \(w.name)\(extra.isEmpty ? Markup.empty : "<br><small>\(extra)</small>")</li>"
        }
        let body: Markup = """
            <h1>\(community.name) 社区工作者</h1>
            <p>为您服务的社区“两委”成员、社工和网格员。有事请到社区服务中心找他们，或在首页“反映问题”提交。</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无登记的社区工作者。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            <p><a href="/notices/workers">其他村（社区）</a></p>
            """
        return PortalPages.page(req, title: "\(community.name) 社区工作者", body: body)
    }
}
