import Foundation
import LinliCore
import LinliData
import Vapor

/// The web console's first pages: sign-in, a signed-in home page, sign-out. Rendered on the server,
/// no script at all, every value HTML-escaped.
struct WebPages: RouteCollection {
    let limiter: RateLimiter
    let decoyHash: String

    func boot(routes: any RoutesBuilder) throws {
        let web = routes.grouped(CookieAuthenticator())
        web.get("login", use: loginPage)
        web.post("login", use: login)
        web.get("console", use: home)
        web.post("logout", use: logout)
        routes.get("assets", "console.css", use: stylesheet)
    }

    func loginPage(req: Request) async throws -> Response {
        try renderLogin(req, message: nil, status: .ok)
    }

    func renderLogin(_ req: Request, message: String?, status: HTTPResponseStatus) throws -> Response {
        let csrf = WebSession.randomToken()
        let body = """
            <main class="card">
              <h1>邻里 · 社区治理服务平台</h1>
              <h2>登录</h2>
              \(message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
              <form method="post" action="/login">
                <input type="hidden" name="csrf" value="\(csrf)">
                <label>用户名 <input name="username" autocomplete="username" required maxlength="64"></label>
                <label>密码 <input name="password" type="password" autocomplete="current-password" required maxlength="128"></label>
                <label>动态口令（街道、区级干部和管理员） <input name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></label>
                <button type="submit">登录</button>
              </form>
            </main>
            """
        let response = HTML.page(title: "登录", body: body, status: status)
        response.cookies[WebSession.preLoginCSRFCookie] = HTTPCookies.Value(string: csrf, maxAge: 1800, path: "/login", isSecure: true,
                                                                           isHTTPOnly: true, sameSite: .strict)
        return response
    }

    struct LoginForm: Content {
        var csrf: String? = nil
        var username: String? = nil
        var password: String? = nil
        var totp: String? = nil
    }

    func login(req: Request) async throws -> Response {
        let form = (try? req.content.decode(LoginForm.self)) ?? LoginForm()
        guard let cookie = req.cookies[WebSession.preLoginCSRFCookie]?.string, WebSession.same(cookie, form.csrf ?? "") else {
            throw ProblemError(status: .forbidden, detail: "表单已过期或来源不明（CSRF 校验失败），请刷新登录页后重试")
        }
        let outcome = try await SignIn.attempt(username: form.username ?? "", password: form.password ?? "", totp: form.totp,
                                               req: req, limiter: limiter, decoyHash: decoyHash)
        switch outcome {
        case .refused(let problem):
            return try renderLogin(req, message: problem.detail, status: problem.status)
        case .signedIn(let token, _):
            let response = req.redirect(to: "/console", redirectType: .normal)
            response.cookies[WebSession.cookieName] = WebSession.sessionCookie(token, maxAge: Int(req.application.linli.sessionLifetime))
            response.cookies[WebSession.preLoginCSRFCookie] = WebSession.expired(WebSession.preLoginCSRFCookie)
            return response
        }
    }

    func home(req: Request) async throws -> Response {
        guard let p = req.principal, let csrf = req.csrfToken else { return req.redirect(to: "/login") }
        let body = """
            <main class="card">
              <h1>邻里 · 社区治理服务平台</h1>
              <p>您好，\(HTML.escape(p.account.displayName))（\(HTML.escape(p.role.label))，管辖区划 \(HTML.escape(p.account.divisionCode))）。</p>
              \(p.role.permissions.contains(.registryWrite) ? "<p><a href=\"/console/import\">导入居民信息（Excel / CSV）</a></p>" : "")
              \(p.role.permissions.contains(.indicatorsRead) ? "<p><a href=\"/console/indicators\">规划指标（发展目标）</a></p>" : "")
              <p>会话在 30 分钟无操作后自动结束。</p>
              <form method="post" action="/logout">
                <input type="hidden" name="csrf" value="\(csrf)">
                <button type="submit">退出登录</button>
              </form>
            </main>
            """
        return HTML.page(title: "工作台", body: body)
    }

    struct CSRFForm: Content { var csrf: String? = nil }

    func logout(req: Request) async throws -> Response {
        guard let p = req.principal, let expected = req.csrfToken else { return req.redirect(to: "/login") }
        let form = (try? req.content.decode(CSRFForm.self)) ?? CSRFForm()
        guard WebSession.same(expected, form.csrf ?? "") else {
            throw ProblemError(status: .forbidden, detail: "表单来源不明（CSRF 校验失败）")
        }
        if let key = req.storage[SessionKeyHash.self] { req.application.linli.sessionCache.remove(key) }
        try await AccountQueries(req.db).revoke(session: p.session.id, account: p.account, reason: "auth.logout", by: req.auditActor,
                                                now: req.application.linli.now())
        let response = req.redirect(to: "/login")
        response.cookies[WebSession.cookieName] = WebSession.expired(WebSession.cookieName)
        return response
    }

    func stylesheet(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: HTML.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        return response
    }
}

enum HTML {
    /// Escapes text for element content and quoted attributes.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
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
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               margin: 0; background: #f4f6f8; color: #1f2933; }
        .card { max-width: 26rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border-radius: 8px;
                box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        h1 { font-size: 1.25rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; }
        label { display: block; margin: .75rem 0; } input { display: block; width: 100%; box-sizing: border-box;
        padding: .5rem; font-size: 1rem; margin-top: .25rem; }
        button { margin-top: 1rem; padding: .6rem 1.2rem; font-size: 1rem; background: #1769aa; color: #fff;
                 border: 0; border-radius: 4px; } button:focus, input:focus { outline: 3px solid #f0b429; }
        .card.wide { max-width: 60rem; } table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
        th, td { border: 1px solid #d9e2ec; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        progress { width: 100%; height: 1.2rem; } input[type=file] { border: 1px dashed #9fb3c8; }
        .error { color: #b42318; background: #fef3f2; padding: .5rem; border-radius: 4px; }
        @media print { button { display: none; } }
        """
}
