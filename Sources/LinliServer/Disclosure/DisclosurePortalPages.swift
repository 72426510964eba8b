import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: 居务公开 — each community's notices of the four kinds and its quarterly statements,
/// readable without signing in; a notice's page, its A4 page for the notice board (print stylesheet, @page A4),
/// and a page for the community's screens and kiosks that steps through the current notices by itself
/// (`<meta http-equiv="refresh">`, no script), in large type.
struct DisclosurePortalPages {
    func boot(_ routes: Routes) {
        routes.get("notices", "public", needs: .open, use: communities)
        routes.get("notices", "public", ":community", needs: .open, use: community)
        routes.get("notices", "public", ":community", "screen", needs: .open, use: screen)
        routes.get("notices", "public", ":community", ":id", needs: .open, use: notice)
        routes.get("notices", "public", ":community", ":id", "print", needs: .open, use: printSheet)
        routes.get("notices", "public", ":community", ":id", "files", ":file", needs: .open, use: file)
        routes.get("assets", "notice-board.css", needs: .open, use: stylesheet)
    }

    static let about: Markup = "<p>按照规划“推进政务、事务、财务、服务‘四个公开’，切实保障居民的知情权和监督权”，各村（社区）在此公开政务、事务、财务和服务信息，财务收支按季度公开。对公开内容有疑问的，可向社区居委会或街道反映。</p>"

    func communities(req: Request) async throws -> Response {
        let all = try await DivisionQueries(req.db).all(in: .everything)
        let streets = all.filter { $0.level == .street }
        let byStreet = Dictionary(grouping: all.filter { $0.level == .community }, by: { String($0.code.prefix(9)) })
        let sections = streets.map { s -> Markup in
            let items = (byStreet[String(s.code.prefix(9))] ?? []).map { c -> Markup in "<a href=\"/notices/public/\(c.code)\">\(c.name)</a>" }
            return "<h2>\(s.name)</h2><p class=\"links\">\(items.joined(separator: " · "))</p>"
        }
        let body: Markup = """
            <h1>居务公开</h1>
            \(Self.about)
            <p>请选择镇（街道）下的村（社区）：</p>
            \(sections.isEmpty ? "<p class=\"empty\">暂无村（社区）。</p>" : sections.joined())
            """
        return PortalPages.page(req, title: "居务公开", body: body)
    }

    func division(_ req: Request) async throws -> DivisionRecord {
        try await req.disclosure.community(req.parameters.get("community"), in: .everything)
    }

    func community(req: Request) async throws -> Response {
        let c = try await division(req)
        let q = req.disclosure
        let page = try await q.notices(of: c.code, current: true, page: req.consolePage(perPage: 40))
        let byKind = Dictionary(grouping: page.items, by: \.kind)
        let sections = NoticeKind.allCases.map { k -> Markup in
            let items = (byKind[k] ?? []).map { n -> Markup in
                "<li><a href=\"/notices/public/\(c.code)/\(n.id)\">\(n.title)</a><br><small>\(n.publishOn) 发布\(n.endOn.map { "，公开至 \($0)" } ?? "")</small></li>"
            }
            let list: Markup = items.isEmpty ? "<p class=\"empty\">目前没有公开中的\(k.short)信息。</p>" : "<ul class=\"timeline\">\(items)</ul>"
            return "<h2>\(k.label)</h2>\(list)"
        }
        let statements = try await q.statements(of: c.code).prefix(8).map { s -> Markup in
            "<li><a href=\"/notices/public/\(c.code)/\(s.noticeId)\">\(Quarter(s.quarter)?.label ?? s.quarter)收支公开表</a> · 收入 \(DisclosureRules.yuan(s.incomeFen)) 元，支出 \(DisclosureRules.yuan(s.expenseFen)) 元，期末余额 \(DisclosureRules.yuan(s.closingFen)) 元</li>"
        }
        let body: Markup = """
            <h1>\(c.name) · 居务公开</h1>
            <p><a href="/notices/public/\(c.code)/screen">公开屏展示</a></p>
            \(sections.joined())
            <h2>季度财务收支公开表</h2>
            \(statements.isEmpty ? "<p class=\"empty\">暂无已公开的季度收支公开表。</p>" : "<ul>\(Array(statements))</ul>")
            \(Console.pager(page, path: "/notices/public/\(c.code)", query: []))
            \(Self.about)
            <p><a href="/notices/public">其他村（社区）的居务公开</a></p>
            """
        return PortalPages.page(req, title: c.name + "居务公开", body: body)
    }

    /// The notice as it is (a withdrawn notice says so, with when and why; its text stays readable).
    func publicNotice(_ req: Request, _ c: DivisionRecord) async throws -> DisclosureNoticeRecord {
        guard let raw = req.parameters.get("id"), let id = UUID(fastString: raw),
              let n = try await req.disclosure.notice(id, in: .everything), n.communityCode == c.code,
              let p = CivilDate(n.publishOn), p <= req.application.linli.today() else { throw RegistryError.notFound("公告") }
        return n
    }

    static func paragraphs(_ text: String) -> Markup {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "<p>\(String($0))</p>" as Markup }.joined()
    }

    func notice(req: Request) async throws -> Response {
        let c = try await division(req)
        let n = try await publicNotice(req, c)
        let files = try await req.disclosure.attachments(of: n.id).map { a -> Markup in
            "<li><a href=\"/notices/public/\(c.code)/\(n.id)/files/\(a.id)\">\(a.label)</a>（\(max(1, a.size / 1024)) KB）</li>"
        }
        let withdrawn: Markup = n.status == .withdrawn
            ? "<p class=\"notice\" role=\"status\">本公告已于\(n.withdrawnAt.map { Self.day($0) } ?? "")撤回。原因：\(n.withdrawnReason ?? "")</p>" : .empty
        let body: Markup = """
            <p class="muted">\(c.name) · \(n.kind.label)</p>
            <h1>\(n.title)</h1>
            \(withdrawn)
            <p class="muted">发布日期 \(n.publishOn)\(n.endOn.map { "，公开至 \($0)" } ?? "")\(n.minimumDays > 0 ? "，公示期\(n.minimumDays)天" : "")</p>
            \(Self.paragraphs(n.body))
            \(files.isEmpty ? Markup.empty : "<h2>附件</h2><ul>\(files)</ul>")
            <p><a href="/notices/public/\(c.code)/\(n.id)/print">打印（A4 公开栏）</a> · <a href="/notices/public/\(c.code)">\(c.name)的其他公开信息</a></p>
            """
        return PortalPages.page(req, title: n.title, body: body)
    }

    /// A notice's attachment: as public as the notice (not yet up, or of another community: 404).
    func file(req: Request) async throws -> Response {
        let c = try await division(req)
        let n = try await publicNotice(req, c)
        let q = req.disclosure
        guard let raw = req.parameters.get("file"), let fileID = UUID(fastString: raw),
              let a = try await q.attachments(of: n.id).first(where: { $0.id == fileID }), let store = q.attachmentStore else {
            throw RegistryError.notFound("附件")
        }
        let response = Response(status: .ok, body: .init(data: try store.read(a)))
        response.headers.replaceOrAdd(name: .contentType, value: a.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    static func day(_ seconds: Int64) -> String { CivilDate(dayNumber: Int((seconds + 8 * 3600) / 86_400)).description }

    /// The notice on an A4 sheet for the board: its own stylesheet, nothing of the portal's frame.
    func printSheet(req: Request) async throws -> Response {
        let c = try await division(req)
        let n = try await publicNotice(req, c)
        let body: Markup = """
            <main class="board">
            <p class="kind">\(n.kind.label)</p>
            <h1>\(n.title)</h1>
            \(n.status == .withdrawn ? "<p class=\"withdrawn\">本公告已撤回</p>" : Markup.empty)
            \(Self.paragraphs(n.body))
            <p class="sign">\(c.name)居民委员会<br>\(n.publishOn)</p>
            <p class="period">公开期：\(n.publishOn) 至 \(n.endOn ?? "长期")\(n.minimumDays > 0 ? "（公示\(n.minimumDays)天）" : "")</p>
            <p class="noprint"><a href="/notices/public/\(c.code)/\(n.id)">返回</a></p>
            </main>
            """
        return HTML.page(title: n.title, body: body, head: "<link rel=\"stylesheet\" href=\"/assets/notice-board.css\">")
    }

    /// The screen: one current notice at a time in large type; the page reloads itself on the next one every
    /// 20 seconds and starts again after the last.
    func screen(req: Request) async throws -> Response {
        let c = try await division(req)
        let current = try await req.disclosure.notices(of: c.code, current: true, page: PageRequest(page: 1, perPage: 30)).items
        let i = min(max(0, Int(req.formQuery("i") ?? "") ?? 0), 1000)
        let next = current.isEmpty ? 0 : (i + 1) % current.count
        let refresh: Markup = "<meta http-equiv=\"refresh\" content=\"20; url=/notices/public/\(c.code)/screen?i=\(next)\"><link rel=\"stylesheet\" href=\"/assets/notice-board.css\">"
        let body: Markup
        if current.isEmpty {
            body = "<main class=\"screen\"><h1>\(c.name)居务公开</h1><p>目前没有公开中的信息。</p></main>"
        } else {
            let n = current[i % current.count]
            let text = n.body.count > 600 ? String(n.body.prefix(600)) + "……（全文见社区公开栏或邻里门户）" : n.body
            body = """
                <main class="screen">
                <p class="kind">\(c.name) · \(n.kind.label) · \(i % current.count + 1)/\(current.count)</p>
                <h1>\(n.title)</h1>
                \(Self.paragraphs(text))
                <p class="period">\(n.publishOn) 发布\(n.endOn.map { "，公开至 \($0)" } ?? "")</p>
                </main>
                """
        }
        return HTML.page(title: c.name + "居务公开", body: body, head: refresh)
    }

    func stylesheet(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: Self.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    /// The board's sheet (A4, print) and the screen's large type; served from here since pages allow only
    /// stylesheets of the site itself (no inline style).
    static let css = """
        .board { max-width: 180mm; margin: 0 auto; padding: 12mm 0; font-size: 14pt; line-height: 1.8; }
        .board h1 { text-align: center; font-size: 20pt; margin: 0 0 8mm; }
        .board .kind { text-align: center; letter-spacing: .3em; color: #444; }
        .board .sign { text-align: right; margin-top: 12mm; }
        .board .period { font-size: 11pt; color: #444; border-top: 1px solid #999; padding-top: 3mm; }
        .board .withdrawn { text-align: center; color: #c53030; font-weight: bold; }
        @page { size: A4 portrait; margin: 20mm 18mm; }
        @media print { body { background: #fff; } .noprint { display: none !important; } .board { padding: 0; max-width: none; } }
        .screen { padding: 4vh 5vw; font-size: clamp(20px, 3.2vw, 44px); line-height: 1.6; }
        .screen h1 { font-size: 1.6em; margin: .3em 0 .6em; }
        .screen .kind, .screen .period { color: #555; font-size: .7em; }
        @media (max-width: 480px) { .board { padding: 4mm; font-size: 12pt; } }
        """
}
