import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Noncharacters cannot be written as literals.
private func scalar(_ value: UInt32, sourceLocation: SourceLocation = #_sourceLocation) throws -> Unicode.Scalar {
    try #require(Unicode.Scalar(value), sourceLocation: sourceLocation)
}

/// Input that costs the server before any check, characters no output can carry, the sign-in's redirect,
/// the CSRF tokens before sign-in and the client's address behind a proxy.
@Suite("Input bounds, the character rule, redirects, pre-session tokens, trusted proxies")
struct InputHardeningTests {
    static let form = "application/x-www-form-urlencoded"

    @Test("a flood of parameters is refused before any decoding: a body over the form limit 413, too many parameters 400, a long query 414")
    func parameterFlood() async throws {
        try await withTestApp(residents: 50) { app in
            // 70 KB of one repeated key: refused on its size, as are all form bodies past 64 KB.
            let big = String(repeating: "a=1&", count: 17_500) + "csrf=x&number=1&access_code=x"
            let tooBig = try await app.call(.POST, "/track", rawBody: big, contentType: Self.form, as: .anonymous)
            #expect(tooBig.status == .payloadTooLarge, "\(tooBig.status)")
            #expect(tooBig.json["errors"][0]["field"].string == "body")

            // JSON past 64 KB, where the sign-in would decode it.
            let bigJSON = try await app.call(.POST, "/api/v1/auth/token", json: ["username": String(repeating: "x", count: 70_000)], as: .anonymous)
            #expect(bigJSON.status == .payloadTooLarge)
            let deep = try await app.call(.POST, "/api/v1/auth/token", rawBody: String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
                                          as: .anonymous)
            #expect(deep.status == .badRequest && deep.text.contains("嵌套层数过多"))

            // Within the size limit, 6,000 parameters: refused on the count.
            let many = (0..<6_000).map { "k\($0)=1" }.joined(separator: "&")
            let tooMany = try await app.call(.POST, "/track", rawBody: many, contentType: Self.form, as: .anonymous)
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.text.contains("参数过多"))
            // A browser is shown the refusal as a page.
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: Self.form)
            headers.replaceOrAdd(name: .accept, value: "text/html,application/xhtml+xml")
            let page = try await app.testing().sendRequest(.POST, "/track", headers: headers, body: ByteBuffer(string: many))
            #expect(page.status == .badRequest)
            #expect(page.headers.contentType == .html && page.body.string.contains("参数过多"))

            // The query strings of the Open311 feed and of the API.
            let long = try await app.call(.GET, "/open311/v2/requests.json?" + String(repeating: "a=1&", count: 20_000), as: .anonymous)
            #expect(long.status == .uriTooLong)
            #expect(long.json[0]["code"].int == 414, "Open311's own error list: \(long.text)")
            let repeated = try await app.call(.GET, "/api/v1/divisions?" + String(repeating: "a=1&", count: 1_000), as: .anonymous)
            #expect(repeated.status == .badRequest)
            #expect(repeated.json.errorFields == ["query"])
            // One key repeated past its limit, in a body of a size and count that pass.
            let sameKey = try await app.call(.POST, "/track", rawBody: String(repeating: "a=1&", count: 65), contentType: Self.form, as: .anonymous)
            #expect(sameKey.status == .badRequest)
            #expect(sameKey.text.contains("重复过多"))

            // Ordinary input passes: a form with a repeated key within the limit, a query of a few parameters.
            #expect(try await app.call(.GET, "/api/v1/divisions?depth=2", as: .anonymous).status == .ok)
        }
    }

    @Test("the bounds are counted on the raw bytes, stopping at the first limit passed")
    func boundsUnit() {
        let limits = InputGuard.Limits()
        let flood = Array(String(repeating: "a=1&", count: 60_000).utf8)
        #expect(InputGuard.check(form: flood, limits: limits, bytesLimit: 1 << 20, field: "body")?.status == .badRequest)
        #expect(InputGuard.check(form: flood, limits: limits, bytesLimit: 64 * 1024, field: "body")?.status == .payloadTooLarge)
        let tags = Array((String(repeating: "tags%5B%5D=%E4%BD%8E%E4%BF%9D&", count: 20) + "name=%E5%BC%A0%E4%B8%89+%E4%B8%B0").utf8)
        #expect(InputGuard.check(form: tags, limits: limits, bytesLimit: 64 * 1024, field: "body") == nil)
        #expect(InputGuard.decode(Array("%E5%BC%A0+x".utf8)) == "张 x")
        #expect(InputGuard.decode(Array("%FF".utf8)) == nil && InputGuard.decode(Array("%E5%B".utf8)) == nil)
        let nul = Array("csrf=x&description=ab%00cd".utf8)
        #expect(InputGuard.check(form: nul, limits: limits, bytesLimit: 64 * 1024, field: "body")?.errors.map(\.field) == ["description"])
    }

    @Test("one character rule: controls and noncharacters refused, everything a person types accepted")
    func characterRule() throws {
        let uFFFF = try scalar(0xFFFF)
        for value: UInt32 in [0, 1, 0x1B, 0x7F, 0x85, 0x9F, 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFF, 0x10FFFF] {
            let bad = try #require(Unicode.Scalar(value))
            #expect(!TextInput.isAllowed(bad), "\(bad.value)")
            #expect(TextInput.check("前\(Character(bad))后", field: "description")?.field == "description")
        }
        for good in ["张三丰", "楼道灯坏了\n请尽快修理\r\n\t谢谢", "ＡＢＣ１２３（全角）", "𠀀𪚥", "émoji 😀", "\u{A0}\u{3000}", "\u{FEFF}"] {
            #expect(TextInput.firstRefused(in: good) == nil, "\(good)")
        }
        #expect(TextInput.message(for: uFFFF).contains("U+FFFF"))
        #expect(TextInput.message(for: "\u{1}").contains("U+0001"))
        // The JSON pass: escapes decoded (surrogate pairs too), raw UTF-8, the field is the key before the string.
        func json(_ text: String) -> JSONText.Refused? { JSONText.firstRefused(in: ByteBuffer(string: text)) }
        #expect(json(#"{"description":"楼道灯坏了\n请修理","x":"\\u0007 is text","y":"\"\u4e2d\ud83d\ude00"}"#) == nil)
        #expect(json(#"{"a":"ok","d":"x\u0001"}"#)?.field == "d")
        #expect(json(#"{"d":"\uFFFF"}"#)?.message.contains("U+FFFF") == true)
        #expect(json(#"{"d":"\ud83f\udfff"}"#)?.message.contains("U+1FFFF") == true)
        #expect(json("{\"d\":\"\(uFFFF)\"}")?.field == "d")
        #expect(json("{\"d\":\"\u{85}\"}")?.field == "d")
        #expect(json(#"{"members":[{"name":"ok"},{"name":"a\u0007"}]}"#)?.field == "name")
        #expect(json("[" + Array(repeating: "1", count: 1_001).joined(separator: ",") + "]")?.message.contains("值过多") == true)
        #expect(json("[" + Array(repeating: "1", count: 1_000).joined(separator: ",") + "]") == nil)
        // Depth is counted outside strings only.
        #expect(JSONText.firstRefused(in: ByteBuffer(string: String(repeating: "[", count: 33) + String(repeating: "]", count: 33)))?.field == "body")
        #expect(JSONText.firstRefused(in: ByteBuffer(string: #"{"d":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#)) == nil)
        let parts = (0..<65).map { _ in "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" }.joined() + "--b--\r\n"
        #expect(try CheckedFormDataDecoder.firstRefused(in: ByteBuffer(string: parts), boundary: "b")?.detail.contains("表单字段过多") == true)
        #expect(CheckedFormDataDecoder.delimiters(of: "b", in: ByteBuffer(string: parts)) == 66)
        #expect(try CheckedFormDataDecoder.firstRefused(in: ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"), boundary: "b") == nil)
    }

    @Test("U+FFFF, U+FFFE and control characters are refused at every input with the field named, nothing is stored, and the XML feed stays well-formed")
    func charactersAtEveryInput() async throws {
        let uFFFF = try scalar(0xFFFF), uFFFE = try scalar(0xFFFE)
        try await withTestApp(residents: 300) { app in
            let b = try await app.buildingInWorkersGrid()
            let building = try #require(b["id"].string)
            let before = try await app.rowCount("requests")

            // The JSON API: the character as UTF-8 and as an escape.
            for description in ["路灯坏了\(uFFFF)", "路灯坏了\u{1}", "路灯坏了\(uFFFE)"] {
                let r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0101", "description": description,
                                                                             "building_id": building, "phone": "13912345678"], as: .anonymous)
                #expect(r.status == .badRequest && r.isProblem)
                #expect(r.json.errorFields == ["description"], "\(r.text)")
            }
            // The portal's form.
            let visitor = WebClient(app, as: nil)
            let home = try await visitor.get("/")
            let csrf = try #require(inputValue(home.text, "csrf"))
            let portal = try await visitor.send("/report", body: Data("csrf=\(csrf)&category_code=SJ0101&description=%E8%B7%AF%EF%BF%BF&building_id=\(building)".utf8),
                                                type: Self.form)
            #expect(portal.status == .badRequest)
            #expect(portal.text.contains("U+FFFF"))
            // Open311: a description with NUL was cut there before; now it is refused in Open311's own form.
            let key = try await Open311Keys(app.db).create(name: "市民通APP", by: .system("test"), now: app.nowSeconds)
            let open311 = try await app.call(.POST, "/open311/v2/requests.json",
                                             rawBody: "api_key=\(key)&service_code=SJ0101&description=%E8%B7%AF%00%E7%81%AF&address_id=\(building)",
                                             contentType: Self.form, as: .anonymous)
            #expect(open311.status == .badRequest)
            #expect(open311.json[0]["code"].int == 400 && open311.json[0]["description"].string?.hasPrefix("description") == true, "\(open311.text)")
            // A query parameter.
            let search = try await app.call(.GET, "/api/v1/residents?q=%EF%BF%BE")
            #expect(search.status == .badRequest && search.json.errorFields == ["q"])
            #expect(try await app.rowCount("requests") == before)

            // A multipart step (photos come this way) with the character in its note.
            let made = try await app.submitRequest()
            let id = try #require(made["id"].string)
            let boundary = "linli-test-boundary"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\naccept\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n\(made["version"].int ?? 1)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n受理\(uFFFE)\r\n--\(boundary)--\r\n"
            let step = try await app.call(.POST, "/api/v1/requests/\(id)/actions", data: Data(multipart.utf8),
                                          contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(step.status == .badRequest)
            #expect(step.json.errorFields == ["note"], "\(step.text)")

            // A part whose header name has a byte of 0x80 or above: refused with 400 before the multipart parser, whose
            // table lookup would trap on it; valid UTF-8 in a header value (a Chinese file name) still goes through.
            var raw = Data("--\(boundary)\r\n8".utf8)
            raw.append(contentsOf: [0xF1, 0xB9, 0x83, 0x81, 0xC2, 0x9C])
            raw.append(Data("--\(boundary)--\r\n".utf8))
            let trap = try await app.call(.POST, "/api/v1/requests/\(id)/actions", data: raw, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(trap.status == .badRequest && trap.json.errorFields == ["body"], "\(trap.text)")
            #expect(CheckedFormDataDecoder.headerNamesAreASCII(in: ByteBuffer(data: raw), boundary: boundary) == false)
            let named = "--\(boundary)\r\nContent-Disposition: form-data; name=\"photos[]\"; filename=\"现场照片.jpg\"\r\n\r\nx\r\n--\(boundary)--\r\n"
            #expect(CheckedFormDataDecoder.headerNamesAreASCII(in: ByteBuffer(string: named), boundary: boundary))

            // A value stored before the rule cannot break the feed: the writer leaves such characters out.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE requests SET description = \(bind: "旧数据\(uFFFF)\u{1}"), address = \(bind: "地址\(uFFFE)") WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            let feed = try await app.call(.GET, "/open311/v2/requests.xml", as: .anonymous)
            #expect(feed.status == .ok)
            let parser = XMLParser(data: feed.body)
            #expect(parser.parse(), "the feed is not well-formed XML: \(String(describing: parser.parserError))")
            #expect(!feed.text.unicodeScalars.contains { !TextInput.isAllowed($0) })
        }
    }

    @Test("after sign-in only a path of this site is followed: nothing from next reaches a header, and no //host after a browser strips a tab")
    func signInRedirect() async throws {
        for (next, expected) in [("/console/residents?q=zsf&page=2", "/console/residents?q=zsf&page=2"), ("/x\r\nSet-Cookie: injected=1", "/console"),
                                 ("/\t/evil.example", "/console"), ("//evil.example", "/console"), ("/\\evil.example", "/console"),
                                 ("https://evil.example/", "/console"), ("/ok path", "/console"), ("/中文", "/console"), ("", "/console")] {
            #expect(WebPages.safeNext(next) == expected, "\(next.debugDescription)")
        }
        try await withTestApp(residents: 50) { app in
            let visitor = WebClient(app, as: nil)
            let page = try await visitor.get("/login?next=/%09/evil.example")
            #expect(page.status == .ok)
            #expect(inputValue(page.text, "next") == "/console")
            let csrf = try #require(inputValue(page.text, "csrf"))
            let signedIn = try await visitor.post("/login", form: [("csrf", csrf), ("username", "worker"), ("password", TestUser.password),
                                                                   ("next", "/x\r\nSet-Cookie: injected=1")])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/console")
            #expect(!signedIn.headers[.setCookie].contains { $0.contains("injected") })
        }
    }

    @Test("pre-session CSRF tokens are signed: a token of the client's choosing with a matching cookie is refused on /login and /track")
    func signedPreSessionTokens() async throws {
        try await withTestApp(residents: 50) { app in
            let chosen = WebSession.randomToken()
            let login = WebClient(app, as: nil)
            login.cookies[WebSession.preLoginCSRFCookie] = chosen
            let planted = try await login.post("/login", form: [("csrf", chosen), ("username", "worker"), ("password", TestUser.password)])
            #expect(planted.status == .forbidden)
            #expect(planted.headers[.setCookie].allSatisfy { !$0.hasPrefix(WebSession.cookieName + "=") || $0.hasPrefix(WebSession.cookieName + "=;") })

            let made = try await app.submitRequest()
            let number = try #require(made["number"].string), code = try #require(made["access_code"].string)
            let portal = WebClient(app, as: nil)
            portal.cookies[PortalPages.csrfCookie] = chosen
            let forged = try await portal.post("/track", form: [("csrf", chosen), ("number", number), ("access_code", code)])
            #expect(forged.status == .forbidden)

            // The page's own pair works; the sign-in form's pair does not open the portal (each form its purpose).
            let visitor = WebClient(app, as: nil)
            let home = try await visitor.get("/")
            let token = try #require(inputValue(home.text, "csrf"))
            let tracked = try await visitor.post("/track", form: [("csrf", token), ("number", number), ("access_code", code)])
            #expect(tracked.status == .ok, "\(tracked.status)")
            let loginPage = try await login.get("/login")
            let loginToken = try #require(inputValue(loginPage.text, "csrf"))
            let crossed = WebClient(app, as: nil)
            crossed.cookies[PortalPages.csrfCookie] = login.cookies[WebSession.preLoginCSRFCookie]
            #expect(try await crossed.post("/track", form: [("csrf", loginToken), ("number", number), ("access_code", code)]).status == .forbidden)

            // A page left open past its form's lifetime must be reloaded.
            app.test.clock.advance(PortalPages.formLifetime + 60)
            let stale = try await visitor.post("/track", form: [("csrf", token), ("number", number), ("access_code", code)])
            #expect(stale.status == .forbidden)
        }
    }

    @Test("the client's address: the peer, or through a trusted proxy the first untrusted hop of X-Forwarded-For from the right")
    func clientAddress() throws {
        let loopback = try #require(IPRange("127.0.0.1")), private10 = try #require(IPRange("10.0.0.0/8"))
        // No proxy trusted: the header is ignored, whoever sends it.
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.7"], trusted: []) == "203.0.113.9")
        // A peer that is not a trusted proxy cannot name someone else.
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.7"], trusted: [loopback]) == "203.0.113.9")
        // nginx on the same machine appends the address it saw; what the client wrote to the left is ignored.
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7"], trusted: [loopback]) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["6.6.6.6", "198.51.100.7"], trusted: [loopback]) == "198.51.100.7")
        // Two proxies in a chain.
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["198.51.100.7, 10.0.0.4"], trusted: [private10]) == "198.51.100.7")
        // No header, or garbage appended: the proxy itself.
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: [], trusted: [loopback]) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["198.51.100.7, junk"], trusted: [loopback]) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["198.51.100.7"], trusted: [loopback]) == "unknown")
        // IPv6, and IPv4 mapped into IPv6.
        #expect(try #require(IPRange("::1")).contains("::1") && loopback.contains("::ffff:127.0.0.1"))
        #expect(try #require(IPRange("fd00::/8")).contains("fd12:3456::1") && !(try #require(IPRange("fd00::/8"))).contains("fe80::1"))
        #expect(try #require(IPRange("192.168.0.0/23")).contains("192.168.1.200") && !(try #require(IPRange("192.168.0.0/23"))).contains("192.168.2.1"))
        #expect(IPRange("10.0.0.0/33") == nil && IPRange("example.org") == nil && IPRange("") == nil)
        if case .failure(let bad) = IPRange.list("127.0.0.1, nginx") { #expect(bad.text.contains("nginx")) } else { Issue.record("a bad entry was accepted") }
        #expect(throws: AppConfig.Invalid.self) {
            _ = try AppConfig.fromEnvironment(["LINLI_DATA_DIR": NSTemporaryDirectory() + "linli-proxy-test", "LINLI_DATA_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
                                               "LINLI_TRUSTED_PROXIES": "127.0.0.1,not-an-address"])
        }
        let config = try AppConfig.fromEnvironment(["LINLI_DATA_DIR": NSTemporaryDirectory() + "linli-proxy-test",
                                                    "LINLI_DATA_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
                                                    "LINLI_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"])
        #expect(config.trustedProxies == [loopback, private10])
    }
}
