import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// The console as a browser sees it: the test user's session in the cookie, forms with their CSRF token.
extension Application {
    func cookieHeaders(_ user: TestUser) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let token = test.tokens[user] { headers.replaceOrAdd(name: .cookie, value: "\(WebSession.cookieName)=\(token)") }
        return headers
    }

    /// The CSRF token the console's forms carry for `user`.
    func csrf(_ user: TestUser) throws -> String {
        WebSession.csrfToken(sessionTokenHash: LinliServer.Sessions.hash(try token(user)), key: linli.csrfKey)
    }

    func page(_ path: String, as user: TestUser = .worker) async throws -> APIResponse {
        let r = try await testing().sendRequest(.GET, path, headers: cookieHeaders(user))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// Posts a form (URL-encoded, fields in order, repeats allowed) with the user's CSRF token unless `csrf: false`.
    func submit(_ path: String, _ fields: [(String, String)], as user: TestUser = .worker, csrf: Bool = true) async throws -> APIResponse {
        var headers = cookieHeaders(user)
        headers.contentType = .urlEncodedForm
        let all = (csrf && user != .anonymous ? [("csrf", try self.csrf(user))] : []) + fields
        let body = try formBody(all)
        let r = try await testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }
}

/// `text` percent-encoded for a query string or a form: everything but letters and digits (by default).
func urlEncoded(_ text: String, allowing allowed: CharacterSet = .alphanumerics,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(text.addingPercentEncoding(withAllowedCharacters: allowed), "cannot percent-encode \(text)", sourceLocation: sourceLocation)
}

/// Form fields URL-encoded, in order.
func formBody(_ fields: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try fields.map { "\($0.0)=\(try urlEncoded($0.1, sourceLocation: sourceLocation))" }.joined(separator: "&")
}

extension APIResponse {
    var location: String? { headers.first(name: .location) }
    /// The page's text without tags, whitespace collapsed: what a reader sees.
    var visibleText: String {
        text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    }
}
