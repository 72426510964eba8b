import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 网上议事 pages: the proposals of one's area with their counts, the form that publishes one, and a
/// proposal's page where a worker hides a comment (with the reason shown in its place) and the community closes it
/// with its decision and response.
struct ConsultationPages {
    func boot(_ routes: Routes) {
        let c = routes.grouped("console", "consultations")
        c.get(needs: .permission(.deliberationRead), use: list)
        c.post(needs: .permission(.deliberationWrite), use: create)
        c.get(":id", needs: .permission(.deliberationRead), use: proposal)
        c.post(":id", "close", needs: .permission(.deliberationWrite), use: close)
        c.post(":id", "comments", ":comment", "hide", needs: .permission(.consultationModerate), use: hide)
    }

    struct Form: Content {
        var csrf: String?
        var community_code: String?
        var title: String?
        var what: String?
        var why: String?
        var cost: String?
        var deadline: String?
        var decision: String?
        var response: String?
        var reason: String?
        var version: String?
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationRead)
        return try await renderList(req, user, form: Form(community_code: req.registryScope.prefix.count == 12 ? req.registryScope.prefix : nil,
                                                          deadline: req.application.linli.today().adding(days: 14).description), errors: [], status: .ok)
    }

    func renderList(_ req: Request, _ user: WebUser, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let page = try await req.deliberation.proposals(in: try req.narrowedScope(), page: try req.pageRequest(perPage: 20))
        let rows = page.items.map { p -> [Markup] in
            ["<a href=\"/console/consultations/\(p.id)\">\(p.title)</a>", Markup.text(p.communityName ?? p.communityCode), Markup.text(p.publishedOn),
             Markup.text(p.deadline), Markup.text(p.state.label), "\(p.supports)", "\(p.comments)"]
        }
        var form = Markup.empty
        if user.may(.deliberationWrite) {
            form = """
                <h2>发布议题</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/consultations">\(Console.csrfField(user))
                \(Console.field("村/社区代码", name: "community_code", value: f.community_code, error: err("community_code"), required: true))
                \(Console.field("议题", name: "title", value: f.title, error: err("title"), required: true))
                \(Console.textarea("做什么", name: "what", value: f.what, error: err("what"), required: true))
                \(Console.textarea("为什么做", name: "why", value: f.why, error: err("why"), required: true))
                \(Console.field("预计费用（元）", name: "cost", value: f.cost, error: err("cost"), type: "number"))
                \(Console.field("征求意见截止日期", name: "deadline", value: f.deadline, error: err("deadline"), type: "date", required: true))
                <button type="submit">发布</button></form>
                """
        }
        let body: Markup = """
            <h1>网上议事</h1>
            <p class="muted">规划：“网上论坛、民情恳谈、楼道自治”。议题在居民门户 <a href="/consultations">/consultations</a> 公开，本社区实名核验的居民可以支持和评论。</p>
            \(Console.table(["议题", "村/社区", "发布", "截止", "状态", "支持", "评论"], rows, empty: "暂无议题"))
            \(Console.pager(page, path: "/console/consultations", query: []))
            \(form)
            """
        return Console.page(req, user, title: "网上议事", crumbs: [Crumb("工作台", "/console"), Crumb("网上议事")], body: body, status: status)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationWrite)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        do {
            var cost: Int64?
            if let raw = f.cost?.trimmedOrNil {
                guard let n = Int64(raw) else { throw RegistryError.invalid([FieldError("cost", "预计费用应为整数（元）")]) }
                cost = n
            }
            let input = ProposalInput(title: f.title, what: f.what, why: f.why, cost: cost, deadline: try DeliberationService.date(f.deadline, field: "deadline"))
            let p = try await req.deliberation.propose(community: f.community_code, input, by: req.deliberationActor)
            return req.redirect(to: "/console/consultations/\(p.id)")
        } catch RegistryError.invalid(let errors) {
            return try await renderList(req, user, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    func proposal(req: Request) async throws -> Response {
        let user = try req.webUser(.deliberationRead)
        return try await render(req, user, id: try req.pathUUID(), form: Form(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, id: UUID, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let q = req.deliberation
        let p = try await q.proposal(id, in: req.registryScope)
        let comments = try await q.comments(of: id, page: try req.pageRequest(perPage: 50))
        let csrf = Console.csrfField(user), moderate = user.may(.consultationModerate)
        let list = comments.items.map { c -> Markup in
            if c.hidden { return "<li class=\"muted\">\(c.author)：该评论已被隐藏：\(c.hideReason ?? "")（\(c.hiddenBy ?? "")）</li>" }
            let hide: Markup = moderate ? """
                <form method="post" action="/console/consultations/\(id)/comments/\(c.id)/hide" class="inline">\(csrf)<input name="reason" aria-label="隐藏理由" placeholder="隐藏理由" required> <button type="submit" class="secondary">隐藏</button></form>
                """ : .empty
            return "<li><b>\(c.author)</b>：\(c.body) \(hide)</li>"
        }
        var close = Markup.empty
        if p.state == .open && user.may(.deliberationWrite) {
            close = """
                <h2>答复并结束征求意见</h2>
                <form method="post" action="/console/consultations/\(id)/close">\(csrf)<input type="hidden" name="version" value="\(p.version)">
                \(Console.textarea("社区的决定", name: "decision", value: f.decision, error: err("decision"), required: true))
                \(Console.textarea("对主要意见的答复", name: "response", value: f.response, error: err("response"), required: true, maxLength: 4000))
                <button type="submit">发布决定</button></form>
                """
        }
        let body: Markup = """
            <h1>\(p.title)</h1>
            <p>\(p.communityName ?? p.communityCode) · \(p.state.label) · 发布 \(p.publishedOn) · 截止 \(p.deadline) · 支持 <b>\(p.supports)</b> · 评论 <b>\(p.comments)</b></p>
            \(Console.formErrors(errors))
            <p>做什么：\(p.what)</p><p>为什么做：\(p.why)</p><p>预计费用：\(p.cost.map { "\($0) 元" } ?? "无")</p>
            \(p.state == .closed ? "<h2>社区的决定</h2><p>\(p.decision ?? "")</p><h2>对主要意见的答复</h2><p>\(p.response ?? "")</p>" as Markup : .empty)
            <h2>评论</h2>
            \(list.isEmpty ? "<p class=\"empty\">暂无评论</p>" : "<ul class=\"timeline\">\(list)</ul>")
            \(Console.pager(comments, path: "/console/consultations/\(id)", query: []))
            \(close)
            """
        return Console.page(req, user, title: p.title, crumbs: [Crumb("工作台", "/console"), Crumb("网上议事", "/console/consultations"), Crumb(p.title)],
                            body: body, status: status)
    }

    func act(_ req: Request, needs: Permission, _ body: (Form) async throws -> Void) async throws -> Response {
        let user = try req.webUser(needs)
        let id = try req.pathUUID()
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        do {
            try await body(f)
            return req.redirect(to: "/console/consultations/\(id)")
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    func close(req: Request) async throws -> Response {
        try await act(req, needs: .deliberationWrite) { f in
            _ = try await req.deliberation.close(try req.pathUUID(), decision: f.decision, response: f.response,
                                                 version: try requireVersion(f.version.flatMap { Int($0) }), by: req.deliberationActor)
        }
    }

    func hide(req: Request) async throws -> Response {
        try await act(req, needs: .consultationModerate) { f in
            _ = try await req.deliberation.hideComment(try req.pathUUID("comment"), reason: f.reason, by: req.deliberationActor)
        }
    }
}
