@preconcurrency import Crypto
import Foundation
import LinliData
import Vapor

/// The web console's session: the same sessions as the API's bearer tokens, carried in a cookie that
/// scripts cannot read (HttpOnly), that is sent only over HTTPS or to this machine (Secure) and never
/// with a request started by another site (SameSite=Strict). Forms carry a CSRF token as well.
enum WebSession {
    static let cookieName = "linli_session"
    static let preLoginCSRFCookie = "linli_csrf"

    static func sessionCookie(_ token: String, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: true,
                          isHTTPOnly: true, sameSite: .strict)
    }

    static func expired(_ name: String) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
                          isSecure: true, isHTTPOnly: true, sameSite: .strict)
    }

    /// The CSRF token of a signed-in session: an HMAC of the session's token hash, so nothing more is stored.
    static func csrfToken(sessionTokenHash: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + sessionTokenHash).utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Compares without leaking where two tokens first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    static func randomToken() -> String { Sessions.newToken() }
}

/// CSRF tokens before sign-in (the login form, the portal's forms), when there is no session to bind a
/// token to. The page's cookie holds a nonce with the time it was made; the form carries an HMAC of that
/// nonce under the server's key and the form's purpose. A client that plants a cookie of its choosing
/// cannot make the token that goes with it, and a nonce is good for `lifetime` at most.
enum PreSessionCSRF {
    static func newNonce(now: Date) -> String { "\(Int(now.timeIntervalSince1970)).\(WebSession.randomToken())" }

    static func token(nonce: String, purpose: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("pre:\(purpose):\(nonce)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// How long ago the nonce was made, or nil when it is not one of ours in form.
    static func age(of nonce: String, now: Date) -> TimeInterval? {
        guard let dot = nonce.firstIndex(of: "."), let issued = Int(nonce[..<dot]), nonce.utf8.count <= 80 else { return nil }
        return now.timeIntervalSince1970 - Double(issued)
    }

    static func valid(nonce: String?, sent: String?, purpose: String, key: String, now: Date, lifetime: TimeInterval) -> Bool {
        guard let nonce, let sent, let age = age(of: nonce, now: now), age > -60, age <= lifetime else { return false }
        return WebSession.same(token(nonce: nonce, purpose: purpose, key: key), sent)
    }
}

/// Signs a web request in from its session cookie (web pages only; the API takes bearer tokens).
struct CookieAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.cookies[WebSession.cookieName]?.string, !token.isEmpty {
            let key = Sessions.hash(token)
            do {
                try await BearerAuthenticator.resolve(key: key, request: request, now: request.application.linli.now())
                request.storage[SessionKeyHash.self] = key
                if let setup = FirstSignIn.webRedirect(request) { return setup }
            } catch {
                // A dead cookie is the same as none: the page will ask to sign in.
            }
        }
        return try await next.respond(to: request)
    }
}

struct SessionKeyHash: StorageKey { typealias Value = String }

extension Request {
    /// The signed-in web user's CSRF token.
    var csrfToken: String? {
        storage[SessionKeyHash.self].map { WebSession.csrfToken(sessionTokenHash: $0, key: application.linli.csrfKey) }
    }
}
