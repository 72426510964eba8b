import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("Security: roles, scope, sign-in, audit", .serialized)
struct SecurityTests {
    @Test("every route the server answers was declared with what it needs, once")
    func everyRouteDeclared() async throws {
        try await withTestApp(residents: 10) { app in
            let served = app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map { "\($0)" }.joined(separator: "/") }
            let declared = app.routeTable.all.map(\.key)
            #expect(Set(declared).count == declared.count)
            #expect(Set(served) == Set(declared))
            #expect(served.count == declared.count)
        }
    }

    @Test("records outside one's scope do not exist, for reads and writes (IDOR)")
    func scope() async throws {
        try await withTestApp(residents: 1200) { app in
            let mine = try await app.call(.GET, "/api/v1/residents?per_page=100").json["items"].array
            #expect(mine.count > 5)
            #expect(mine.allSatisfy { $0["grid_code"].string?.hasPrefix("321271002001") == true })
            let r = mine[0]
            let id = try #require(r["id"].string), hid = try #require(r["household_id"].string)
            let path = "/api/v1/residents/\(id)"
            for (method, p, body) in [(HTTPMethod.GET, path, nil), (.GET, path + "/events", nil), (.GET, path + "/full", nil),
                                      (.PATCH, path, ["name": "篡改", "version": 1] as [String: Any]?),
                                      (.POST, path + "/events", ["kind": "death", "version": 1]),
                                      (.GET, "/api/v1/households/\(hid)", nil),
                                      (.PATCH, "/api/v1/households/\(hid)", ["room": "x", "version": 1])] {
                let status = try await app.call(method, p, json: body, as: .otherWorker).status
                #expect(status == .notFound, "\(method) \(p) → \(status.code)")
            }
            #expect(try await app.call(.GET, path).json["name"].string == r["name"].string)
            #expect(try await app.call(.GET, "/api/v1/residents?division=321271002001", as: .otherWorker).status == .notFound)
            let found = try await app.call(.GET, "/api/v1/residents?per_page=100&q=\(try urlEncoded(try #require(r["name"].string)))",
                                           as: .otherWorker).json["items"].array
            #expect(found.allSatisfy { $0["grid_code"].string?.hasPrefix("321271003001") == true })
            // Moving someone into a household of another community is refused as if it did not exist.
            let theirs = try await app.anyHousehold(as: .otherWorker)
            let move = try await app.call(.POST, path + "/events", json: ["kind": "move", "to_household_id": theirs.id, "relation": "other", "version": 1])
            #expect(move.json.errorFields == ["to_household_id"])

            // The street sees its communities but does not edit; the district sees all; the system admin sees no one.
            #expect(try await app.call(.GET, path, as: .street).status == .ok)
            #expect(try await app.call(.PATCH, path, json: ["name": "改名", "version": 1], as: .street).status == .forbidden)
            #expect(try await app.call(.GET, path, as: .district).status == .ok)
            #expect(try await app.call(.GET, path, as: .sysadmin).status == .forbidden)
            #expect(try await app.call(.GET, path + "/full", as: .sysadmin).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/stats", as: .otherWorker).json["residents"].int
                    != (try await app.call(.GET, "/api/v1/stats", as: .district).json["residents"].int))
            // A grid worker sees only the grid.
            let gridItems = try await app.call(.GET, "/api/v1/residents?per_page=100", as: .grid).json["items"].array
            #expect(gridItems.allSatisfy { $0["grid_code"].string == "321271002001001" })
            let elsewhere = try #require(mine.first(where: { $0["grid_code"].string != "321271002001001" }))
            let elsewhereID = try #require(elsewhere["id"].string)
            #expect(try await app.call(.GET, "/api/v1/residents/\(elsewhereID)", as: .grid).status == .notFound)
        }
    }

    @Test("no one raises their own role; a disabled account's token stops working")
    func escalation() async throws {
        try await withTestApp(residents: 100) { app in
            let me = try #require(app.test.accounts[.secadmin])
            let own = try await app.call(.PATCH, "/api/v1/accounts/\(me.id)", json: ["role": "district_officer", "version": me.version], as: .secadmin)
            #expect(own.status == .forbidden)
            let worker = try #require(app.test.accounts[.worker])
            #expect(try await app.call(.PATCH, "/api/v1/accounts/\(worker.id)", json: ["role": "district_officer", "version": 1]).status == .forbidden)
            let toOfficer = try await app.call(.PATCH, "/api/v1/accounts/\(worker.id)", json: ["role": "district_officer", "division_code": "321271000000", "version": 1], as: .secadmin)
            #expect(toOfficer.status == .unprocessableEntity)  // an officer needs a second factor first
            let wrongLevel = try await app.call(.PATCH, "/api/v1/accounts/\(worker.id)", json: ["division_code": "321271000000", "version": 1], as: .secadmin)
            #expect(wrongLevel.json.errorFields == ["division_code"])

            #expect(try await app.call(.GET, "/api/v1/auth/me").status == .ok)
            let disabled = try await app.call(.PATCH, "/api/v1/accounts/\(worker.id)", json: ["disabled": true, "version": 1], as: .secadmin)
            #expect(disabled.json["disabled"].raw as? Bool == true)
            #expect(try await app.call(.GET, "/api/v1/auth/me").status == .unauthorized)
            let login = try await app.call(.POST, "/api/v1/auth/token", json: ["username": "worker", "password": TestUser.password], as: .anonymous)
            #expect(login.status == .unauthorized)

            // Creating an account: the password policy applies, and no one but the holder gets the TOTP secret.
            let weak = try await app.call(.POST, "/api/v1/accounts", json: ["username": "newbie", "role": "grid_worker", "division_code": "321271002001001",
                                                                             "password": "password123"], as: .secadmin)
            #expect(weak.status == .unprocessableEntity)
            let officer = try await app.call(.POST, "/api/v1/accounts", json: ["username": "officer2", "role": "street_officer", "division_code": "321271003000",
                                                                                "password": "Str0ng-Enough-Pass"], as: .secadmin)
            #expect(officer.status == .created)
            #expect(officer.json["setup_required"].raw as? Bool == true)
            #expect(officer.json["totp_uri"].isNull)
        }
    }

    @Test("script and SQL in every text field are refused or stored as text, and nothing breaks")
    func payloads() async throws {
        try await withTestApp(residents: 300) { app in
            let h = try await app.anyHousehold()
            let payloads = ["' OR '1'='1", "1; DROP TABLE residents;--", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
                            "${jndi:ldap://x/a}", "\u{0}", "张三'); DELETE FROM residents; --"]
            let before = try await app.rowCount("residents")
            for payload in payloads {
                for field in ["name", "id_number", "phone", "relation", "residence_status", "origin", "occurred_on"] {
                    var body: [String: Any] = ["name": "测试", "id_number": newID(), "household_id": h.id, "relation": "other"]
                    body[field] = payload
                    let r = try await app.call(.POST, "/api/v1/residents", json: body)
                    // NUL is refused for the whole body (400); everything else fails the field's rule (422).
                    #expect(r.status == (payload.contains("\u{0}") ? .badRequest : .unprocessableEntity), "\(field)=\(payload) → \(r.status.code)")
                    #expect(r.isProblem)
                }
                let q = try urlEncoded(payload)
                #expect(try await app.call(.GET, "/api/v1/residents?q=\(q)").status.code < 500)
                let audit = try await app.call(.GET, "/api/v1/audit?actor=\(q)", as: .auditor).status
                #expect(audit == .ok || (audit == .badRequest && payload.contains("\u{0}")))
            }
            #expect(try await app.rowCount("residents") == before)
            // Free text (a note) keeps what was typed, and comes back as a JSON string, never as markup.
            let script = "<script>alert(1)</script>"
            let r = try await app.call(.POST, "/api/v1/residents", json: ["name": "王注", "id_number": newID(), "household_id": h.id,
                                                                          "relation": "other", "note": script])
            #expect(r.status == .created)
            let events = try await app.call(.GET, "/api/v1/residents/\(try #require(r.json["id"].string))/events")
            #expect(events.json[0]["note"].string == script)
            #expect(events.headers.contentType == .json)
            #expect(events.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(events.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test("five wrong passwords make the address wait before it tries that username again; sign-ins are rate limited")
    func bruteForce() async throws {
        try await withTestApp(residents: 50) { app in
            func login(_ password: String) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/auth/token", json: ["username": "worker", "password": password], as: .anonymous)
            }
            for _ in 0..<5 { #expect(try await login("Wrong-Password-1").status == .unauthorized) }
            let waiting = try await login(TestUser.password)
            #expect(waiting.status == .tooManyRequests)
            // The lock counts down from 30 s; a loaded machine may take a second or two to answer.
            #expect((28...30).contains(Int(waiting.headers.first(name: .retryAfter) ?? "") ?? 0), "\(waiting.headers)")
            let detail = try #require(waiting.json["detail"].string)
            #expect(["28 秒", "29 秒", "30 秒"].contains { detail.contains($0) }, "\(detail)")
            app.test.clock.advance(31)
            let ok = try await login(TestUser.password)
            #expect(ok.status == .ok)
            let token = try #require(ok.json["token"].string)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: token).json["username"].string == "worker")
            let failures = try await app.call(.GET, "/api/v1/audit?action=auth.login&outcome=failure&per_page=100", as: .auditor).json
            #expect(failures["total"].int == 6)
            #expect(try await login("").status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/auth/token", json: ["username": "nobody", "password": "x"], as: .anonymous).status == .unauthorized)
        }
        try await withTestApp(residents: 20, adjust: { $0.signInLimit = 3 }) { app in
            var statuses: [UInt] = []
            for _ in 0..<4 {
                statuses.append(try await app.call(.POST, "/api/v1/auth/token", json: ["username": "x", "password": "y"], as: .anonymous).status.code)
            }
            #expect(statuses == [401, 401, 401, 429])
        }
    }

    @Test("forged, expired, idle and signed-out tokens are refused")
    func tokens() async throws {
        try await withTestApp(residents: 50) { app in
            func signIn() async throws -> String {
                try #require(try await app.call(.POST, "/api/v1/auth/token", json: ["username": "worker", "password": TestUser.password],
                                                as: .anonymous).json["token"].string)
            }
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: "forged-token-value").status == .unauthorized)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: String(repeating: "A", count: 43)).status == .unauthorized)
            #expect(try await app.call(.GET, "/api/v1/divisions", token: "forged").status == .unauthorized)

            let t1 = try await signIn()
            #expect(try await app.call(.POST, "/api/v1/auth/logout", token: t1).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: t1).status == .unauthorized)

            let t2 = try await signIn()
            app.test.clock.advance(29 * 60)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: t2).status == .ok)
            app.test.clock.advance(29 * 60)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: t2).status == .ok)   // activity keeps it alive
            app.test.clock.advance(31 * 60)
            let idle = try await app.call(.GET, "/api/v1/auth/me", token: t2)
            #expect(idle.status == .unauthorized)
            #expect(idle.json["detail"].string?.contains("30分钟") == true)

            let t3 = try await signIn()
            for _ in 0..<30 {
                app.test.clock.advance(25 * 60)
                _ = try await app.call(.GET, "/api/v1/auth/me", token: t3)
            }
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: t3).status == .unauthorized)  // past 12 hours

            let t4 = try await signIn()
            let changed = try await app.call(.POST, "/api/v1/auth/password", json: ["current_password": TestUser.password,
                                                                                    "new_password": "Another-Strong-Pass-9"], token: t4)
            #expect(changed.status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/auth/me", token: t4).status == .unauthorized)
        }
    }

    @Test("officers and administrators need a one-time code, and a code works once")
    func secondFactor() async throws {
        try await withTestApp(residents: 20) { app in
            let noCode = try await app.call(.POST, "/api/v1/auth/token", json: ["username": "district", "password": TestUser.password], as: .anonymous)
            #expect(noCode.status == .unauthorized)
            #expect(noCode.json.errorFields == ["totp"])
            let code = TOTP.code(secret: testTOTPSecret, step: TOTP.step(at: app.test.clock.now))
            let wrong = String((try #require(Int(code)) + 1) % 1_000_000).leftPadded(6)
            #expect(try await app.call(.POST, "/api/v1/auth/token", json: ["username": "district", "password": TestUser.password, "totp": wrong], as: .anonymous).status == .unauthorized)
            let ok = try await app.call(.POST, "/api/v1/auth/token", json: ["username": "district", "password": TestUser.password, "totp": code], as: .anonymous)
            #expect(ok.status == .ok)
            let replay = try await app.call(.POST, "/api/v1/auth/token", json: ["username": "district", "password": TestUser.password, "totp": code], as: .anonymous)
            #expect(replay.status == .unauthorized)
        }
    }

    @Test("writes, sign-ins and full views are audited; the chain detects tampering")
    func audit() async throws {
        try await withTestApp(residents: 100) { app in
            let r = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let full = try await app.call(.GET, "/api/v1/residents/\(try #require(r["id"].string))/full")
            #expect(full.status == .ok)
            let fullNumber = try #require(full.json["id_number"].string)
            #expect(try CitizenID(fullNumber).value.count == 18)
            #expect(Masking.citizenID(fullNumber) == r["id_number_masked"].string)
            _ = try await app.call(.PATCH, "/api/v1/residents/\(try #require(r["id"].string))", json: ["phone": "13900002222", "version": try #require(r["version"].int)])

            let views = try await app.call(.GET, "/api/v1/audit?action=resident.view_full", as: .auditor).json
            #expect(views["total"].int == 1)
            #expect(views["items"][0]["actor"].string == "worker")
            #expect(views["items"][0]["ip"].string?.isEmpty == false)
            #expect(try await app.call(.GET, "/api/v1/audit?action=resident.update", as: .auditor).json["total"].int == 1)
            // Refused writes and denied requests are recorded too.
            #expect(try await app.call(.POST, "/api/v1/residents", json: ["name": "缺字段"]).status == .unprocessableEntity)
            #expect(try await app.call(.GET, "/api/v1/accounts").status == .forbidden)
            let refused = try await app.call(.GET, "/api/v1/audit?action=request.refused", as: .auditor).json["items"].array
            #expect(refused.count == 2)
            #expect(Set(refused.compactMap { $0["outcome"].string }) == ["failure", "denied"])
            #expect(refused.allSatisfy { $0["actor"].string == "worker" })
            #expect(try await app.call(.GET, "/api/v1/audit", as: .secadmin).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/audit", as: .sysadmin).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/audit/verify", as: .auditor).json["intact"].raw as? Bool == true)

            // The database refuses to change or delete an entry…
            let sql = try app.sql()
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_log SET outcome = 'failure' WHERE seq = 3").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run() }
            // …and if someone with the database file gets round that, verification names the entry.
            if app.db.isSQLite {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
            } else {
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard").run()
            }
            try await sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3").run()
            let v = try await app.call(.GET, "/api/v1/audit/verify", as: .auditor).json
            #expect(v["intact"].raw as? Bool == false)
            #expect(v["first_broken"].int == 3)
        }
    }

    @Test("ID and phone numbers are not in clear in the database file or in the logs")
    func noClearNumbers() async throws {
        let dir = NSTemporaryDirectory() + "linli-clear-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let idNumber = newID("1977-07-17", sequence: 717), phone = "13717171717"
        let ((), lines) = try await LogCapture.during {
            try await withTestApp(residents: 300, storage: .sqliteFile(dir + "/linli.sqlite")) { app in
                let h = try await app.anyHousehold()
                let r = try await app.call(.POST, "/api/v1/residents", json: ["name": "明文", "id_number": idNumber, "phone": phone,
                                                                              "household_id": h.id, "relation": "other"])
                #expect(r.status == .created)
                let id = try #require(r.json["id"].string)
                #expect(try await app.call(.GET, "/api/v1/residents?q=\(idNumber)").json["items"][0]["id"].string == id)
                #expect(try await app.call(.GET, "/api/v1/residents/\(id)/full").json["id_number"].string == idNumber)
            }
        }
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
        }
        #expect(bytes.count > 100_000)
        #expect(bytes.range(of: Data(idNumber.utf8)) == nil)
        #expect(bytes.range(of: Data(phone.utf8)) == nil)
        #expect(bytes.range(of: Data("明文".utf8)) != nil)  // the check can find text that is stored in clear
        #expect(lines.count > 10)
        #expect(!lines.contains { $0.contains(idNumber) || $0.contains(phone) })
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
