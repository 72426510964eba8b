import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: report a problem and follow it, without signing in (on the API's code paths).
///
/// `GET /` — intro; `GET /?community=CODE` lists that community's buildings (form button 列出楼栋, field `community`).
///   Report form `POST /report`: `csrf`, `category_code`, `description`, `building_id`, `address`, `name`, `phone`;
///   button 提交. The answer shows the number (`#request-number`) and the access code (`#access-code`).
///   Tracking form `POST /track`: `csrf`, `number`, `access_code`; button 查询.
///   A signed-in resident sees 我的诉求 (links to `GET /track?number=N`).
/// Progress page: `POST /track/rating` (`csrf`, `number`, `access_code`, `rating` 1–5, `comment`), button 提交评价;
///   `POST /track/reopen` (`csrf`, `number`, `access_code`, `note`), button 重新办理.
/// Forms carry a CSRF token matched with a cookie of the page (no session is needed).
struct PortalPages {
    let submitLimiter: RateLimiter
    static let csrfCookie = "linli_portal_csrf"

    func boot(_ routes: Routes) {
        // The residents' portal: no sign-in, forms checked against the page's CSRF cookie.
        routes.get(needs: .open, use: home)
        routes.on(.POST, "report", needs: .open, body: .collect(maxSize: "64kb"), use: report)
        routes.get("track", needs: .open, use: trackPage)
        routes.post("track", needs: .open, use: track)
        routes.post("track", "rating", needs: .open, use: rate)
        routes.post("track", "reopen", needs: .open, use: reopen)
    }

    /// Seconds a portal form stays good (its cookie's lifetime too).
    static let formLifetime: TimeInterval = 7200

    /// The page's pre-session nonce: the one of the cookie the browser has while it has more than half its
    /// life left, or a new one (`PreSessionCSRF`).
    static func nonce(_ req: Request) -> String {
        if let t = req.storage[PortalNonce.self] { return t }
        let now = req.application.linli.now()
        if let c = req.cookies[csrfCookie]?.string, let age = PreSessionCSRF.age(of: c, now: now), age > -60, age < formLifetime / 2 {
            return c
        }
        let t = PreSessionCSRF.newNonce(now: now)
        req.storage[PortalNonce.self] = t
        return t
    }
    struct PortalNonce: StorageKey { typealias Value = String }

    /// The token the page's forms carry.
    static func token(_ req: Request) -> String {
        PreSessionCSRF.token(nonce: nonce(req), purpose: "portal", key: req.application.linli.csrfKey)
    }

    static func page(_ req: Request, title: String, body: Markup, status: HTTPResponseStatus = .ok) -> Response {
        let signedIn = req.principal.map { p -> Markup in
            let out: Markup = "<span>\(p.account.displayName)</span>\(p.role == .resident ? "" : " <a href=\"/console\">工作台</a>")"
            return out + (req.csrfToken.map { "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"\($0)\"><button type=\"submit\" class=\"link\">退出</button></form>" } ?? .empty)
        }
        let response = HTML.page(title: title, body: """
            <a class="skip" href="#main">跳到正文</a>
            <header class="top"><a class="brand" href="/">邻里 · 社区服务</a><nav aria-label="主导航"><a href="/#report">反映问题</a><a href="/#track">查询办理进度</a><a href="/notices">救助公示</a><a href="/notices/donations">捐赠接收点</a><a href="/notices/organizations">社会组织</a><a href="/notices/supermarkets">爱心超市</a><a href="/notices/elections">选举公告</a><a href="/consultations">网上议事</a><a href="/property/rating">物业评价</a><a href="/notices/public">居务公开</a><a href="/notices/admission">准入清单</a><a href="/notices/workers">社工名录</a><a href="/life">社区活动</a><a href="/nearby">身边设施</a><a href="/notices/party-centres">党员服务中心</a></nav>
            <div class="who">\(signedIn ?? "<a href=\"/login\">工作人员登录</a>")</div></header>
            <main id="main" class="sheet">\(body)</main>
            """, status: status)
        response.cookies[csrfCookie] = HTTPCookies.Value(string: nonce(req), maxAge: Int(formLifetime), path: "/", isSecure: true, isHTTPOnly: true,
                                                         sameSite: .strict)
        return response
    }

    static func checkCSRF(_ req: Request, _ sent: String?) throws {
        let linli = req.application.linli
        guard PreSessionCSRF.valid(nonce: req.cookies[csrfCookie]?.string, sent: sent, purpose: "portal", key: linli.csrfKey,
                                   now: linli.now(), lifetime: formLifetime) else {
            throw ProblemError(status: .forbidden, detail: "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        }
    }

    static func csrfField(_ req: Request) -> Markup { "<input type=\"hidden\" name=\"csrf\" value=\"\(token(req))\">" }

    // MARK: Home and report

    struct ReportForm: Content {
        var csrf: String?
        var category_code: String?
        var description: String?
        var community: String?
        var building_id: String?
        var address: String?
        var name: String?
        var phone: String?
        /// `attribute[CODE]`: what some categories ask for besides the description.
        var attribute: [String: String]?
    }

    func home(req: Request) async throws -> Response {
        try await renderHome(req, form: ReportForm(community: req.formQuery("community")), errors: [], message: nil)
    }

    func renderHome(_ req: Request, form: ReportForm, errors: [FieldError], message: String?, status: HTTPResponseStatus = .ok,
                    trackMessage: String? = nil, number: String? = nil) async throws -> Response {
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let names = try await RequestNames.load(req.requestQueries)
        let communities = try await DivisionQueries(req.db).all(level: .community)
        var community = form.community.flatMap { c in communities.first { $0.code == c }?.code }
        var buildingOptions: [(String, String)] = [("", "（不选楼栋，在下面填写地址）")]
        if community == nil, let raw = form.building_id, let id = UUID(uuidString: raw),
           let b = try await BuildingQueries(req.db).find(id: id, in: .everything) {
            community = String(b.gridCode.prefix(12))
        }
        if let community {
            var page = 1
            while page <= 20 {
                let p = try await BuildingQueries(req.db).list(in: RegistryScope(validatedCode: community), gridCode: nil,
                                                               page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
                buildingOptions += p.items.map { ($0.id.uuidString.lowercased(), "\($0.name)（\($0.address)）") }
                if page * p.perPage >= p.total { break }
                page += 1
            }
        }
        // Without a script the form cannot change with the category: each extra field says which category asks for it.
        let extras = names.categories.values.filter { $0.active && $0.isLeaf }.sorted { $0.code < $1.code }.flatMap { c in
            c.attributeList.map { a -> Markup in
                let name = "attribute[\(a.code)]", label = "\(c.name)：\(a.description)\(a.required ? "（选“\(c.name)”时必填）" : "（可不填）")"
                let value = form.attribute?[a.code]
                if a.datatype == .singlevaluelist {
                    return Console.select(label, name: name, options: [("", "（不适用）")] + (a.values ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                          selected: value, error: error(name))
                }
                return Console.field(label, name: name, value: value, error: error(name), type: a.datatype == .number ? "number" : "text",
                                     extra: "maxlength=\"200\"")
            }
        }
        let communityOptions = [("", "请选择社区")] + communities.map { ($0.code, $0.name) }
        var mine = Markup.empty
        if let p = req.principal, p.role == .resident {
            let list = try await req.requestQueries.list(in: .reporter(p.account.id), filter: RequestFilter(), now: req.nowSeconds,
                                                         page: PageRequest(page: 1, perPage: 20))
            let rows = list.items.map { r -> [Markup] in
                ["<a href=\"/track?number=\(r.number)\">\(r.number)</a>", Markup.text(names.categories[r.categoryCode]?.name ?? r.categoryCode),
                 Markup.text(RequestPages.truncated(r.description, 30)), Markup.text(r.status.label), Markup.text(Console.time(r.reportedAt))]
            }
            mine = "<section aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">我的诉求</h2>\(Console.table(["编号", "类别", "描述", "状态", "上报时间"], rows, empty: "您还没有反映过问题"))</section>"
        }
        let body: Markup = """
            <h1>邻里 · 社区服务</h1>
            <p>扎实推进社区民主自治与社会建设，提升社区管理、服务和保障水平。身边有设施损坏、环境卫生、邻里纠纷、安全隐患等问题，
               可以在这里反映；社区受理后按时限办理，您可以凭编号和查询码查询进度、评价结果。</p>
            \(mine)
            <section aria-labelledby="report-h" id="report"><h2 id="report-h">反映问题</h2>
            \(message.map { "<div class=\"error\" role=\"alert\"><p>\($0)</p></div>" } ?? Console.formErrors(errors))
            <form method="get" action="/" class="searchbar" aria-label="选择社区">
              \(Console.select("所在社区（先选社区，再选楼栋）", name: "community", options: communityOptions, selected: community))
              <button type="submit" class="secondary">列出楼栋</button>
            </form>
            <form method="post" action="/report">
              \(Self.csrfField(req))
              <input type="hidden" name="community" value="\(community ?? "")">
              \(RequestPages.categorySelect(names, selected: form.category_code, label: "问题类别", empty: "请选择", groups: false, name: "category_code",
                                           error: error("category_code"), required: true))
              \(Console.textarea("问题描述", name: "description", value: form.description, error: error("description"), required: true))
              \(extras.isEmpty ? "" : "<fieldset><legend>补充信息（只填与所选类别相应的一项）</legend>\(extras)</fieldset>")
              \(Console.select("楼栋", name: "building_id", options: buildingOptions, selected: form.building_id?.lowercased(), error: error("building_id")))
              \(Console.field("或填写地址", name: "address", value: form.address, error: error("address"), hint: "如：某某小区 3 栋 2 单元门口", extra: "maxlength=\"200\""))
              <div class="grid2">
              \(Console.field("姓名（可不填）", name: "name", value: form.name, error: error("name"), extra: "maxlength=\"40\" autocomplete=\"name\""))
              \(Console.field("联系电话（可不填，仅办理人员可见）", name: "phone", value: form.phone, error: error("phone"), type: "tel", extra: "maxlength=\"20\" autocomplete=\"tel\""))
              </div>
              <button type="submit">提交</button>
            </form>
            </section>
            \(Self.trackForm(req, message: trackMessage, number: number))
            """
        return Self.page(req, title: "反映问题、查询进度", body: body, status: status)
    }

    static func trackForm(_ req: Request, message: String?, number: String?) -> Markup {
        """
        <section aria-labelledby="track-h" id="track"><h2 id="track-h">查询办理进度</h2>
        \(message.map { "<div class=\"error\" role=\"alert\"><p>\($0)</p></div>" }.orEmpty)
        <form method="post" action="/track" class="searchbar">
          \(csrfField(req))
          \(Console.field("事项编号", name: "number", value: number, required: true, extra: "inputmode=\"numeric\" maxlength=\"12\""))
          \(Console.field("查询码", name: "access_code", required: true, extra: "maxlength=\"8\" autocomplete=\"off\" autocapitalize=\"characters\""))
          <button type="submit">查询</button>
        </form></section>
        """
    }

    /// The submission's field names as the form calls them.
    static let fieldNames = ["service_code": "category_code", "address_string": "address", "lat": "address", "first_name": "name"]

    func report(req: Request) async throws -> Response {
        let form = (try? req.content.decode(ReportForm.self)) ?? ReportForm()
        try Self.checkCSRF(req, form.csrf)
        func text(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        var errors: [FieldError] = []
        var building: UUID?
        if let raw = text(form.building_id) {
            building = UUID(uuidString: raw)
            if building == nil { errors.append(FieldError("building_id", "楼栋不存在")) }
        }
        let input = RequestService.Submission(categoryCode: text(form.category_code), description: form.description, buildingId: building,
                                            address: text(form.address),
                                            attributes: (form.attribute ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty },
                                            name: text(form.name), phone: text(form.phone))
        let submitted: SubmittedRequest
        do {
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            submitted = try await RequestService.submit(input, req: req, limiter: submitLimiter)
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: req)
            guard [400, 422, 429].contains(problem.status) else { throw error }
            await ProblemMiddleware.audit(problem, request: req)
            let fields = (problem.errors ?? []).map { FieldError(Self.fieldNames[$0.field] ?? $0.field, $0.message) }
            return try await renderHome(req, form: form, errors: fields, message: problem.status == 422 ? nil : problem.detail,
                                        status: HTTPResponseStatus(statusCode: problem.status))
        }
        let r = submitted.request
        let body: Markup
        if let code = submitted.accessCode {
            body = """
                <h1>已收到您反映的问题</h1>
                <p class="notice" role="status">请记下编号和查询码，凭它们查询办理进度、评价办理结果。查询码只显示这一次。</p>
                <dl class="facts"><dt>编号</dt><dd><strong id="request-number">\(r.number)</strong></dd>
                <dt>查询码</dt><dd><strong id="access-code">\(code)</strong></dd>
                <dt>处置时限</dt><dd>\(Console.time(r.dueAt))</dd></dl>
                <form method="post" action="/track">\(Self.csrfField(req))<input type="hidden" name="number" value="\(r.number)">
                <input type="hidden" name="access_code" value="\(code)"><button type="submit">查询办理进度</button></form>
                <p><a href="/">返回首页</a></p>
                """
        } else {
            body = """
                <h1>已收到您反映的问题</h1>
                <dl class="facts"><dt>编号</dt><dd><strong id="request-number">\(r.number)</strong></dd><dt>处置时限</dt><dd>\(Console.time(r.dueAt))</dd></dl>
                <p><a href="/track?number=\(r.number)">查询办理进度</a> · <a href="/">返回首页</a></p>
                """
        }
        return Self.page(req, title: "已收到", body: body, status: .created)
    }

    // MARK: Following

    struct TrackForm: Content {
        var csrf: String?
        var number: String?
        var access_code: String?
        var rating: Int?
        var comment: String?
        var note: String?
    }

    func trackPage(req: Request) async throws -> Response {
        let number = req.formQuery("number")
        // Only the signed-in reporter opens their own by the number alone; anyone else gets the form.
        if let number, req.principal != nil, let r = try? await RequestService.tracked(req, number: number, code: nil) {
            return try await progress(req, r, code: nil)
        }
        return Self.page(req, title: "查询办理进度", body: Self.trackForm(req, message: nil, number: number))
    }

    func form(_ req: Request) throws -> TrackForm {
        let form: TrackForm
        do { form = try req.content.decode(TrackForm.self) } catch {
            throw ProblemError.badRequest("body", "表单内容无法读取，请刷新页面后重试")
        }
        try Self.checkCSRF(req, form.csrf)
        return form
    }

    func opened(_ req: Request, _ form: TrackForm) async throws -> RequestRecord? {
        let number = form.number?.trimmingCharacters(in: .whitespaces)
        let code = form.access_code?.trimmingCharacters(in: .whitespaces)
        do { return try await RequestService.tracked(req, number: number, code: code) } catch let e as ProblemError where e.status == .tooManyRequests {
            throw e   // too many wrong tries: the error page says to try later
        } catch { return nil }
    }

    func notFound(_ req: Request, _ form: TrackForm) -> Response {
        Self.page(req, title: "查询办理进度",
                  body: Self.trackForm(req, message: "未找到该事项，请核对编号和查询码", number: form.number), status: .notFound)
    }

    func track(req: Request) async throws -> Response {
        let form = try form(req)
        guard let r = try await opened(req, form) else { return notFound(req, form) }
        return try await progress(req, r, code: form.access_code)
    }

    func rate(req: Request) async throws -> Response {
        let form = try form(req)
        guard let r = try await opened(req, form) else { return notFound(req, form) }
        do {
            let rated = try await RequestService.rate(r, rating: form.rating, comment: form.comment, req: req)
            return try await progress(req, rated, code: form.access_code, notice: "感谢您的评价")
        } catch {
            return try await refused(req, error, r, form)
        }
    }

    func reopen(req: Request) async throws -> Response {
        let form = try form(req)
        guard let r = try await opened(req, form) else { return notFound(req, form) }
        do {
            let reopened = try await RequestService.reopen(r, note: form.note, req: req)
            return try await progress(req, reopened, code: form.access_code, notice: "已重新提交办理")
        } catch {
            return try await refused(req, error, r, form)
        }
    }

    func refused(_ req: Request, _ error: any Error, _ r: RequestRecord, _ form: TrackForm) async throws -> Response {
        let problem = ProblemMiddleware.problem(for: error, request: req)
        guard [400, 403, 409, 422].contains(problem.status) else { throw error }
        await ProblemMiddleware.audit(problem, request: req)
        let fresh = try await req.requestQueries.find(id: r.id, in: .everything) ?? r
        return try await progress(req, fresh, code: form.access_code, message: problem.detail,
                                  errors: (problem.errors ?? []).map { FieldError($0.field, $0.message) },
                                  status: HTTPResponseStatus(statusCode: problem.status))
    }

    /// What the API's tracking shows (no names, no contacts, no staff), with the rating and reopening forms when they apply.
    func progress(_ req: Request, _ r: RequestRecord, code: String?, notice: String? = nil, message: String? = nil,
                  errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let q = req.requestQueries
        let t = TrackedRequestDTO(r, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds)
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        func time(_ wire: String?) -> String { wire.map { String($0.prefix(10)) + " " + String($0.dropFirst(11).prefix(5)) } ?? "—" }
        let hidden: Markup = "\(Self.csrfField(req))<input type=\"hidden\" name=\"number\" value=\"\(t.number)\"><input type=\"hidden\" name=\"access_code\" value=\"\(code ?? "")\">"
        let steps = t.steps.map { s -> Markup in
            "<li><b>\(s.actionLabel)</b> → \(s.statusLabel)<br><small>\(time(s.at))</small>\(s.reply.map { "<p class=\"note\">\($0)</p>" }.orEmpty)</li>"
        }
        var forms = Markup.empty
        if t.canRate {
            let stars = Satisfaction.range.reversed().map { n -> Markup in
                "<label class=\"choice\"><input type=\"radio\" name=\"rating\" value=\"\(n)\" required> \(n) 分 · \(Satisfaction.label(n))</label>"
            }
            let ratingError = error("rating")
            forms += """
                <section aria-labelledby="rate-h"><h2 id="rate-h">评价办理结果</h2>
                <form method="post" action="/track/rating">\(hidden)
                <fieldset\(ratingError == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"f-rating-err\"")><legend>满意程度<span class="req" aria-hidden="true">*</span></legend>\(stars)</fieldset>
                \(ratingError.map { "<p id=\"f-rating-err\" class=\"field-error\">\($0)</p>" }.orEmpty)
                \(Console.textarea("评价内容（可不填）", name: "comment", error: error("comment"), maxLength: 500))
                <button type="submit">提交评价</button></form></section>
                """
        }
        if t.canReopen {
            forms += """
                <section aria-labelledby="reopen-h"><h2 id="reopen-h">对结果不满意</h2>
                <p class="muted">办结后\(RequestWorkflow.reopenWindowDays)天内可以要求重新办理。</p>
                <form method="post" action="/track/reopen">\(hidden)
                \(Console.textarea("不满意的原因", name: "note", error: error("note"), required: true, maxLength: 1000))
                <button type="submit" class="danger">重新办理</button></form></section>
                """
        }
        let body: Markup = """
            <nav class="crumbs" aria-label="位置"><ol><li><a href="/">首页</a></li><li aria-current="page">办理进度</li></ol></nav>
            <h1>事项 \(t.number) 的办理进度</h1>
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(message.map { "<div class=\"error\" role=\"alert\"><p>\($0)</p></div>" }.orEmpty)
            <dl class="facts"><dt>类别</dt><dd>\(t.categoryName)</dd><dt>状态</dt><dd id="request-status">\(t.statusLabel)</dd>
            <dt>上报时间</dt><dd>\(time(t.reportedAt))</dd><dt>处置时限</dt><dd>\(time(t.dueAt))</dd>
            \(t.resolvedAt.map { "<dt>办结时间</dt><dd>\(time($0))</dd>" }.orEmpty)
            \(t.rating.map { "<dt>您的评价</dt><dd>\($0) 分（\(Satisfaction.label($0))）</dd>" }.orEmpty)</dl>
            <section aria-labelledby="steps-h"><h2 id="steps-h">办理过程</h2><ol class="timeline">\(steps)</ol></section>
            \(forms)
            """
        return Self.page(req, title: "办理进度", body: body, status: status)
    }
}
