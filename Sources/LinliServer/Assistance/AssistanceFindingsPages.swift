import Foundation
import LinliCore
import LinliData
import NIOConcurrencyHelpers
import Vapor

/// `/console/assistance/findings`: the people the finding rules point at, rule by rule, each with why and a
/// small form to record what was done. A list rather than a table, so a phone shows it at 360 px.
struct AssistanceFindingsPages {
    static let path = "/console/assistance/findings"
    static let crumbs = [Crumb("工作台", "/console"), Crumb("社会救助", "/console/assistance"), Crumb("主动发现")]

    func boot(_ routes: Routes) {
        let findings = routes.grouped("console", "assistance", "findings")
        findings.get(needs: .permission(.assistanceRead), use: list)
        findings.post("marks", needs: .permission(.assistanceWrite), use: mark)
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceRead)
        let rule = req.formQuery("rule").flatMap(FindingRules.rule)
        let hits = try await req.assistanceFindings.hits(in: req.registryScope, record: true)
        let shown = rule.map { r in hits.filter { $0.rule == r } } ?? hits
        let page = req.consolePage(perPage: 30)
        let items = Array(shown.dropFirst(page.offset).prefix(page.perPage))
        let counts = Dictionary(grouping: hits, by: \.rule.code).mapValues(\.count)
        let filters = ([("全部", nil, hits.count)] + FindingRules.all.map { ($0.name, Optional($0.code), counts[$0.code] ?? 0) })
            .map { (label: String, code: String?, n: Int) -> Markup in
                let href = code.map { "\(Self.path)?rule=\($0)" } ?? Self.path
                return code == rule?.code ? "<b>\(label)（\(n)）</b>" : "<a href=\"\(href)\">\(label)（\(n)）</a>"
            }
        let cards = items.enumerated().map { i, h in Self.card(h, index: i, user: user, back: req.url.string) }
        let body: Markup = """
            <h1>主动发现</h1>
            \(AssistancePages.tabs(Self.path, user))
            <p>按规则从户籍、照护评估和诉求中找出可能符合救助条件、但尚未纳入救助的居民。登记处理结果后，除非情况变化，不再列出。</p>
            <p class="tabs">\(filters.joined(separator: " · "))</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无待处理的线索</p>" : "<ul class=\"findings\">\(cards.joined())</ul>")
            \(Console.pager(ResultPage(items: items, total: shown.count, page: page.page, perPage: page.perPage), path: Self.path,
                            query: [("rule", rule?.code)]))
            """
        return Console.page(req, user, title: "主动发现", crumbs: Self.crumbs, body: body)
    }

    static func card(_ h: FindingHit, index i: Int, user: WebUser, back: String) -> Markup {
        let apply = "/console/assistance/new?household=\(h.householdId.uuidString.lowercased())&kind=\(h.rule.suggests.rawValue)"
        let options = FindingOutcome.allCases.map { (o: FindingOutcome) -> Markup in "<option value=\"\(o.rawValue)\">\(o.label)</option>" }
        let form: Markup = user.may(.assistanceWrite) ? """
            <details><summary>登记处理结果</summary>
            <form method="post" action="\(path)/marks">\(Console.csrfField(user))
              <input type="hidden" name="rule" value="\(h.rule.code)">
              <input type="hidden" name="resident_id" value="\(h.residentId.uuidString.lowercased())">
              <input type="hidden" name="back" value="\(back)">
              <label for="o-\(i)">处理结果</label> <select id="o-\(i)" name="outcome">\(options.joined())</select>
              <label for="r-\(i)">原因（不符合条件时必填）</label> <input id="r-\(i)" name="reason" maxlength="500">
              <button type="submit">登记</button>
            </form></details>
            <p><a href="\(apply)">为该户申请\(h.rule.suggests.shortLabel)</a></p>
            """ : .empty
        return """
            <li><p><span class="badge">\(h.rule.name)</span> <b>\(h.maskedName)</b> \(h.idMasked) · 网格 \(h.gridCode)</p>
            <p>\(h.why)</p>
            <p><small>建议：\(h.rule.suggests.label)\(h.firstSeenOn.map { "；首次发现：\($0)" } ?? "")</small></p>
            \(form)</li>
            """
    }

    func mark(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceWrite)
        let f = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, f["csrf"])
        _ = try await req.assistanceFindings.mark(rule: f["rule"], resident: f["resident_id"].flatMap(UUID.init(uuidString:)),
                                                  outcome: f["outcome"], reason: f["reason"], by: req.assistanceActor)
        req.application.findingCounts.clear()
        let back = f["back"].flatMap { $0.hasPrefix(Self.path) && !$0.contains("//") ? $0 : nil } ?? Self.path
        return req.redirect(to: back, redirectType: .normal)
    }
}

/// 主动发现's part of the home page.
enum AssistanceFindingsHome {
    /// The hits in the caller's scope not yet handled, with a link to them. Running every rule over a district
    /// takes tens of milliseconds, so the home page's count is kept for two minutes (the list itself is always fresh).
    static func todo(_ req: Request) async throws -> Markup {
        let scope = req.registryScope
        let n = try await req.application.findingCounts.count(scope.prefix, now: req.application.linli.now()) {
            try await req.assistanceFindings.hits(in: scope).count
        }
        return """
            <section aria-labelledby="findings-h"><h2 id="findings-h">主动发现</h2>
            <div class="tiles">\(HomePage.todoTile("待处理的主动发现线索", n, AssistanceFindingsPages.path, "yellow"))</div></section>
            """
    }
}

/// The home page's count of unhandled hits per scope, for two minutes; a recorded outcome clears it.
final class FindingCountCache: Sendable {
    static let lifetime: TimeInterval = 120
    private let counts = NIOLockedValueBox<[String: (count: Int, at: Date)]>([:])

    func count(_ scope: String, now: Date, compute: () async throws -> Int) async throws -> Int {
        if let c = counts.withLockedValue({ $0[scope] }), now.timeIntervalSince(c.at) < Self.lifetime, now >= c.at { return c.count }
        let n = try await compute()
        counts.withLockedValue { $0[scope] = (n, now) }
        return n
    }

    func clear() { counts.withLockedValue { $0 = [:] } }
}

extension Application {
    struct FindingCountCacheKey: StorageKey { typealias Value = FindingCountCache }
    /// Made when the routes are declared (before the server answers), so reads never race to create it.
    var findingCounts: FindingCountCache {
        get { storage[FindingCountCacheKey.self] ?? FindingCountCache() }
        set { storage[FindingCountCacheKey.self] = newValue }
    }
}
