import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// The answer to a first sign-in's new password: the TOTP secret to enrol.
fileprivate struct SetupAnswer: Decodable {
    var setupRequired: Bool
    var totpUri: String
    var totpSecret: String
}

/// First sign-in of accounts the security administrator makes, and what repeated failures cost.
@Suite("Sign-in: first sign-in setup, failures per username and address", .serialized)
struct SignInTests {
    static let adminPassword = "Admin-Chosen-Pass-1"
    static let holderPassword = "Holder-Own-Pass-77"

    func signIn(_ app: Application, _ username: String, _ password: String, totp: String? = nil, from address: String = "127.0.0.9") async throws -> APIResponse {
        var body = ["username": username, "password": password]
        if let totp { body["totp"] = totp }
        return try await app.call(.POST, "/api/v1/auth/token", json: body, from: address)
    }

    func cookiePage(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, form: [(String, String)] = []) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
        var body: ByteBuffer?
        if method == .POST {
            headers.contentType = .urlEncodedForm
            let csrf = WebSession.csrfToken(sessionTokenHash: Sessions.hash(token), key: app.linli.csrfKey)
            body = ByteBuffer(string: try formBody([("csrf", csrf)] + form))
        }
        let r = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    @Test("an account the security administrator makes or resets is set up by its holder before it can do anything")
    func firstSignIn() async throws {
        try await withTestApp(residents: 100) { app in
            let resident = try #require(try await app.call(.GET, "/api/v1/residents?per_page=1", as: .district).json["items"][0]["id"].string)
            let created = try await app.call(.POST, "/api/v1/accounts", json: ["username": "officer9", "display_name": "区干部九", "role": "district_officer",
                                                                                "division_code": DemoDistrict.districtCode, "password": Self.adminPassword],
                                             as: .secadmin)
            try #require(created.status == .created)
            #expect(created.json["setup_required"].raw as? Bool == true)
            #expect(created.json["totp_enrolled"].raw as? Bool == false)
            #expect(!created.json.keys.contains("totp_uri"))
            #expect(!created.text.contains("otpauth"))
            let id = try #require(created.json["id"].string)

            // The administrator signs in with the password they chose: no code is asked, and the token opens only the setup.
            let adminTry = try await signIn(app, "officer9", Self.adminPassword)
            try #require(adminTry.status == .ok)
            #expect(adminTry.json["setup_required"].raw as? Bool == true)
            let restricted = try #require(adminTry.json["token"].string)
            let full = try await app.call(.GET, "/api/v1/residents/\(resident)/full", token: restricted)
            #expect(full.status == .forbidden)
            #expect(full.isProblem)
            #expect(full.json["detail"].string?.contains("首次登录设置") == true)
            #expect(!full.text.contains("id_number"))
            // Every other route of the API, open ones included, is refused the same way.
            for route in app.routes.all where route.path.first.map({ "\($0)" }) == "api" && route.path.count > 2 {
                let path = "/" + route.path.map { c -> String in
                    if case .parameter = c { return UUID().uuidString }
                    return "\(c)"
                }.joined(separator: "/")
                // Signing in ignores any token; the setup steps (and signing out) are what the token is for.
                if ["/api/v1/auth/token", "/api/v1/auth/setup", "/api/v1/auth/setup/confirm", "/api/v1/auth/logout"].contains(path) { continue }
                let status = try await app.call(route.method, path, json: route.method == .GET ? nil : [String: String](), token: restricted).status
                #expect(status == .forbidden, "\(route.method) \(path) → \(status.code)")
            }

            // The holder sets a password of their own (not the administrator's) and gets the secret.
            let same = try await app.call(.POST, "/api/v1/auth/setup", json: ["new_password": Self.adminPassword], token: restricted)
            #expect(same.json.errorFields == ["new_password"])
            let setup = try await app.call(.POST, "/api/v1/auth/setup", json: ["new_password": Self.holderPassword], token: restricted)
            try #require(setup.status == .ok)
            let enrolment = try setup.decode(SetupAnswer.self)
            #expect(enrolment.setupRequired)
            #expect(enrolment.totpUri.hasPrefix("otpauth://totp/"))
            let secretText = enrolment.totpSecret
            let secret = try #require(Base32.decode(secretText))
            #expect(try await app.call(.GET, "/api/v1/residents/\(resident)/full", token: restricted).status == .forbidden)
            #expect(try await signIn(app, "officer9", Self.adminPassword).status == .unauthorized)
            #expect(try await app.call(.POST, "/api/v1/auth/setup/confirm", json: ["totp": "000000"], token: restricted).json.errorFields == ["totp"])
            let code = TOTP.code(secret: secret, step: TOTP.step(at: app.test.clock.now))
            let confirmed = try await app.call(.POST, "/api/v1/auth/setup/confirm", json: ["totp": code], token: restricted)
            try #require(confirmed.status == .ok)
            #expect(try await app.call(.GET, "/api/v1/residents/\(resident)/full", token: restricted).status == .ok)

            // From now on the holder signs in with their password and code, to a full session.
            app.test.clock.advance(31)
            let noCode = try await signIn(app, "officer9", Self.holderPassword)
            #expect(noCode.json.errorFields == ["totp"])
            let own = try await signIn(app, "officer9", Self.holderPassword, totp: TOTP.code(secret: secret, step: TOTP.step(at: app.test.clock.now)))
            try #require(own.status == .ok)
            #expect(own.json["setup_required"].raw as? Bool == false)
            let token = try #require(own.json["token"].string)
            #expect(try await app.call(.GET, "/api/v1/residents/\(resident)/full", token: token).status == .ok)
            let shown = try await app.call(.GET, "/api/v1/accounts/\(id)", as: .secadmin)
            #expect(shown.json["totp_enrolled"].raw as? Bool == true)
            #expect(shown.json["setup_required"].raw as? Bool == false)

            // A reset puts the account back to needing setup: sessions end, the old secret goes, nothing is shown.
            let reset = try await app.call(.POST, "/api/v1/accounts/\(id)/password", json: ["password": "Another-Admin-Pass-2"], as: .secadmin)
            try #require(reset.status == .ok)
            #expect(reset.json["setup_required"].raw as? Bool == true)
            #expect(!reset.text.contains("otpauth"))
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: token).status == .unauthorized)
            let again = try await signIn(app, "officer9", "Another-Admin-Pass-2")
            try #require(again.status == .ok)
            #expect(again.json["setup_required"].raw as? Bool == true)
            let resetToken = try #require(again.json["token"].string)
            #expect(try await app.call(.GET, "/api/v1/residents/\(resident)/full", token: resetToken).status == .forbidden)

            // The console: every page sends the session to /console/setup, which takes the same two steps.
            for path in ["/console", "/console/residents", "/console/password", "/console/residents/\(resident)"] {
                let page = try await cookiePage(app, .GET, path, token: resetToken)
                #expect(page.status == .seeOther, "\(path) → \(page.status.code)")
                #expect(page.location == "/console/setup", "\(path) → \(page.location ?? "")")
            }
            let viewFull = try await cookiePage(app, .POST, "/console/residents/\(resident)/full", token: resetToken)
            #expect(viewFull.location == "/console/setup")
            let step1 = try await cookiePage(app, .GET, "/console/setup", token: resetToken)
            try #require(step1.status == .ok)
            #expect(step1.visibleText.contains("设置本人密码"))
            let set = try await cookiePage(app, .POST, "/console/setup", token: resetToken, form: [("new_password", "Holder-Second-Pass-8")])
            #expect(set.location == "/console/setup")
            let step2 = try await cookiePage(app, .GET, "/console/setup", token: resetToken)
            try #require(step2.status == .ok)
            let shownSecret = try #require(step2.text.firstMatch(of: #/<code>([A-Z2-7 ]+)</code>/#)).1.replacingOccurrences(of: " ", with: "")
            let newSecret = try #require(Base32.decode(shownSecret))
            #expect(newSecret != secret)
            let done = try await cookiePage(app, .POST, "/console/setup/confirm", token: resetToken,
                                            form: [("totp", TOTP.code(secret: newSecret, step: TOTP.step(at: app.test.clock.now)))])
            #expect(done.location == "/console")
            #expect(try await cookiePage(app, .GET, "/console", token: resetToken).status == .ok)
            let audit = try await app.call(.GET, "/api/v1/audit?action=auth.setup_complete", as: .auditor).json
            #expect(audit["total"].int == 2)
        }
    }

    @Test("a wrong current password counts as a failed sign-in: it cannot be guessed past the limit")
    func passwordChangeCounts() async throws {
        try await withTestApp(residents: 20) { app in
            let body = ["current_password": "Wrong-Current-Pass-1", "new_password": "Another-Strong-Pass-9"]
            for _ in 0..<5 {
                #expect(try await app.call(.POST, "/api/v1/auth/password", json: body).json.errorFields == ["current_password"])
            }
            let right = try await app.call(.POST, "/api/v1/auth/password", json: ["current_password": TestUser.password,
                                                                                   "new_password": "Another-Strong-Pass-9"])
            #expect(right.status == .tooManyRequests)
            // The lock counts down from 30 s; a loaded machine may take a second or two to answer.
            #expect((28...30).contains(Int(right.headers.first(name: .retryAfter) ?? "") ?? 0), "\(right.headers)")
            // The same count as signing in, from the same address.
            let login = try await app.call(.POST, "/api/v1/auth/token", json: ["username": "worker", "password": TestUser.password], as: .anonymous)
            #expect(login.status == .tooManyRequests)
            let failures = try await app.call(.GET, "/api/v1/audit?action=auth.change_password&outcome=failure", as: .auditor).json
            #expect(failures["total"].int == 6)
            // The console's form counts too.
            for _ in 0..<5 {
                let page = try await app.submit("/console/password", [("current_password", "Wrong-Current-Pass-1"), ("new_password", "Another-Strong-Pass-9")],
                                                as: .otherWorker)
                #expect(page.status == .unprocessableEntity)
            }
            let page = try await app.submit("/console/password", [("current_password", TestUser.password), ("new_password", "Another-Strong-Pass-9")],
                                            as: .otherWorker)
            #expect(page.status == .tooManyRequests)
            #expect(try await app.call(.GET, "/api/v1/auth/me", as: .otherWorker).status == .ok)  // the password was not changed
        }
    }

    @Test("known, unknown and disabled usernames answer alike through ten failures")
    func usernamesAnswerAlike() async throws {
        try await withTestApp(residents: 20) { app in
            let worker = try #require(app.test.accounts[.grid])
            #expect(try await app.call(.PATCH, "/api/v1/accounts/\(worker.id)", json: ["disabled": true, "version": worker.version], as: .secadmin).status == .ok)
            var statuses: [UInt] = []
            for i in 1...10 {
                let known = try await signIn(app, "worker", "Wrong-Password-1", from: "127.0.0.2")
                let unknown = try await signIn(app, "nosuchuser", "Wrong-Password-1", from: "127.0.0.3")
                let disabled = try await signIn(app, "grid", TestUser.password, from: "127.0.0.4")
                for other in [unknown, disabled] {
                    #expect(known.status == other.status, "attempt \(i)")
                    // Compared as JSON (the encoder's key order is not fixed), with the seconds left to wait taken
                    // out: the two answers are computed a moment apart and may straddle a second.
                    func shape(_ r: APIResponse) -> NSDictionary? {
                        let text = r.text.replacingOccurrences(of: "[0-9]+", with: "0", options: .regularExpression)
                        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary
                    }
                    let same = shape(known).map { $0.isEqual(shape(other)) } ?? false
                    #expect(same, "attempt \(i): \(known.text) / \(other.text)")
                    let waits = [known, other].map { $0.headers.first(name: .retryAfter).flatMap { Int($0) } }
                    #expect(waits[0] == nil ? waits[1] == nil : abs((waits[0] ?? 0) - (waits[1] ?? -99)) <= 1, "attempt \(i): \(waits)")
                }
                statuses.append(known.status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429, 429, 429])
        }
    }

    @Test("behind a trusted proxy the client address it forwards is counted, not the proxy's")
    func trustedProxy() async throws {
        let proxy = try #require(IPRange("127.0.0.1"))
        try await withTestApp(residents: 20, adjust: { $0.trustedProxies = [proxy] }) { app in
            func attempt(_ password: String, peer: String, forwarded: String) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/auth/token", json: ["username": "worker", "password": password], from: peer,
                                   headers: ["X-Forwarded-For": forwarded])
            }
            for _ in 0..<5 { #expect(try await attempt("Wrong-Password-1", peer: "127.0.0.1", forwarded: "127.0.0.5").status == .unauthorized) }
            #expect(try await attempt(TestUser.password, peer: "127.0.0.1", forwarded: "127.0.0.5").status == .tooManyRequests)
            // Another client behind the same proxy is not held up.
            #expect(try await attempt(TestUser.password, peer: "127.0.0.1", forwarded: "127.0.0.6").status == .ok)
            // Only the entry the proxy added counts: one the client sent itself comes before it.
            #expect(try await attempt(TestUser.password, peer: "127.0.0.1", forwarded: "127.0.0.6, 127.0.0.5").status == .tooManyRequests)
            // From a peer that is not a trusted proxy the header is ignored.
            for _ in 0..<5 { #expect(try await attempt("Wrong-Password-1", peer: "127.0.0.7", forwarded: "127.0.0.8").status == .unauthorized) }
            #expect(try await attempt(TestUser.password, peer: "127.0.0.7", forwarded: "127.0.0.9").status == .tooManyRequests)
            let failures = try await app.call(.GET, "/api/v1/audit?action=auth.login&outcome=failure&per_page=100", as: .auditor).json["items"].array
            let ips = Set(failures.compactMap { $0["ip"].string })
            #expect(ips == ["127.0.0.5", "127.0.0.7"])
        }
    }

    @Test("failures from one address make that address wait longer each time, not the holder elsewhere")
    func failuresDelayTheAddress() async throws {
        try await withTestApp(residents: 20) { app in
            for _ in 0..<5 { #expect(try await signIn(app, "worker", "Wrong-Password-1", from: "127.0.0.2").status == .unauthorized) }
            let blocked = try await signIn(app, "worker", TestUser.password, from: "127.0.0.2")
            #expect(blocked.status == .tooManyRequests)
            // The lock counts down from 30 s; a loaded machine may take a second or two to answer.
            #expect((28...30).contains(Int(blocked.headers.first(name: .retryAfter) ?? "") ?? 0), "\(blocked.headers)")
            #expect(try await signIn(app, "worker", TestUser.password, from: "127.0.0.3").status == .ok)
            // Each further failure from the first address doubles the wait, up to 15 minutes.
            var waits: [String] = []
            for _ in 0..<8 {
                app.test.clock.advance(Double(try #require(Int(waits.last ?? "30"))) + 1)
                #expect(try await signIn(app, "worker", "Wrong-Password-1", from: "127.0.0.2").status == .unauthorized)
                let r = try await signIn(app, "worker", TestUser.password, from: "127.0.0.2")
                #expect(r.status == .tooManyRequests)
                waits.append(r.headers.first(name: .retryAfter) ?? "")
            }
            // Each counted from the failure: a loaded machine may take a second or two to check it.
            let expected = [60, 120, 240, 480, 900, 900, 900, 900]
            #expect(waits.count == expected.count && zip(waits, expected).allSatisfy { ($1 - 2...$1).contains(Int($0) ?? -1) }, "\(waits)")
            app.test.clock.advance(901)
            #expect(try await signIn(app, "worker", TestUser.password, from: "127.0.0.2").status == .ok)
            #expect(try await signIn(app, "worker", "Wrong-Password-1", from: "127.0.0.2").status == .unauthorized)  // counting starts again
        }
    }

    @Test("the sign-in page waits as the API does, with the message and Retry-After")
    func webSignInWaits() async throws {
        try await withTestApp(residents: 20) { app in
            let browser = WebClient(app, as: nil)
            func attempt(_ password: String) async throws -> APIResponse {
                let page = try await browser.get("/login")
                let csrf = try #require(inputValue(page.text, "csrf"))
                return try await browser.post("/login", form: [("csrf", csrf), ("username", "worker"), ("password", password)])
            }
            for _ in 0..<5 { #expect(try await attempt("Wrong-Password-1").status == .unauthorized) }
            let waiting = try await attempt(TestUser.password)
            #expect(waiting.status == .tooManyRequests)
            // The lock counts down from 30 s; a loaded machine may take a second or two to answer.
            #expect((28...30).contains(Int(waiting.headers.first(name: .retryAfter) ?? "") ?? 0), "\(waiting.headers)")
            #expect(waiting.text.contains("30 秒后再试"))
        }
    }
}
