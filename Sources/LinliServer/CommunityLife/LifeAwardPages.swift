import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's awards (评选): the campaigns that concern the area (a street or the district opens one per year and
/// kind), a campaign's nominations (workers nominate a household by its number, a resident by ID number, or a
/// community), the notice (公示) and its objections, and the result recorded after the notice.
struct LifeAwardPages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "life", "awards")
        a.get(needs: .permission(.lifeRead), use: list)
        a.post(needs: .permission(.lifeAwards), use: create)
        a.get(":id", needs: .permission(.lifeRead), use: campaign)
        a.post(":id", "nominations", needs: .permission(.lifeManage), use: nominate)
        a.post(":id", "notice", needs: .permission(.lifeAwards), use: notice)
        a.post(":id", "decision", needs: .permission(.lifeAwards), use: decide)
    }

    static let crumbs = LifePages.crumbs + [Crumb("评选", "/console/life/awards")]

    struct Form: Content {
        var csrf: String?
        var year: String?
        var kind: String?
        var household_number: String?
        var id_number: String?
        var community_code: String?
        var reason: String?
        var notice_from: String?
        var notice_to: String?
        var awarded: [String]?
        var version: String?
    }

    func list(req: Request) async throws -> Response { try await renderList(req, try req.webUser(.lifeRead), form: Form(), errors: [], status: .ok) }

    func renderList(_ req: Request, _ user: WebUser, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let campaigns = try await req.life.campaigns(in: req.registryScope)
        let rows = campaigns.map { c -> [Markup] in
            ["<a href=\"/console/life/awards/\(c.id)\">\(c.title)</a>", Markup.text(c.stage.label), Markup.text(c.noticeFrom.map { "\($0) 至 \(c.noticeTo ?? "")" } ?? "—")]
        }
        let form: Markup = user.may(.lifeAwards) ? """
            <h2>开始评选</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/life/awards">\(Console.csrfField(user))
            \(Console.field("年度", name: "year", value: f.year ?? String(req.life.localToday.year), error: err("year"), required: true, extra: "inputmode=\"numeric\" maxlength=\"4\""))
            \(Console.select("类别", name: "kind", options: AwardKind.allCases.map { ($0.rawValue, $0.label) }, selected: f.kind, error: err("kind"), required: true))
            <button type="submit">开始评选</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>评选</h1>
            <p class="muted">规划要求“开展文明家庭创建活动”“广泛开展学习型社区、学习型家庭、学习型个人评选活动”。镇（街道）或区每年按类别组织评选，社区推荐，公示不少于\(AwardRules.noticeDays)天，公示期满后评定。</p>
            \(Console.table(["评选", "状态", "公示期"], rows, empty: "尚无评选"))
            \(form)
            """
        return Console.page(req, user, title: "评选", crumbs: LifePages.crumbs + [Crumb("评选")], body: body, status: status)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeAwards)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        do {
            let year = f.year.flatMap { $0.count <= 4 ? Int($0) : nil }
            let c = try await req.life.createCampaign(year: year, kind: try LifeService.awardKind(f.kind), by: req.lifeActor)
            return req.redirect(to: "/console/life/awards/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderList(req, user, form: f, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderList(req, user, form: f, errors: [e], status: .conflict)
        }
    }

    func campaign(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeRead)
        guard let c = try await req.life.campaign(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("评选") }
        return try await render(req, user, c, form: Form(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ c: AwardCampaignRecord, form f: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let q = req.life, today = q.localToday
        let nominations = try await q.nominations(of: c.id, in: req.registryScope)
        let runner = user.may(.lifeAwards) && c.scopePrefix == req.registryScope.prefix
        let deciding = runner && AwardRules.mayDecide(c.stage, to: c.noticeTo.flatMap(CivilDate.init), today: today) == nil
        let rows = nominations.map { n -> [Markup] in
            let pick: Markup = deciding ? "<label><input type=\"checkbox\" name=\"awarded[]\" value=\"\(n.id)\"> 评为</label>" : Markup.text(n.result.label)
            return [Markup.text(n.nomineeName), Markup.text(n.communityName ?? n.communityCode), Markup.text(n.reason), "\(n.objections)", pick]
        }
        var table = Console.table(["推荐对象", "村/社区", "推荐理由", "异议", "结果"], rows, empty: "尚无推荐")
        if deciding {
            table = """
                <form method="post" action="/console/life/awards/\(c.id)/decision">\(Console.csrfField(user))<input type="hidden" name="version" value="\(c.version)">
                \(table)<button type="submit">保存评定结果</button></form>
                """
        }
        var forms = Markup.empty
        if c.stage == .nominating && user.may(.lifeManage) {
            let who: Markup
            switch c.kind.nominee {
            case .household: who = Console.field("户号", name: "household_number", value: f.household_number, error: err("household_id"), required: true, extra: "maxlength=\"40\"")
            case .resident: who = Console.field("公民身份号码", name: "id_number", error: err("resident_id"), required: true, extra: "maxlength=\"18\" autocomplete=\"off\"")
            case .community:
                let options = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community).map { ($0.code, $0.name) }
                who = Console.select("村/社区", name: "community_code", options: options, selected: f.community_code, error: err("community_code"), required: true)
            }
            forms += """
                <h2>推荐</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/life/awards/\(c.id)/nominations">\(Console.csrfField(user))
                \(who)
                \(Console.textarea("推荐理由", name: "reason", value: f.reason, error: err("reason"), required: true, maxLength: 500))
                <button type="submit">推荐</button></form>
                """
        }
        if c.stage == .nominating && runner {
            forms += """
                <h2>公示</h2>
                <form method="post" action="/console/life/awards/\(c.id)/notice">\(Console.csrfField(user))<input type="hidden" name="version" value="\(c.version)">
                \(Console.field("公示开始", name: "notice_from", value: f.notice_from ?? today.description, error: err("notice_from"), type: "date", required: true))
                \(Console.field("公示结束", name: "notice_to", value: f.notice_to ?? today.adding(days: AwardRules.noticeDays + 1).description, error: err("notice_to"), type: "date", required: true,
                                hint: "公示期不少于\(AwardRules.noticeDays)天"))
                <button type="submit">开始公示</button></form>
                """
        }
        let objections = c.stage == .nominating ? [] : try await q.objections(of: c.id)
        let names = Dictionary(nominations.map { ($0.id, $0.nomineeName) }, uniquingKeysWith: { a, _ in a })
        let objectionRows = objections.compactMap { o -> [Markup]? in
            guard let n = names[o.nominationId] else { return nil }
            return [Markup.text(n), Markup.text(o.name), Markup.text(o.body), Markup.text(Console.time(o.createdAt))]
        }
        let body: Markup = """
            <h1>\(c.title)</h1>
            <p>\(c.stage.label)\(c.noticeFrom.map { Markup.text(" · 公示期 \($0) 至 \(c.noticeTo ?? "")") } ?? Markup.empty)\(c.stage == .notice ? " · <a href=\"/notices/awards/\(c.id)\">门户公示页</a>" as Markup : Markup.empty)</p>
            \(deciding ? Console.formErrors(errors) : Markup.empty)
            \(table)
            \(c.stage == .nominating ? Markup.empty : "<h2>异议</h2>\(Console.table(["推荐对象", "提出人", "事实和理由", "时间"], objectionRows, empty: "没有异议"))" as Markup)
            \(forms)
            """
        return Console.page(req, user, title: c.title, crumbs: Self.crumbs + [Crumb(c.title)], body: body, status: status)
    }

    func nominate(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeManage)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        guard let c = try await req.life.campaign(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("评选") }
        do {
            var nominee: LifeQueries.Nominee?
            switch c.kind.nominee {
            case .household:
                if let number = f.household_number?.trimmingCharacters(in: .whitespaces), !number.isEmpty, number.count <= 40,
                   let id = try await req.life.household(number: number, in: req.registryScope) {
                    nominee = .household(id)
                } else { throw RegistryError.invalid([FieldError("household_id", "本辖区没有这个户号")]) }
            case .resident:
                let linli = req.application.linli
                let number = f.id_number?.trimmingCharacters(in: .whitespaces) ?? ""
                guard !number.isEmpty, number.count <= 18,
                      let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: number, in: req.registryScope) else {
                    throw RegistryError.invalid([FieldError("resident_id", "本辖区没有这个公民身份号码的居民")])
                }
                nominee = .resident(r.id)
            case .community:
                nominee = f.community_code.map { .community($0) }
            }
            _ = try await req.life.nominate(c.id, nominee, reason: f.reason, by: req.lifeActor)
            return req.redirect(to: "/console/life/awards/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, c, form: f, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, c, form: f, errors: [e], status: .conflict)
        }
    }

    func notice(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeAwards)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        guard let c = try await req.life.campaign(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("评选") }
        do {
            let from = try LifeService.day(f.notice_from, field: "notice_from"), to = try LifeService.day(f.notice_to, field: "notice_to")
            let version = try LifeService.version(f.version.flatMap { $0.count <= 10 ? Int($0) : nil })
            _ = try await req.life.startNotice(c.id, from: from, to: to, version: version, by: req.lifeActor)
            return req.redirect(to: "/console/life/awards/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, c, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    func decide(req: Request) async throws -> Response {
        let user = try req.webUser(.lifeAwards)
        let f = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, f.csrf)
        guard let c = try await req.life.campaign(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("评选") }
        let version = try LifeService.version(f.version.flatMap { $0.count <= 10 ? Int($0) : nil })
        let awarded = Set((f.awarded ?? []).prefix(2000).compactMap { UUID(uuidString: $0) })
        _ = try await req.life.decide(c.id, awarded: awarded, version: version, by: req.lifeActor)
        return req.redirect(to: "/console/life/awards/\(c.id)", redirectType: .normal)
    }
}
