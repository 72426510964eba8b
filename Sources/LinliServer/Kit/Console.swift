import Foundation
import LinliCore
import LinliData
import Vapor

/// The signed-in user of a console page, with the CSRF token its forms carry.
struct WebUser: Sendable {
    let principal: Principal
    let csrf: String
    var role: Role { principal.role }
    var account: AccountRecord { principal.account }
    func may(_ permission: Permission) -> Bool { role.permissions.contains(permission) }
}

/// Thrown by a page that needs a signed-in user when there is none: the shell answers with the sign-in page.
struct SignInRequired: Error {}

extension Request {
    /// The console's user, or `SignInRequired`; 403 (as a page) without the permission.
    func webUser(_ needs: Permission? = nil) throws -> WebUser {
        guard let p = principal, let csrf = csrfToken else { throw SignInRequired() }
        if let needs, !p.role.permissions.contains(needs) {
            throw ProblemError(status: .forbidden, detail: "\(p.role.label)无权查看此页面")
        }
        return WebUser(principal: p, csrf: csrf)
    }

    /// Checks a console form's CSRF token (forms post `csrf`).
    func checkCSRF(_ user: WebUser, _ sent: String?) throws {
        guard WebSession.same(user.csrf, sent ?? "") else {
            throw ProblemError(status: .forbidden, detail: "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        }
    }
}

/// A step of the breadcrumb trail; the last one has no link.
struct Crumb: Sendable {
    let label: String
    let href: String?
    init(_ label: String, _ href: String? = nil) { self.label = label; self.href = href }
}

/// The console's page shell: header with the sections the role may use, breadcrumbs, the page's body.
/// Pages are `Markup`: text inserted into them is escaped by construction.
enum Console {
    typealias Section = ConsoleSection

    /// The console's sections, in the order of the navigation bar: each capability's own.
    static var sections: [Section] { Capabilities.sections }

    static func page(_ req: Request, _ user: WebUser?, title: String, crumbs: [Crumb] = [], body: Markup,
                     status: HTTPResponseStatus = .ok, wide: Bool = true, head: Markup = .empty) -> Response {
        let path = req.url.path
        var header = Markup.empty
        if let user {
            let links = navigation(sections.filter { $0.needs.map(user.may) ?? true }, path: path)
            header = """
                <header class="top">
                  <a class="brand" href="/console">邻里</a>
                  <nav aria-label="主导航">\(links)</nav>
                  <div class="who"><span>\(user.account.displayName)（\(user.role.label)）</span>
                    <a href="/console/password">修改密码</a>
                    <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(user.csrf)"><button type="submit" class="link">退出</button></form>
                  </div>
                </header>
                """
        }
        let steps = crumbs.map { (c: Crumb) -> Markup in
            c.href.map { "<li><a href=\"\($0)\">\(c.label)</a></li>" } ?? "<li aria-current=\"page\">\(c.label)</li>"
        }
        let trail: Markup = crumbs.isEmpty ? .empty : "<nav class=\"crumbs\" aria-label=\"位置\"><ol>\(steps)</ol></nav>"
        return HTML.page(title: title, body: """
            <a class="skip" href="#main">跳到正文</a>
            \(header)
            <main id="main" class="\(wide ? "sheet" : "card")">
            \(trail)
            \(body)
            </main>
            """, status: status, head: head)
    }

    /// The bar's entries: sections without a menu as links, the others gathered into their menu at the place of
    /// the menu's first section (a `details`, so it opens without script and by keyboard).
    static func navigation(_ visible: [Section], path: String) -> Markup {
        func isCurrent(_ s: Section) -> Bool {
            path == s.href || (s.href != "/console" && path.hasPrefix(s.href + "/")
                && !visible.contains { $0.href != s.href && $0.href.hasPrefix(s.href) && path.hasPrefix($0.href) })
        }
        func link(_ s: Section) -> Markup { "<a href=\"\(s.href)\"\(isCurrent(s) ? " aria-current=\"page\"" : "")>\(s.label)</a>" }
        var entries: [Markup] = []
        var shown = Set<NavGroup>()
        for section in visible {
            guard let group = section.group else { entries.append(link(section)); continue }
            guard shown.insert(group).inserted else { continue }
            let members = visible.filter { $0.group == group }
            if members.count == 1 { entries.append(link(section)); continue }
            let here = members.contains(where: isCurrent)
            entries.append("<details class=\"menu\"><summary\(here ? " class=\"here\"" : "")>\(group.rawValue)</summary><div>\(members.map(link))</div></details>")
        }
        return entries.joined()
    }

    /// An error as a page (the API answers problem+json; people get words and a way back).
    static func errorPage(_ req: Request, _ problem: Problem) -> Response {
        let user = try? req.webUser()
        let heading: String
        switch problem.status {
        case 403: heading = "无权访问"
        case 404: heading = "未找到"
        case 409: heading = "操作冲突"
        case 400, 422: heading = "提交的信息有误"
        case 429: heading = "请稍后再试"
        case 503: heading = "系统暂时无法处理"
        default: heading = problem.status >= 500 ? "系统出错" : "无法完成"
        }
        let body: Markup = """
            <h1>\(heading)</h1>
            <p class="error" role="alert">\(problem.detail)</p>
            <p><a href="javascript:history.back()">返回上一页</a> · <a href="\(user == nil ? "/" : "/console")">\(user == nil ? "首页" : "工作台")</a></p>
            """
        return page(req, user, title: heading, body: body, status: HTTPResponseStatus(statusCode: problem.status), wide: false)
    }

    /// Previous/next links and "第 n / m 页" for a paginated list; `query` keeps the list's filters.
    static func pager<T>(_ page: ResultPage<T>, path: String, query: [(String, String?)]) -> Markup {
        let pages = max(1, (page.total + page.perPage - 1) / page.perPage)
        func link(_ n: Int) -> String {
            var items = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
            if n > 1 { items.append(URLQueryItem(name: "page", value: String(n))) }
            var c = URLComponents()
            c.path = path
            c.queryItems = items.isEmpty ? nil : items
            return c.string ?? path
        }
        let prev: Markup = page.page > 1 ? "<a rel=\"prev\" href=\"\(link(page.page - 1))\">上一页</a>" : "<span>上一页</span>"
        let next: Markup = page.page < pages ? "<a rel=\"next\" href=\"\(link(page.page + 1))\">下一页</a>" : "<span>下一页</span>"
        return "<nav class=\"pager\" aria-label=\"分页\">\(prev)<span>第 \(page.page) / \(pages) 页，共 \(page.total) 条</span>\(next)</nav>"
    }

    /// A table of cells, wrapped so a phone scrolls it instead of the page.
    static func table(_ headers: [String], _ rows: [[Markup]], empty: String = "暂无记录") -> Markup {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let head = headers.map { (h: String) -> Markup in "<th scope=\"col\">\(h)</th>" }
        let body = rows.map { (row: [Markup]) -> Markup in "<tr>\(row.map { (c: Markup) -> Markup in "<td>\(c)</td>" })</tr>" }
        return "<div class=\"scroll\"><table><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>"
    }

    /// A labelled input with its field-level message (`aria-invalid`, `aria-describedby`). `extra` is further
    /// attributes, written in the page's source.
    static func field(_ label: String, name: String, value: String? = nil, error: String? = nil, type: String = "text",
                      required: Bool = false, hint: String? = nil, extra: Markup = .empty) -> Markup {
        let id = "f-" + name
        let described = [error.map { _ in id + "-err" }, hint.map { _ in id + "-hint" }].compactMap { $0 }
        return """
            <div class="field\(error == nil ? "" : " invalid")">
              <label for="\(id)">\(label)\(required ? "<span class=\"req\" aria-hidden=\"true\">*</span>" : "")</label>
              <input id="\(id)" name="\(name)" type="\(type)" value="\(value ?? "")"\(required ? " required" : "")\(error == nil ? "" : " aria-invalid=\"true\"")\(described.isEmpty ? "" : " aria-describedby=\"\(described.joined(separator: " "))\"") \(extra)>
              \(hint.map { "<small id=\"\(id)-hint\">\($0)</small>" }.orEmpty)
              \(error.map { "<p id=\"\(id)-err\" class=\"field-error\">\($0)</p>" }.orEmpty)
            </div>
            """
    }

    /// A labelled select; `options` are (value, label).
    static func select(_ label: String, name: String, options: [(String, String)], selected: String? = nil, error: String? = nil,
                       required: Bool = false) -> Markup {
        let id = "f-" + name
        let opts = options.map { (v: String, l: String) -> Markup in
            "<option value=\"\(v)\"\(v == selected ? " selected" : "")>\(l)</option>"
        }
        return """
            <div class="field\(error == nil ? "" : " invalid")">
              <label for="\(id)">\(label)\(required ? "<span class=\"req\" aria-hidden=\"true\">*</span>" : "")</label>
              <select id="\(id)" name="\(name)"\(required ? " required" : "")\(error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-err\"")>\(opts)</select>
              \(error.map { "<p id=\"\(id)-err\" class=\"field-error\">\($0)</p>" }.orEmpty)
            </div>
            """
    }

    /// A multi-line text field.
    static func textarea(_ label: String, name: String, value: String? = nil, error: String? = nil, required: Bool = false,
                         maxLength: Int = 2000) -> Markup {
        let id = "f-" + name
        return """
            <div class="field\(error == nil ? "" : " invalid")">
              <label for="\(id)">\(label)\(required ? "<span class=\"req\" aria-hidden=\"true\">*</span>" : "")</label>
              <textarea id="\(id)" name="\(name)" rows="3" maxlength="\(maxLength)"\(required ? " required" : "")\(error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-err\"")>\(value ?? "")</textarea>
              \(error.map { "<p id=\"\(id)-err\" class=\"field-error\">\($0)</p>" }.orEmpty)
            </div>
            """
    }

    static func csrfField(_ user: WebUser) -> Markup { "<input type=\"hidden\" name=\"csrf\" value=\"\(user.csrf)\">" }

    /// The summary above a form that was refused: every message, so a screen reader hears them at once.
    static func formErrors(_ errors: [FieldError]) -> Markup {
        guard !errors.isEmpty else { return .empty }
        return "<div class=\"error\" role=\"alert\"><p>请更正以下问题：</p><ul>\(errors.map { (e: FieldError) -> Markup in "<li>\(e.message)</li>" })</ul></div>"
    }

    /// "2024-05-01 08:30" in Beijing time from epoch seconds.
    static func time(_ epoch: Int64) -> String {
        let wire = WireTime.string(epoch)   // 2024-05-01T08:30:00+08:00
        return wire.prefix(10) + " " + wire.dropFirst(11).prefix(5)
    }
}

/// Console pages answer errors with a page, not problem+json, and an expired session with the sign-in page.
/// Refusals are audited as the API's are.
struct WebErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch is SignInRequired {
            let target = req.method == .GET ? req.url.string : "/console"
            var c = URLComponents()
            c.path = "/login"
            c.queryItems = [URLQueryItem(name: "next", value: target)]
            return req.redirect(to: c.string ?? "/login")
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: req)
            await ProblemMiddleware.audit(problem, request: req)
            return Console.errorPage(req, problem)
        }
    }
}
