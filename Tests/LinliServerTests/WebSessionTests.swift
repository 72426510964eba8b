import Foundation
@testable import LinliServer
import Testing
import Vapor

@Suite("Web sign-in: cookie session and CSRF", .serialized)
struct WebSessionTests {
    /// Posts a form with the cookies given.
    func post(_ app: Application, _ path: String, form: [String: String], cookies: [String: String]) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        let body = try form.map { "\($0.key)=\(try urlEncoded($0.value))" }.joined(separator: "&")
        let r = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    func get(_ app: Application, _ path: String, cookies: [String: String] = [:]) async throws -> APIResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        let r = try await app.testing().sendRequest(.GET, path, headers: headers)
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// name → (value, attributes) of each Set-Cookie.
    func setCookies(_ r: APIResponse) -> [String: (value: String, attributes: String)] {
        var out: [String: (String, String)] = [:]
        for line in r.headers[.setCookie] {
            let first = line.split(separator: ";", maxSplits: 1)
            let pair = first[0].split(separator: "=", maxSplits: 1)
            out[String(pair[0])] = (pair.count > 1 ? String(pair[1]) : "", first.count > 1 ? String(first[1]) : "")
        }
        return out
    }

    @Test("sign in with the form, see the console, sign out; the cookie is HttpOnly, Secure, SameSite=Strict")
    func signInAndOut() async throws {
        try await withTestApp(residents: 20) { app in
            let page = try await get(app, "/login")
            #expect(page.status == .ok)
            #expect(page.text.contains("<html lang=\"zh-CN\">") && page.text.contains("登录"))
            #expect(!page.text.contains("<script"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
            let nonce = try #require(setCookies(page)[WebSession.preLoginCSRFCookie]).value
            let csrf = try #require(inputValue(page.text, "csrf"))

            // Without the token from the form (a request forged from another site), nothing happens.
            let forged = try await post(app, "/login", form: ["username": "worker", "password": TestUser.password], cookies: [:])
            #expect(forged.status == .forbidden)
            let mismatched = try await post(app, "/login", form: ["username": "worker", "password": TestUser.password, "csrf": "x"],
                                            cookies: [WebSession.preLoginCSRFCookie: nonce])
            #expect(mismatched.status == .forbidden)

            let wrong = try await post(app, "/login", form: ["username": "worker", "password": "nope", "csrf": csrf],
                                       cookies: [WebSession.preLoginCSRFCookie: nonce])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("用户名或密码错误"))

            let ok = try await post(app, "/login", form: ["username": "worker", "password": TestUser.password, "csrf": csrf],
                                    cookies: [WebSession.preLoginCSRFCookie: nonce])
            #expect(ok.status == .seeOther)
            #expect(ok.headers.first(name: .location) == "/console")
            let session = try #require(setCookies(ok)[WebSession.cookieName])
            let attributes = session.attributes.lowercased()
            #expect(attributes.contains("httponly") && attributes.contains("secure") && attributes.contains("samesite=strict"))

            let home = try await get(app, "/console", cookies: [WebSession.cookieName: session.value])
            #expect(home.status == .ok)
            #expect(home.text.contains("社区工作者"))
            // The cookie does not open the JSON API: that takes a bearer token (no CSRF exposure there).
            #expect(try await app.call(.GET, "/api/v1/auth/me", as: .anonymous).status == .unauthorized)

            let token = home.text.components(separatedBy: "name=\"csrf\" value=\"")[1].components(separatedBy: "\"")[0]
            let noToken = try await post(app, "/logout", form: [:], cookies: [WebSession.cookieName: session.value])
            #expect(noToken.status == .forbidden)
            let out = try await post(app, "/logout", form: ["csrf": token], cookies: [WebSession.cookieName: session.value])
            #expect(out.status == .seeOther)
            let after = try await get(app, "/console", cookies: [WebSession.cookieName: session.value])
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test("names are shown as text, never as markup")
    func escaping() {
        #expect(HTML.escape("<script>alert('x')</script> & \"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;")
    }
}
