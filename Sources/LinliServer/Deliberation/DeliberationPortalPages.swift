import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: 网上议事 — every community's proposals with their counts of supports and comments,
/// readable without signing in; a signed-in resident of the proposal's community (account linked to the registry)
/// supports it once and comments. And 议事会议: the public summaries of the meetings (agenda, number of participants,
/// resolutions and their state; no names).
struct DeliberationPortalPages {
    func boot(_ routes: Routes) {
        routes.get("consultations", needs: .open, use: list)
        routes.get("consultations", "meetings", needs: .open, use: meetings)
        routes.get("consultations", ":id", needs: .open, use: proposal)
        routes.post("consultations", ":id", "support", needs: .permission(.consultationTakePart), use: support)
        routes.post("consultations", ":id", "comments", needs: .permission(.consultationTakePart), use: comment)
    }

    struct Form: Content {
        var csrf: String?
        var body: String?
    }

    static let about: Markup = "<p>网上议事是社区开放式决策的平台：社区发布议题（做什么、为什么、预计费用、征求意见截止日期），本社区登记的居民完成实名核验后可以发表评论、表示支持（每人每个议题一次）；社区汇总意见后作出决定并答复主要意见。</p>"

    static let nav: Markup = "<p><a href=\"/consultations\">网上议事</a> · <a href=\"/consultations/meetings\">议事会议公开</a></p>"

    func list(req: Request) async throws -> Response {
        let page = try await req.deliberation.proposals(in: .everything, page: try req.pageRequest(perPage: 20))
        let items = page.items.map { p -> Markup in
            """
            <li><a href="/consultations/\(p.id)"><b>\(p.title)</b></a> <span class="badge\(p.state == .open ? "" : " grey")">\(p.state.label)</span><br>
            \(p.communityName ?? p.communityCode) · 发布 \(p.publishedOn) · 截止 \(p.deadline) · 支持 \(p.supports) · 评论 \(p.comments)</li>
            """
        }
        let body: Markup = """
            <h1>网上议事</h1>
            \(Self.nav)
            \(Self.about)
            \(items.isEmpty ? "<p class=\"empty\">暂无议题。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            \(Console.pager(page, path: "/consultations", query: []))
            """
        return PortalPages.page(req, title: "网上议事", body: body)
    }

    func meetings(req: Request) async throws -> Response {
        let q = req.deliberation
        let page = try await q.meetings(in: .everything, page: try req.pageRequest(perPage: 20))
        var names: [String: String] = [:]
        var items: [Markup] = []
        for m in page.items {
            if names[m.communityCode] == nil { names[m.communityCode] = try await q.communityName(m.communityCode) }
            let res = try await q.resolutions(of: m.id).map { r -> Markup in
                "<li>\(r.text)（责任：\(r.owner)，期限 \(r.dueOn)）<span class=\"badge\(r.state == .done ? "" : " grey")\">\(r.state.label)</span></li>"
            }
            items.append("""
                <li><b>\(m.kind.label)：\(m.title)</b><br>\(names[m.communityCode] ?? m.communityCode) · \(m.heldOn) · \(m.place) · 参会居民 \(m.residents) 人\
                \(m.unitList.isEmpty ? Markup.empty : " · 参会单位 \(m.unitList.count) 个")
                <p>议程：\(m.agenda)</p>\(res.isEmpty ? Markup.empty : "<ul>\(res)</ul>")</li>
                """)
        }
        let body: Markup = """
            <h1>议事会议公开</h1>
            \(Self.nav)
            <p>各社区召开的民情恳谈会、事务协调会、工作听证会、成效评议会和楼道、业主议事会议，以及会议决议的落实情况。</p>
            \(items.isEmpty ? "<p class=\"empty\">暂无会议。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            \(Console.pager(page, path: "/consultations/meetings", query: []))
            """
        return PortalPages.page(req, title: "议事会议公开", body: body)
    }

    func proposal(req: Request) async throws -> Response {
        try await render(req, id: try req.pathUUID(), errors: [], message: nil, status: .ok)
    }

    func render(_ req: Request, id: UUID, errors: [FieldError], message: String?, status: HTTPResponseStatus, typed: String? = nil) async throws -> Response {
        let q = req.deliberation
        let p = try await q.proposal(id, in: .everything)
        let comments = try await q.comments(of: id, page: try req.pageRequest(perPage: 50))
        let list = comments.items.map { c -> Markup in
            c.hidden ? "<li class=\"muted\">\(c.author)：该评论已被隐藏：\(c.hideReason ?? "")</li>" : "<li><b>\(c.author)</b>：\(c.body)</li>"
        }
        var act = Markup.empty
        if let user = try? req.webUser(), user.may(.consultationTakePart) {
            let csrf = Console.csrfField(user)
            if let person = try await req.linkedResident() {
                if let refused = q.participationRefusal(.comment, p, resident: person) {
                    act = "<p class=\"notice\">\(refused.message)</p>"
                } else {
                    let supported = try await q.supported(id, by: person.id)
                    let supportRefused = q.participationRefusal(.support, p, resident: person)
                    var supportPart: Markup = "<form method=\"post\" action=\"/consultations/\(id)/support\">\(csrf)<button type=\"submit\">支持</button></form>"
                    if supported { supportPart = "<p>您已支持这个议题。</p>" } else if let r = supportRefused { supportPart = "<p class=\"notice\">\(r.message)</p>" }
                    act = """
                        \(supportPart)
                        <form method="post" action="/consultations/\(id)/comments">\(csrf)
                        \(Console.textarea("发表评论", name: "body", value: typed, error: errors.first { $0.field == "body" }?.message, required: true, maxLength: 500))
                        <button type="submit">发表</button></form>
                        """
                }
            } else {
                act = "<p>参与议事前，请先在<a href=\"/volunteer\">志愿服务</a>页面完成实名核验（姓名和公民身份号码）。</p>"
            }
        } else if req.principal == nil {
            act = "<p>本社区居民<a href=\"/login\">登录</a>并完成实名核验后可以支持和评论。</p>"
        }
        let body: Markup = """
            <h1>\(p.title)</h1>
            \(Self.nav)
            <p><span class="badge\(p.state == .open ? "" : " grey")">\(p.state.label)</span> \(p.communityName ?? p.communityCode) · 发布 \(p.publishedOn) · 征求意见截止 \(p.deadline)</p>
            \(message.map { "<p class=\"flash\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors.filter { $0.field != "body" }))
            <h2>做什么</h2><p>\(p.what)</p>
            <h2>为什么做</h2><p>\(p.why)</p>
            <p>预计费用：\(p.cost.map { "\($0) 元" } ?? "无")</p>
            <p id="counts">支持 <b>\(p.supports)</b> · 评论 <b>\(p.comments)</b></p>
            \(p.state == .closed ? "<h2>社区的决定</h2><p>\(p.decision ?? "")</p><h2>对主要意见的答复</h2><p>\(p.response ?? "")</p>" as Markup : .empty)
            \(act)
            <h2>评论</h2>
            \(list.isEmpty ? "<p class=\"empty\">暂无评论。</p>" : "<ul class=\"timeline\">\(list)</ul>")
            \(Console.pager(comments, path: "/consultations/\(id)", query: []))
            """
        return PortalPages.page(req, title: p.title, body: body, status: status)
    }

    /// Runs a resident's step and shows the proposal again, with a refusal's message at its field.
    func act(_ req: Request, message: String, _ body: (UUID, ResidentRecord?, Form) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.consultationTakePart)
        let id = try req.pathUUID()
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        do {
            try await body(id, try await req.linkedResident(), form)
            return try await render(req, id: id, errors: [], message: message, status: .ok)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, id: id, errors: errors, message: nil, status: .unprocessableEntity, typed: form.body)
        } catch RegistryError.conflict(let e) {
            return try await render(req, id: id, errors: [e], message: nil, status: .conflict, typed: form.body)
        }
    }

    func support(req: Request) async throws -> Response {
        try await act(req, message: "感谢您的支持。") { id, person, _ in
            _ = try await req.deliberation.support(id, resident: person, by: req.auditActor)
        }
    }

    func comment(req: Request) async throws -> Response {
        try await act(req, message: "评论已发表。") { id, person, form in
            _ = try await req.deliberation.comment(id, body: form.body, resident: person, by: req.auditActor)
        }
    }
}
