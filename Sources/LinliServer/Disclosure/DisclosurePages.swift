import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 居务公开 pages: the communities of one's area and whether their four disclosures are current;
/// a community's notices (withdrawn ones too); the form that publishes a notice; a notice with its history and
/// the withdrawal form. The ledger and the statements are `DisclosureLedgerPages`.
struct DisclosurePages {
    func boot(_ routes: Routes) {
        let d = routes.grouped("console", "disclosure")
        d.get(needs: .permission(.disclosureRead), use: overview)
        d.get("notices", needs: .permission(.disclosureRead), use: notices)
        d.get("notices", "new", needs: .permission(.disclosureWrite), use: newNotice)
        d.post("notices", "new", needs: .permission(.disclosureWrite), use: publish)
        d.get("notices", ":id", needs: .permission(.disclosureRead), use: notice)
        d.post("notices", ":id", "withdraw", needs: .permission(.disclosureWrite), use: withdraw)
        d.on(.POST, "notices", ":id", "attachments", needs: .permission(.disclosureWrite), body: .collect(maxSize: "110mb"), use: attach)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("居务公开", "/console/disclosure")]

    /// The communities of the scope: whether each is current (one grouped read of the notices), with links.
    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureRead)
        let scope = try req.narrowedScope(), today = req.application.linli.today()
        let communities = try await req.disclosure.communities(in: scope)
        let current = try await DisclosureStanding.fourCurrent(on: req.db, prefix: scope.prefix, today: today)
        let meets = try await DisclosureStanding.communitiesMeetingStandard(on: req.db, prefix: scope.prefix, today: today)
        let page = req.consolePage(perPage: 50)
        let shown = communities.dropFirst(page.offset).prefix(page.perPage)
        let rows = shown.map { c -> [Markup] in
            [Markup.text(c.name), current.contains(c.code) ? "<span class=\"badge\">及时</span>" : "<span class=\"badge red\">不及时</span>",
             meets.contains(c.code) ? "<span class=\"badge\">达标</span>" : "<span class=\"badge red\">未达标</span>",
             "<a href=\"/console/disclosure/notices?community=\(c.code)\">公告</a> · <a href=\"/console/disclosure/ledger?community=\(c.code)\">财务</a>"]
        }
        let result = ResultPage(items: Array(shown), total: communities.count, page: page.page, perPage: page.perPage)
        let body: Markup = """
            <h1>居务公开</h1>
            <p class="muted">规划：“推进政务、事务、财务、服务‘四个公开’，切实保障居民的知情权和监督权”。四类公开均有近3个月内发布或仍在公开期内的公告为“及时”；同时上一季度收支公开表已公开（季度结束后次月底前可用再上一季度的）为“达标”。</p>
            <p>及时 \(current.count) 个，达标 \(meets.count) 个，共 \(communities.count) 个村/社区。\(user.may(.disclosureApprove) ? "<a class=\"button\" href=\"/console/disclosure/pending\">待审核账目</a>" : Markup.empty)</p>
            \(Console.table(["村/社区", "四个公开", "公开达标", ""], rows, empty: "辖区内没有村/社区"))
            \(Console.pager(result, path: "/console/disclosure", query: [("division", req.formQuery("division"))]))
            """
        return Console.page(req, user, title: "居务公开", crumbs: [Crumb("工作台", "/console"), Crumb("居务公开")], body: body)
    }

    func chosen(_ req: Request) async throws -> DivisionRecord {
        try await req.disclosure.community(req.formQuery("community"), in: req.registryScope)
    }

    func notices(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureRead)
        let c = try await chosen(req)
        let page = try await req.disclosure.notices(of: c.code, page: req.consolePage(perPage: 30))
        let rows = page.items.map { n -> [Markup] in
            ["<a href=\"/console/disclosure/notices/\(n.id)\">\(n.title)</a>", Markup.text(n.kind.short), Markup.text(n.publishOn), Markup.text(n.endOn ?? "长期"),
             n.status == .withdrawn ? "<span class=\"badge red\">已撤回</span>" : "<span class=\"badge\">已发布</span>"]
        }
        let body: Markup = """
            <h1>\(c.name) · 公告</h1>
            <p>\(user.may(.disclosureWrite) ? "<a class=\"button\" href=\"/console/disclosure/notices/new?community=\(c.code)\">发布公告</a> " : Markup.empty)<a href="/console/disclosure/ledger?community=\(c.code)">财务公开</a> · <a href="/notices/public/\(c.code)">门户上的居务公开</a></p>
            \(Console.table(["标题", "类别", "发布日期", "公开至", "状态"], rows, empty: "尚无公告"))
            \(Console.pager(page, path: "/console/disclosure/notices", query: [("community", c.code)]))
            """
        return Console.page(req, user, title: c.name + "公告", crumbs: Self.crumbs + [Crumb(c.name + "公告")], body: body)
    }

    struct NoticeForm: Content {
        var csrf: String?
        var community: String?
        var kind: String?
        var title: String?
        var body: String?
        var publish_on: String?
        var end_on: String?
        var minimum_days: String?
    }

    func newNotice(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let c = try await chosen(req)
        let today = req.application.linli.today().description
        return render(req, user, c, NoticeForm(community: c.code, publish_on: today, minimum_days: "0"), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ c: DivisionRecord, _ v: NoticeForm, errors: [FieldError], status: HTTPResponseStatus) -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let body: Markup = """
            <h1>\(c.name) · 发布公告</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/disclosure/notices/new">\(Console.csrfField(user))
            <input type="hidden" name="community" value="\(c.code)">
            \(Console.select("公开类别", name: "kind", options: NoticeKind.allCases.map { ($0.rawValue, $0.label) }, selected: v.kind, error: err("kind"), required: true))
            \(Console.field("标题", name: "title", value: v.title, error: err("title"), required: true, extra: "maxlength=\"\(DisclosureRules.titleMax)\""))
            \(Console.textarea("公开内容", name: "body", value: v.body, error: err("body"), required: true, maxLength: DisclosureRules.bodyMax))
            \(Console.field("发布日期", name: "publish_on", value: v.publish_on, error: err("publish_on"), type: "date", required: true))
            \(Console.field("公开至", name: "end_on", value: v.end_on, error: err("end_on"), type: "date", hint: "不填为长期公开"))
            \(Console.field("公示期（天）", name: "minimum_days", value: v.minimum_days, error: err("minimum_days"), type: "number",
                            hint: "公示期内不能撤回；不需要公示的填0", extra: "min=\"0\" max=\"\(DisclosureRules.minimumDaysMax)\" step=\"1\" inputmode=\"numeric\""))
            <button type="submit">发布</button></form>
            """
        return Console.page(req, user, title: "发布公告", crumbs: Self.crumbs + [Crumb(c.name + "公告", "/console/disclosure/notices?community=\(c.code)"), Crumb("发布公告")],
                            body: body, status: status, wide: false)
    }

    func publish(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let f = (try? req.content.decode(NoticeForm.self)) ?? NoticeForm()
        try req.checkCSRF(user, f.csrf)
        let c = try await req.disclosure.community(f.community, in: req.registryScope)
        do {
            let minimum = try f.minimum_days.flatMap { t -> Int? in
                let t = t.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                guard let n = Int(t) else { throw RegistryError.invalid([FieldError("minimum_days", "公示期应为整数天")]) }
                return n
            }
            let input = DisclosureNoticeInput(kind: try DisclosureService.kind(f.kind), title: f.title, body: f.body,
                                    publishOn: try DisclosureService.date(f.publish_on, field: "publish_on"),
                                    endOn: try DisclosureService.date(f.end_on, field: "end_on"), minimumDays: minimum)
            let n = try await req.disclosure.publish(community: c.code, input, by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/notices/\(n.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return render(req, user, c, f, errors: errors, status: .unprocessableEntity)
        }
    }

    func notice(req: Request) async throws -> Response {
        try await renderNotice(req, errors: [], reason: nil, status: .ok)
    }

    func renderNotice(_ req: Request, errors: [FieldError], reason: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.disclosureRead)
        let q = req.disclosure
        let n = try await q.requireNotice(try req.pathUUID(), in: req.registryScope)
        let history = try await q.history(of: n.id).map { h -> [Markup] in
            [Markup.text(DisclosurePortalPages.day(h.at)), Markup.text(h.action == "withdraw" ? "撤回" : "发布"), Markup.text(h.byUser), Markup.text(h.reason ?? ""),
             Markup.text(h.title)]
        }
        let files = try await q.attachments(of: n.id).map { a -> Markup in
            "<li><a href=\"/notices/public/\(n.communityCode)/\(n.id)/files/\(a.id)\">\(a.label)</a>（\(max(1, a.size / 1024)) KB）</li>"
        }
        let attachError = errors.first { $0.field == "attachments" }?.message
        let attachForm: Markup = n.status == .published && user.may(.disclosureWrite) ? """
            <form method="post" action="/console/disclosure/notices/\(n.id)/attachments" enctype="multipart/form-data">\(Console.csrfField(user))
            <div class="field\(attachError == nil ? "" : " invalid")"><label for="f-attachments">附件（图片或PDF，每个不超过10MB，与公告一同公开）</label>
            <input id="f-attachments" type="file" name="attachments[]" multiple accept="image/jpeg,image/png,image/webp,application/pdf" required>
            \(attachError.map { "<p id=\"f-attachments-err\" class=\"field-error\">\($0)</p>" as Markup }.orEmpty)</div>
            <button type="submit">上传附件</button></form>
            """ : .empty
        let earliest = CivilDate(n.publishOn).map { DisclosureRules.earliestWithdrawal(publishOn: $0, minimumDays: n.minimumDays).description } ?? ""
        let withdrawForm: Markup = n.status == .published && user.may(.disclosureWrite) ? """
            <h2>撤回公告</h2>
            \(Console.formErrors(errors))
            \(n.minimumDays > 0 ? "<p class=\"muted\">公示期\(n.minimumDays)天，\(earliest)起方可撤回。</p>" : Markup.empty)
            <form method="post" action="/console/disclosure/notices/\(n.id)/withdraw">\(Console.csrfField(user))
            <input type="hidden" name="version" value="\(n.version)">
            \(Console.textarea("撤回原因", name: "reason", value: reason, error: errors.first { $0.field == "reason" || $0.field == "minimum_days" }?.message,
                               required: true, maxLength: 200))
            <button type="submit">撤回</button></form>
            """ : .empty
        let body: Markup = """
            <p class="muted">\(n.communityName ?? n.communityCode) · \(n.kind.label)</p>
            <h1>\(n.title)</h1>
            \(n.status == .withdrawn ? "<p class=\"notice\">已撤回：\(n.withdrawnReason ?? "")（\(n.withdrawnBy ?? "")）</p>" : Markup.empty)
            <p class="muted">发布日期 \(n.publishOn)，公开至 \(n.endOn ?? "长期")\(n.minimumDays > 0 ? "，公示期\(n.minimumDays)天" : "") · 发布人 \(n.createdBy)</p>
            \(DisclosurePortalPages.paragraphs(n.body))
            <p><a href="/notices/public/\(n.communityCode)/\(n.id)/print">打印（A4）</a></p>
            <h2>附件</h2>
            \(files.isEmpty ? "<p class=\"muted\">暂无附件。</p>" : "<ul>\(files)</ul>")
            \(attachForm)
            <h2>记录</h2>
            \(Console.table(["日期", "操作", "经办人", "原因", "当时的标题"], history))
            \(withdrawForm)
            """
        return Console.page(req, user, title: n.title, crumbs: Self.crumbs + [Crumb((n.communityName ?? "") + "公告", "/console/disclosure/notices?community=\(n.communityCode)"),
                                                                             Crumb(n.title)], body: body, status: status, wide: false)
    }

    struct AttachForm: Content {
        var csrf: String?
        var attachments: [File]?
    }

    func attach(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let form = (try? req.content.decode(AttachForm.self)) ?? AttachForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            let files = (form.attachments ?? []).map { AttachmentUpload(filename: $0.filename, data: Array($0.data.readableBytesView)) }
            _ = try await req.disclosure.attach(files, to: id, by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/notices/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderNotice(req, errors: errors, reason: nil, status: .unprocessableEntity)
        }
    }

    struct WithdrawForm: Content {
        var csrf: String?
        var reason: String?
        var version: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let user = try req.webUser(.disclosureWrite)
        let f = (try? req.content.decode(WithdrawForm.self)) ?? WithdrawForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            _ = try await req.disclosure.withdraw(id, reason: f.reason, version: try requireVersion(f.version.flatMap { Int($0) }), by: req.disclosureActor)
            return req.redirect(to: "/console/disclosure/notices/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderNotice(req, errors: errors, reason: f.reason, status: .unprocessableEntity)
        }
    }
}
