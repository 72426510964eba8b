import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's entry: sign-in, the home page of each role, change password, sign-out.
/// Rendered on the server, no script at all, every value HTML-escaped.
struct WebPages {
    let limiter: RateLimiter
    let decoyHash: DecoyHash

    func boot(_ routes: CapabilityRoutes) {
        // Signing in and out answer their own refusals (the form again, not an error page).
        let signIn = routes.root.grouped(CookieAuthenticator()).answering(as: .page)
        signIn.get("login", needs: .open, use: loginPage)
        signIn.post("login", needs: .open, use: login)
        signIn.post("logout", needs: .open, use: logout)
        routes.pages.get("console", needs: .signedIn, use: home)
        routes.pages.get("console", "password", needs: .signedIn, use: passwordPage)
        routes.pages.post("console", "password", needs: .signedIn, use: changePassword)
        routes.root.answering(as: .page).get("assets", "console.css", needs: .open, use: stylesheet)
    }

    func loginPage(req: Request) async throws -> Response {
        try renderLogin(req, message: nil, status: .ok, next: req.query[String.self, at: "next"])
    }

    /// Only a path of this site is followed after sign-in: one leading slash, then printable ASCII without
    /// a backslash (a browser's own URLs are percent-encoded). So never `//host` or a full URL, and no
    /// control character that would end the `Location` header or that a browser strips (`/%09/host`
    /// becomes `//host`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.utf8.count < 500, next.utf8.first == UInt8(ascii: "/"),
              next.utf8.dropFirst().first != UInt8(ascii: "/"),
              next.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return "/console" }
        return next
    }

    func renderLogin(_ req: Request, message: String?, status: HTTPResponseStatus, next: String?, username: String? = nil) throws -> Response {
        let linli = req.application.linli
        let nonce = PreSessionCSRF.newNonce(now: linli.now())
        let csrf = PreSessionCSRF.token(nonce: nonce, purpose: "login", key: linli.csrfKey)
        let body = """
            <main class="card" id="main">
              <h1>邻里 · 社区治理服务平台</h1>
              <h2>工作人员登录</h2>
              \(message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
              <form method="post" action="/login">
                <input type="hidden" name="csrf" value="\(csrf)">
                <input type="hidden" name="next" value="\(HTML.escape(Self.safeNext(next)))">
                <label for="username">用户名</label><input id="username" name="username" autocomplete="username" required maxlength="64" value="\(HTML.escape(username ?? ""))"\(username == nil ? " autofocus" : "")>
                <label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"\(username == nil ? "" : " autofocus")>
                <label for="totp">动态口令（街道、区级干部和管理员）</label><input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
                <button type="submit">登录</button>
              </form>
              <p class="muted">居民反映问题、查询办理进度请到 <a href="/">邻里服务首页</a>，无需登录。</p>
            </main>
            """
        let response = HTML.page(title: "登录", body: body, status: status)
        response.cookies[WebSession.preLoginCSRFCookie] = HTTPCookies.Value(string: nonce, maxAge: Self.loginFormLifetime, path: "/login", isSecure: true,
                                                                           isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// Seconds a sign-in form stays good (its cookie's lifetime too).
    static let loginFormLifetime = 1800

    struct LoginForm: Content {
        var csrf: String? = nil
        var username: String? = nil
        var password: String? = nil
        var totp: String? = nil
        var next: String? = nil
    }

    func login(req: Request) async throws -> Response {
        let form = (try? req.content.decode(LoginForm.self)) ?? LoginForm()
        let linli = req.application.linli
        guard PreSessionCSRF.valid(nonce: req.cookies[WebSession.preLoginCSRFCookie]?.string, sent: form.csrf, purpose: "login",
                                   key: linli.csrfKey, now: linli.now(), lifetime: TimeInterval(Self.loginFormLifetime)) else {
            return try renderLogin(req, message: "登录表单已过期，请重新输入后登录", status: .forbidden, next: form.next, username: form.username)
        }
        let outcome = try await SignIn.attempt(username: form.username ?? "", password: form.password ?? "", totp: form.totp,
                                               req: req, limiter: limiter, decoyHash: decoyHash)
        switch outcome {
        case .refused(let problem):
            let page = try renderLogin(req, message: problem.detail, status: problem.status, next: form.next, username: form.username)
            if let wait = problem.retryAfter { page.headers.replaceOrAdd(name: .retryAfter, value: String(wait)) }
            return page
        case .signedIn(let token, _):
            let response = req.redirect(to: Self.safeNext(form.next), redirectType: .normal)
            response.cookies[WebSession.cookieName] = WebSession.sessionCookie(token, maxAge: Int(req.application.linli.sessionLifetime))
            response.cookies[WebSession.preLoginCSRFCookie] = WebSession.expired(WebSession.preLoginCSRFCookie)
            return response
        }
    }

    func home(req: Request) async throws -> Response {
        let user = try req.webUser()
        // Residents are served by the portal: their own requests are listed there.
        if user.role == .resident { return req.redirect(to: "/") }
        let body = try await HomePage.render(req, user)
        return Console.page(req, user, title: "工作台", crumbs: [], body: body)
    }

    func passwordPage(req: Request) async throws -> Response {
        let user = try req.webUser()
        return renderPassword(req, user, errors: [])
    }

    func renderPassword(_ req: Request, _ user: WebUser, errors: [FieldError], status: HTTPResponseStatus = .ok) -> Response {
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let body = """
            <h1>修改密码</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/password">
              \(Console.csrfField(user))
              \(Console.field("当前密码", name: "current_password", error: error("current_password"), type: "password", required: true, extra: "autocomplete=\"current-password\" maxlength=\"128\""))
              \(Console.field("新密码", name: "new_password", error: error("new_password"), type: "password", required: true,
                              hint: "至少 \(PasswordPolicy.minimumLength) 位，含大写字母、小写字母、数字、符号中的至少三类，不含用户名", extra: "autocomplete=\"new-password\" maxlength=\"128\""))
              <button type="submit">修改密码</button>
            </form>
            <p class="muted">修改后，本账号的所有会话（包括当前会话）都将结束，请用新密码重新登录。</p>
            """
        return Console.page(req, user, title: "修改密码", crumbs: [Crumb("工作台", "/console"), Crumb("修改密码")], body: body,
                            status: status, wide: false)
    }

    struct PasswordForm: Content {
        var csrf: String? = nil
        var current_password: String? = nil
        var new_password: String? = nil
    }

    func changePassword(req: Request) async throws -> Response {
        let user = try req.webUser()
        let form = (try? req.content.decode(PasswordForm.self)) ?? PasswordForm()
        try req.checkCSRF(user, form.csrf)
        do {
            try await AuthAPI.changePassword(of: user.principal, current: form.current_password, new: form.new_password, req: req)
        } catch RegistryError.invalid(let errors) {
            return renderPassword(req, user, errors: errors, status: .unprocessableEntity)
        }
        let response = try renderLogin(req, message: nil, status: .ok, next: nil, username: user.account.username)
        response.cookies[WebSession.cookieName] = WebSession.expired(WebSession.cookieName)
        return response
    }

    struct CSRFForm: Content { var csrf: String? = nil }

    func logout(req: Request) async throws -> Response {
        guard let p = req.principal, let expected = req.csrfToken else { return req.redirect(to: "/login") }
        let form = (try? req.content.decode(CSRFForm.self)) ?? CSRFForm()
        guard WebSession.same(expected, form.csrf ?? "") else {
            throw ProblemError(status: .forbidden, detail: "表单来源不明（CSRF 校验失败）")
        }
        if let key = req.storage[SessionKeyHash.self] { req.application.linli.sessionCache.remove(key) }
        try await AccountQueries(req.db).revoke(session: p.session.id, account: p.account, reason: .logout, by: req.auditActor,
                                                now: req.application.linli.now())
        let response = req.redirect(to: "/login")
        response.cookies[WebSession.cookieName] = WebSession.expired(WebSession.cookieName)
        return response
    }

    func stylesheet(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: HTML.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

enum HTML {
    /// Escapes text for element content and quoted attributes, in HTML and in XML (Open311's answers):
    /// the five markup characters as references that both read, and the characters `TextInput` refuses
    /// left out (XML 1.0 cannot carry the controls, U+FFFE or U+FFFF at all; HTML calls them errors), so
    /// that a value stored before the rule cannot break a page or the Open311 feed.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where !TextInput.isAllowed(u): continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func page(title: String, body: String, status: HTTPResponseStatus = .ok, head: String = "") -> Response {
        let html = """
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · 邻里</title>
            <link rel="stylesheet" href="/assets/console.css">
            \(head)
            </head>
            <body>
            \(body)
            </body>
            </html>
            """
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static let css = """
        *, *::before, *::after { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               margin: 0; background: #f4f6f8; color: #1f2933; line-height: 1.5; overflow-wrap: anywhere; }
        a { color: #1769aa; } a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid #f0b429; outline-offset: 1px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: .5rem; top: .5rem; background: #fff; padding: .5rem; z-index: 9; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; padding: .5rem 1rem; background: #102a43; color: #fff; }
        .top a { color: #fff; text-decoration: none; } .top .brand { font-weight: 700; font-size: 1.15rem; }
        .top nav { display: flex; flex-wrap: wrap; gap: .25rem .9rem; } .top nav a[aria-current] { border-bottom: 2px solid #f0b429; }
        .top .who { margin-left: auto; display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: center; font-size: .9rem; }
        .card { max-width: 28rem; margin: 2rem auto; padding: 1.25rem; background: #fff; border-radius: 8px;
                box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        .sheet { max-width: 72rem; margin: 1rem auto; padding: 1rem 1.25rem; background: #fff; border-radius: 8px;
                 box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        .card.wide { max-width: 60rem; }
        h1 { font-size: 1.3rem; margin: 0 0 .75rem; } h2 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
        .crumbs ol { list-style: none; display: flex; flex-wrap: wrap; padding: 0; margin: 0 0 .75rem; font-size: .9rem; color: #52606d; }
        .crumbs li + li::before { content: "›"; padding: 0 .4rem; }
        label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
        input, select, textarea { display: block; width: 100%; padding: .5rem; font-size: 1rem; border: 1px solid #9fb3c8;
                                  border-radius: 4px; background: #fff; font-family: inherit; }
        input[type=checkbox], input[type=radio] { display: inline; width: auto; }
        .field small { color: #52606d; } .field-error { color: #b42318; margin: .2rem 0 0; }
        .invalid input, .invalid select, .invalid textarea { border-color: #b42318; background: #fef3f2; }
        .req { color: #b42318; margin-left: .2rem; }
        .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
        button, .button { display: inline-block; margin-top: .75rem; padding: .55rem 1.1rem; font-size: 1rem; background: #1769aa;
                 color: #fff; border: 0; border-radius: 4px; cursor: pointer; text-decoration: none; font-family: inherit; }
        button.secondary, .button.secondary { background: #e4e7eb; color: #1f2933; } button.danger { background: #b42318; }
        button.link { background: none; color: inherit; padding: 0; margin: 0; text-decoration: underline; font-size: .9rem; }
        form.inline { display: inline; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
        .searchbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; } .searchbar .field { flex: 1 1 12rem; }
        .searchbar button { margin-top: 0; }
        .scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
        th, td { border-bottom: 1px solid #d9e2ec; padding: .4rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f0f4f8; white-space: nowrap; } td a, td .badge, td button { white-space: nowrap; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .5rem 0; }
        dl.facts dt { color: #52606d; } dl.facts dd { margin: 0; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; margin: .75rem 0; }
        .tile { background: #f0f4f8; border-radius: 6px; padding: .75rem; } .tile b { display: block; font-size: 1.5rem; }
        .tile.red { background: #fde8e8; } .tile.yellow { background: #fff7d6; } .tile.green { background: #e3f9e5; }
        .badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; background: #e4e7eb; }
        .badge.red { background: #b42318; color: #fff; } .badge.yellow { background: #f0b429; color: #1f2933; }
        .badge.green { background: #2f8132; color: #fff; }
        .pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: .75rem 0; }
        .pager span:first-child, .pager span:last-child { color: #9aa5b1; }
        ol.timeline { list-style: none; padding: 0; border-left: 3px solid #d9e2ec; margin-left: .5rem; }
        ol.timeline li { padding: 0 0 .75rem 1rem; position: relative; }
        ol.timeline li::before { content: ""; position: absolute; left: -.45rem; top: .35rem; width: .6rem; height: .6rem;
                                 border-radius: 50%; background: #1769aa; }
        .tabs { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0 0 .5rem; } .tabs a[aria-current] { font-weight: 700; text-decoration: none; border-bottom: 2px solid #1769aa; }
        form.act { border-top: 1px solid #d9e2ec; padding: .5rem 0; } form.act h3 { margin: .25rem 0; font-size: 1rem; }
        .note { margin: .2rem 0; white-space: pre-wrap; } .photos img { object-fit: cover; margin: .2rem .2rem 0 0; border-radius: 4px; }
        fieldset { border: 1px solid #9fb3c8; border-radius: 4px; } label.choice { font-weight: 400; margin: .3rem 0; }
        .muted, .empty { color: #52606d; } .notice { background: #e3f9e5; padding: .5rem; border-radius: 4px; }
        progress { width: 100%; height: 1.2rem; } input[type=file] { border: 1px dashed #9fb3c8; }
        .error { color: #b42318; background: #fef3f2; padding: .5rem; border-radius: 4px; } .error ul { margin: .25rem 0; }
        nav.children a { margin-right: .75rem; } .chip { display: inline-block; padding: 0 .5rem; border-radius: 3px; color: #fff; }
        \(IndicatorStatus.allCases.map { ".chip.st-\($0.rawValue) { background: \($0.colour); }" }.joined(separator: " "))
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr)); gap: 1rem; }
        .charts figure { margin: 0; } .charts svg { max-width: 100%; height: auto; }
        td.num { text-align: right; white-space: nowrap; } .small { color: #52606d; font-size: .85rem; }
        @media (max-width: 40rem) { .sheet, .card { margin: 0; border-radius: 0; padding: .75rem; } .top .who { margin-left: 0; } }
        @media print { .top, .crumbs, .actions, form, button, .skip, .pager, .noprint { display: none !important; }
                       body { background: #fff; } .sheet, .card { box-shadow: none; margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
                       .exports, nav.children { display: none; } figure, tr { break-inside: avoid; }
                       .chip { border: 1px solid #000; color: #000 !important; background: none !important; } }
        """
}
