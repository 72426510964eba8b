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
        let body: Markup = """
            <main class="card" id="main">
              <h1>邻里 · 社区治理服务平台</h1>
              <h2>工作人员登录</h2>
              \(message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }.orEmpty)
              <form method="post" action="/login">
                <input type="hidden" name="csrf" value="\(csrf)">
                <input type="hidden" name="next" value="\(Self.safeNext(next))">
                <label for="username">用户名</label><input id="username" name="username" autocomplete="username" required maxlength="64" value="\(username ?? "")"\(username == nil ? " autofocus" : "")>
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
        let body: Markup = """
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
            try await AccountService.changePassword(of: user.principal, current: form.current_password, new: form.new_password, req: req)
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

    static func page(title: String, body: Markup, status: HTTPResponseStatus = .ok, head: Markup = .empty) -> Response {
        let html: Markup = """
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · 邻里</title>
            <link rel="stylesheet" href="/assets/console.css">
            \(head)
            </head>
            <body>
            \(body)
            </body>
            </html>
            """
        let response = Response(status: status, body: .init(string: html.description))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The console's stylesheet (Resources/console.css), read once.
    static let css: String = {
        guard let url = Bundle.module.url(forResource: "console", withExtension: "css"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("console.css is missing from the LinliServer bundle")
        }
        return text
    }()
}
