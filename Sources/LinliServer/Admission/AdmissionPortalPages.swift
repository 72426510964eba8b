import Foundation
import LinliCore
import LinliData
import Vapor

/// The portal's 准入清单 (no sign-in): the tasks admitted into the communities, with department, kind, basis,
/// communities, period and what comes with each (人随事转、费随事转、权随事转). A list of cards, not a wide
/// table, so it reads at 360 px; the print stylesheet drops the navigation.
struct AdmissionPortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "admission", needs: .open, use: list)
    }

    func list(req: Request) async throws -> Response {
        let q = req.admission
        let page = try await q.list(page: req.consolePage(perPage: 50))
        let names = try await q.departmentNames(), counts = try await q.communityCounts(of: page.items.map(\.id))
        let streets = Dictionary(try await DivisionQueries(req.db).all(in: .everything, level: .street).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let items = page.items.map { t -> Markup in
            let reach: String
            switch t.reach {
            case .district: reach = "全区村/社区"
            case .street: reach = "\(t.streetCode.flatMap { streets[$0] } ?? "")所属村/社区（\(counts[t.id] ?? 0)个）"
            case .list: reach = "指定的\(counts[t.id] ?? 0)个村/社区"
            }
            return """
                <li class="card"><h2>\(t.title)</h2>
                <p><strong>\(names[t.departmentCode] ?? t.departmentCode)</strong> · \(t.kind.label) · \(t.frequency.label)</p>
                <p>\(t.content)</p>
                <p><small>依据：\(t.basis)</small></p>
                <p><small>适用：\(reach)；准入期限：\(t.validFrom) 至 \(t.validTo)</small></p>
                <p><small>人随事转：\(t.staff.isEmpty ? "无" : t.staff)；费随事转：每个村/社区每年\(DisclosureRules.yuan(t.fundsFen))元；权随事转：\(t.power.isEmpty ? "无" : t.power)</small></p>
                \(t.note.map { "<p><small>准入条件：\($0)</small></p>" as Markup }.orEmpty)
                </li>
                """
        }
        let body: Markup = """
            <h1>行政事务进社区准入清单</h1>
            <p>按照规划“严格实行行政事务进社区审批准入制度，对‘人随事转、费随事转、权随事转’的执行情况进行严格监督，精简条线的检查考核和牌子增挂”，区级部门需要村（社区）承担的工作事项，经区民政部门初审、社区减负工作领导小组审定后列入本清单。清单以外的事项，村（社区）有权拒绝。</p>
            <p>共 \(page.total) 项。本页可直接打印张贴。</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无准入事项。</p>" as Markup : "<ul class=\"cards\">\(items)</ul>")
            \(Console.pager(page, path: "/notices/admission", query: []))
            """
        return PortalPages.page(req, title: "准入清单", body: body)
    }
}
