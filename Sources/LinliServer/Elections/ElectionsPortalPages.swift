import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: 选举公告 — each community's elections with their timetable, the roll once published
/// (names masked, paginated, searchable by pinyin initials), the formal candidates, the committee elected, and a
/// form to lodge an objection to the roll (rate-limited; nothing of it shown back). No sign-in.
struct ElectionsPortalPages {
    static let objectionLimiter = RateLimiter(limit: 5, window: 600)

    func boot(_ routes: Routes) {
        routes.get("notices", "elections", needs: .open, use: list)
        routes.get("notices", "elections", ":id", needs: .open, use: election)
        routes.on(.POST, "notices", "elections", ":id", "objections", needs: .open, body: .collect(maxSize: "16kb"), use: object)
    }

    static let shown: Set<ElectionStatus> = [.rollPublished, .candidatesPublished, .furtherRound, .succeeded, .failed]

    func list(req: Request) async throws -> Response {
        let elections = try await req.elections.elections(in: .everything, limit: 2000).filter { Self.shown.contains($0.status) }
        let streets = Dictionary(uniqueKeysWithValues: try await DivisionQueries(req.db).all(level: .street).map { (String($0.code.prefix(9)), $0.name) })
        let byStreet = Dictionary(grouping: elections) { String($0.communityCode.prefix(9)) }
        let sections = byStreet.keys.sorted().map { key -> Markup in
            let items = (byStreet[key] ?? []).map { e -> Markup in
                "<li><a href=\"/notices/elections/\(e.id)\">\(e.communityName ?? e.communityCode)</a> · \(e.committeeKind.label) · 选举日 \(e.electionDay) · \(e.status.label)</li>"
            }
            return "<h2>\(streets[key] ?? key)</h2><ul>\(items)</ul>"
        }
        let body: Markup = """
            <h1>选举公告</h1>
            <p>村(居)民委员会每届任期5年，由选民直接选举产生。选民名单在选举日20日前公布，对名单有不同意见的，可以在名单确定日前提出异议。</p>
            \(sections.isEmpty ? "<p class=\"empty\">暂无选举公告。</p>" : sections.joined(separator: ""))
            """
        return PortalPages.page(req, title: "选举公告", body: body)
    }

    func election(req: Request) async throws -> Response {
        try await render(req, message: nil, errors: [], status: .ok)
    }

    func render(_ req: Request, message: String?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let q = req.elections
        guard let e = try await q.election(try req.pathUUID(), in: .everything), Self.shown.contains(e.status) else { throw RegistryError.notFound("选举公告") }
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let page = req.consolePage(perPage: 50), initials = req.formQuery("initials").map { String($0.prefix(10)) }
        let roll = try await q.voters(e.id, initials: initials, page: page.page, per: page.perPage)
        var candidates: [CandidateRecord] = []
        if e.status != .rollPublished { candidates = try await q.candidates(e.id) }
        let members = try await q.members(e.id)
        let base = "/notices/elections/\(e.id)"
        let names = roll.rows.map { v -> Markup in "<li>\(Masking.name(v.name))</li>" }
        let nav: Markup = "\(page.page > 1 ? "<a rel=\"prev\" href=\"\(base)?page=\(page.page - 1)\(initials.map { "&initials=\($0)" } ?? "")\">上一页</a> " as Markup : Markup.empty)\(roll.more ? "<a rel=\"next\" href=\"\(base)?page=\(page.page + 1)\(initials.map { "&initials=\($0)" } ?? "")\">下一页</a>" as Markup : Markup.empty)"
        let open = (e.status == .rollPublished || e.status == .candidatesPublished) && (CivilDate(e.rollFrozenOn).map { req.application.linli.today() < $0 } ?? false)
        let objection: Markup = open ? """
            <details\(errors.isEmpty ? "" : " open")><summary>对选民名单提出异议</summary>
            <form method="post" action="\(base)/objections">\(PortalPages.csrfField(req))
            \(Console.field("姓名", name: "name", error: err("name"), required: true, extra: "maxlength=\"30\""))
            \(Console.field("联系方式", name: "contact", error: err("contact"), required: true, extra: "maxlength=\"60\""))
            \(Console.textarea("异议的事实和理由", name: "body", error: err("body"), required: true, maxLength: 1000))
            <button type="submit">提交异议</button></form></details>
            """ : Markup.empty
        let body: Markup = """
            <h1>\(e.communityName ?? e.communityCode) · \(e.committeeKind.label)换届选举</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p>状态：<b>\(e.status.label)</b> · \(e.method.label) · 应选\(e.seats)人</p>
            <ol class="timeline"><li>选民名单公布：\(e.rollPublishedOn)</li><li>选民名单确定：\(e.rollFrozenOn)</li><li>正式候选人公布：\(e.candidatesPublishedOn)</li><li>选举日：\(e.electionDay)</li></ol>
            <h2>选举结果</h2>
            \(members.isEmpty ? "<p class=\"empty\">尚未产生。</p>" as Markup : "<ul>\(members.map { m -> Markup in "<li>\(m.post.label)：\(m.name)（任期 \(m.termStart) 至 \(m.termEnd)）</li>" })</ul>\(e.firstBallot == true ? "<p>第一次投票即选举成功。</p>" as Markup : Markup.empty)" as Markup)
            <h2>正式候选人</h2>
            \(candidates.isEmpty ? "<p class=\"empty\">尚未公布。</p>" as Markup : "<ul>\(candidates.map { c -> Markup in "<li>\(c.name)（\(c.post.label)）</li>" })</ul>" as Markup)
            <h2>选民名单（共\(e.rollCount)人）</h2>
            <form method="get" action="\(base)"><label>姓名拼音首字母 <input name="initials" value="\(initials ?? "")" maxlength="10"></label> <button type="submit">查找</button></form>
            \(names.isEmpty ? "<p class=\"empty\">没有符合条件的选民。</p>" as Markup : "<ul class=\"columns\">\(names)</ul>" as Markup)
            <p>\(nav)</p>
            \(objection)
            <p><a href="/notices/elections">其他村(社区)的选举公告</a></p>
            """
        return PortalPages.page(req, title: "选举公告", body: body, status: status)
    }

    struct ObjectionForm: Content {
        var csrf: String?
        var name: String?
        var contact: String?
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
            try await req.elections.lodgeObjection(id, name: f.name, contact: f.contact, body: f.body, by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, message: nil, errors: errors, status: .unprocessableEntity)
        }
        return try await render(req, message: "异议已收到，村(居)民选举委员会将核实并答复。", errors: [], status: .ok)
    }
}
