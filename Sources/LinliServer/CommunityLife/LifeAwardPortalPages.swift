import Foundation
import LinliCore
import LinliData
import Vapor

/// The portal's award notices (评选公示), readable without signing in: the campaigns in their notice or decided, a
/// campaign's nominations with names masked as the other notices mask them (王*明家庭), the reason, and during the
/// notice a form to object to a nomination (rate-limited; nothing of it shown back).
struct LifeAwardPortalPages {
    static let objectionLimiter = RateLimiter(limit: 5, window: 600)

    func boot(_ routes: Routes) {
        routes.get("notices", "awards", needs: .open, use: list)
        routes.get("notices", "awards", ":id", needs: .open, use: campaign)
        routes.on(.POST, "notices", "awards", ":id", "objections", needs: .open, body: .collect(maxSize: "16kb"), use: object)
    }

    static func area(_ prefix: String, _ req: Request) async throws -> String {
        let code = prefix.count == 9 ? prefix + "000" : prefix
        return try await DivisionQueries(req.db).find(code: code)?.name ?? code
    }

    func list(req: Request) async throws -> Response {
        var items: [Markup] = []
        for c in try await req.life.publicCampaigns() {
            items.append("<li><a href=\"/notices/awards/\(c.id)\"><b>\(try await Self.area(c.scopePrefix, req)) · \(c.title)</b></a> \(c.stage == .notice ? "<span class=\"badge\">公示中</span>" as Markup : "<span class=\"badge\">已评定</span>")<br>公示期 \(c.noticeFrom ?? "") 至 \(c.noticeTo ?? "")</li>")
        }
        let body: Markup = """
            <h1>评选公示</h1>
            <p>文明家庭、学习型家庭、学习型社区、学习型个人评选的推荐对象在此公示。公示期内对推荐对象有异议的，可以在公示页面提出。</p>
            \(items.isEmpty ? "<p class=\"empty\">目前没有评选公示。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            """
        return PortalPages.page(req, title: "评选公示", body: body)
    }

    func campaign(req: Request) async throws -> Response { try await render(req, message: nil, errors: [], status: .ok) }

    func render(_ req: Request, message: String?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        guard let c = try await req.life.campaign(try req.pathUUID(), in: nil) else { throw RegistryError.notFound("评选公示") }
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let nominations = try await req.life.nominations(of: c.id, in: nil)
        let open = AwardRules.mayObject(c.stage, from: c.noticeFrom.flatMap(CivilDate.init), to: c.noticeTo.flatMap(CivilDate.init), today: req.life.localToday)
        let items = nominations.map { n -> Markup in
            "<li><b>\(n.publicName)</b>（\(n.communityName ?? n.communityCode)）\(c.stage == .decided ? Markup.text(" · " + n.result.label) : Markup.empty)<br>\(n.reason)</li>"
        }
        let objection: Markup = open ? """
            <details\(errors.isEmpty ? "" : " open")><summary>对推荐对象提出异议</summary>
            <form method="post" action="/notices/awards/\(c.id)/objections">\(PortalPages.csrfField(req))
            \(Console.select("推荐对象", name: "nomination_id", options: nominations.map { ($0.id.uuidString, $0.publicName) }, error: err("nomination_id"), required: true))
            \(Console.field("姓名", name: "name", error: err("name"), required: true, extra: "maxlength=\"30\""))
            \(Console.textarea("异议的事实和理由", name: "body", error: err("body"), required: true, maxLength: 1000))
            <button type="submit">提交异议</button></form></details>
            """ : Markup.empty
        let body: Markup = """
            <h1>\(try await Self.area(c.scopePrefix, req)) · \(c.title)</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p>\(c.stage.label) · 公示期 \(c.noticeFrom ?? "") 至 \(c.noticeTo ?? "")</p>
            \(items.isEmpty ? "<p class=\"empty\">没有推荐对象。</p>" : "<ul class=\"timeline\">\(items)</ul>")
            \(objection)
            <p><a href="/notices/awards">其他评选公示</a></p>
            """
        return PortalPages.page(req, title: c.title, body: body, status: status)
    }

    struct ObjectionForm: Content {
        var csrf: String?
        var nomination_id: String?
        var name: String?
        var body: String?
    }

    func object(req: Request) async throws -> Response {
        let f = (try? req.content.decode(ObjectionForm.self)) ?? ObjectionForm()
        try PortalPages.checkCSRF(req, f.csrf)
        let id = try req.pathUUID()
        guard Self.objectionLimiter.allow(req.clientAddress, now: req.application.linli.now()) else {
            throw ProblemError(status: .tooManyRequests, detail: "提交过于频繁，请稍后再试")
        }
        do {
            try await req.life.object(id, nomination: f.nomination_id.flatMap { UUID(uuidString: $0) }, name: f.name, body: f.body, by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, message: nil, errors: errors, status: .unprocessableEntity)
        }
        return try await render(req, message: "异议已收到，评选组织单位将核实。", errors: [], status: .ok)
    }
}
