import Crypto
import Foundation
@testable import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// What the server holds during a rotation: the new key (bytes of 11) current, the old one (`testCipher`'s,
/// bytes of 7) for reading.
let rotatingCipher = PersonalDataCipher(masterKey: SymmetricKey(data: Data(repeating: 11, count: 32)),
                                        previousMasterKey: SymmetricKey(data: Data(repeating: 7, count: 32)))
/// What it holds once the old key is removed.
let newCipher = rotatingCipher.currentKeyOnly

@Suite("Data key rotation")
struct KeyRotationTests {
    /// Every sealed value in the clear (read with the old key), by table, column and row.
    func clearValues(_ app: Application, cipher: PersonalDataCipher) async throws -> [String: String] {
        let sql = try app.sql()
        var out: [String: String] = [:]
        for t in KeyRotation.tables {
            for row in try await sql.select().column("id").columns(t.columns).from(t.name).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                for c in t.columns {
                    if let sealed = try row.decode(column: c, as: Data?.self) { out["\(t.name).\(c).\(id)"] = try cipher.open(sealed) }
                }
            }
        }
        return out
    }

    /// A registry with every kind of sealed value: ID and phone numbers, TOTP secrets, Barthel scores, reporters' phones.
    func load(_ app: Application) async throws {
        _ = try await DemoCare.load(on: app.db, cipher: testCipher, seed: 7, today: testToday, now: Int64(Date().timeIntervalSince1970))
        try await DemoRequests.load(on: app.db, cipher: testCipher, seed: 7, count: 60, now: Int64(Date().timeIntervalSince1970))
    }

    func auditActions(_ app: Application) async throws -> [String] {
        try await app.sql().select().column("action").from("audit_log").orderBy("seq").all()
            .map { try $0.decode(column: "action", as: String.self) }
    }

    @Test("every sealed value is re-encrypted and every blind index rebuilt; verify fails before and passes after")
    func rotatesEverything() async throws {
        try await withTestApp(residents: 400) { app in
            try await load(app)
            let before = try await clearValues(app, cipher: testCipher)
            for kind in ["residents.id_cipher", "residents.phone_cipher", "accounts.totp_cipher", "care_assessments.scores_cipher", "requests.contact_cipher"] {
                #expect(before.keys.contains { $0.hasPrefix(kind + ".") }, "\(kind) has values to rotate")
            }
            let unrotated = try await KeyRotation(app.db, cipher: newCipher).verify()
            #expect(unrotated.values == before.count)
            #expect(unrotated.problemCount == before.count, "every value is named")
            #expect(try await KeyRotation(app.db, cipher: newCipher).startupProblem() != nil, "a server with the new key alone refuses to start")
            #expect(try await KeyRotation(app.db, cipher: rotatingCipher).startupProblem() == nil)

            let summary = try await KeyRotation(app.db, cipher: rotatingCipher, batchSize: 37).rotate(by: .system("test"))
            #expect(summary.rotated > 400)
            #expect(summary.resumed == false)
            let check = try await KeyRotation(app.db, cipher: newCipher).verify()
            #expect(check.problemCount == 0, "\(check.problems.prefix(3))")
            #expect(check.values == before.count)
            #expect(try await clearValues(app, cipher: newCipher) == before)
            #expect(try await KeyRotation(app.db, cipher: newCipher).startupProblem() == nil)
            let actions = try await auditActions(app)
            #expect(actions.suffix(2) == ["data_key.rotate_start", "data_key.rotate_finish"])
            #expect(try await AuditLog.verify(on: app.db).firstBroken == nil)

            // With the old key gone, lookups by exact ID number, full views and sign-ins with a second factor work.
            app.linli.cipher = newCipher
            app.linli.residentCache = nil
            let number = try #require(before.first { $0.key.hasPrefix("residents.id_cipher.") }?.value)
            let found = try await app.call(.GET, "/api/v1/residents?q=\(number)", as: .district)
            #expect(found.status == .ok)
            let id = try #require(found.json["items"][0]["id"].string)
            let full = try await app.call(.GET, "/api/v1/residents/\(id)/full", as: .district)
            #expect(full.status == .ok)
            #expect(full.json["id_number"].string == number)
        }
    }

    @Test("a rotation stopped half-way is served from both keys and resumes from its last batch")
    func resumesAfterInterruption() async throws {
        try await withTestApp(residents: 500) { app in
            let before = try await clearValues(app, cipher: testCipher)
            let rotation = KeyRotation(app.db, cipher: rotatingCipher, batchSize: 50)
            // What a killed `rotate` leaves: the start recorded, four batches of residents committed.
            _ = try await rotation.totals()
            try await app.db.writeTransaction { db in
                try await SQLHelpers.sql(db).insert(into: "key_rotations").columns("to_key", "from_key", "started_at", "finished_at")
                    .values(SQLBind(rotatingCipher.keyID), SQLBind(testCipher.keyID), SQLBind(Date()), SQLLiteral.null).run()
            }
            let residents = try #require(KeyRotation.tables.first { $0.name == "residents" })
            var state = try await rotation.loadProgress("residents", toKey: rotatingCipher.keyID)
            for _ in 0..<4 {
                let batch = try await rotation.rotateBatch(residents, after: state.lastID)
                state.lastID = batch.lastID
                state.done += batch.rows
                try await rotation.commit(residents, batch: batch, state: state, toKey: rotatingCipher.keyID)
            }
            let half = try await KeyRotation(app.db, cipher: newCipher).verify()
            #expect(half.problemCount > 0 && half.problemCount < before.count, "some rows rotated, others not")
            let early = try await KeyRotation(app.db, cipher: newCipher).startupProblem()
            #expect(early?.contains("尚未完成") == true, "the old key may not be removed before the rotation ends")

            // The server reads both: a resident of each kind is found by exact ID number and shown in full.
            app.linli.cipher = rotatingCipher
            app.linli.residentCache = nil
            let sql = try app.sql()
            let rows = try await sql.select().columns("id", "id_cipher").from("residents").orderBy("id").all()
            let firstRow = try #require(rows.first), lastRow = try #require(rows.last)
            let firstID = try firstRow.decode(column: "id", as: UUID.self), lastID = try lastRow.decode(column: "id", as: UUID.self)
            #expect(try rotatingCipher.openIfCurrent(firstRow.decode(column: "id_cipher", as: Data.self)) != nil, "the first rows are rotated")
            #expect(try rotatingCipher.openIfCurrent(lastRow.decode(column: "id_cipher", as: Data.self)) == nil, "the last ones are not")
            for id in [firstID, lastID] {
                let number = try #require(before["residents.id_cipher.\(id)"])
                let found = try await app.call(.GET, "/api/v1/residents?q=\(number)", as: .district)
                #expect(found.status == .ok)
                #expect(found.json["items"][0]["id"].string?.lowercased() == id.uuidString.lowercased())
                let full = try await app.call(.GET, "/api/v1/residents/\(id)/full", as: .district)
                #expect(full.status == .ok)
                #expect(full.json["id_number"].string == number)
                // The same number cannot be registered a second time under the new key's index.
                let h = try await app.anyHousehold()
                let again = try await app.call(.POST, "/api/v1/residents", json: ["name": "重复", "id_number": number, "household_id": h.id, "relation": "other"])
                #expect(again.status == .conflict, "\(again.text)")
            }

            let summary = try await KeyRotation(app.db, cipher: rotatingCipher, batchSize: 50).rotate(by: .system("test"))
            #expect(summary.resumed)
            #expect(summary.rows >= 500)
            #expect(summary.rotated < 500 - 150, "the committed batches are not done again")
            let check = try await KeyRotation(app.db, cipher: newCipher).verify()
            #expect(check.problemCount == 0, "\(check.problems.prefix(3))")
            #expect(try await clearValues(app, cipher: newCipher) == before)
            #expect(try await KeyRotation(app.db, cipher: newCipher).isFinished() == true)
        }
    }

    @Test("a value the server rewrites while its batch is in flight is not overwritten with the older one")
    func concurrentEditIsKept() async throws {
        try await withTestApp(residents: 100) { app in
            app.linli.cipher = rotatingCipher
            app.linli.residentCache = nil
            let rotation = KeyRotation(app.db, cipher: rotatingCipher, batchSize: 1000)
            _ = try await rotation.loadProgress("residents", toKey: rotatingCipher.keyID)
            let residents = try #require(KeyRotation.tables.first { $0.name == "residents" })
            let batch = try await rotation.rotateBatch(residents, after: nil)
            #expect(batch.changes.count == 100)
            let row = try #require(try await app.sql().select().columns("id", "version").from("residents")
                .where("grid_code", .like, TestUser.worker.scope + "%").where("phone_cipher", .isNot, SQLLiteral.null).first())
            let target = try row.decode(column: "id", as: UUID.self), version = try row.decode(column: "version", as: Int.self)
            let edit = try await app.call(.PATCH, "/api/v1/residents/\(target)", json: ["phone": "13700001111", "version": version])
            #expect(edit.status == .ok, "\(edit.text)")
            try await rotation.commit(residents, batch: batch, state: .init(lastID: batch.lastID, done: batch.rows, finished: true), toKey: rotatingCipher.keyID)
            let full = try await app.call(.GET, "/api/v1/residents/\(target)/full", as: .district)
            #expect(full.status == .ok)
            #expect(full.json["phone"].string == "13700001111")
            // The row was rotated all the same: its ID number is under the new key too.
            let sealed = try #require(try await app.sql().select().column("id_cipher").from("residents")
                .where("id", .equal, SQLBind(target)).first()).decode(column: "id_cipher", as: Data.self)
            #expect(try rotatingCipher.openIfCurrent(sealed) != nil)
            let check = try await KeyRotation(app.db, cipher: newCipher).verify()
            #expect(check.problemCount < 100 && !check.problems.contains { $0.table == "residents" }, "every resident is rotated")
        }
    }

    @Test("every sealed column of the schema is one the rotation re-encrypts")
    func everySealedColumnIsRotated() async throws {
        try await withTestApp(residents: 0) { app in
            let sql = try app.sql()
            let query: SQLQueryString = app.db.isSQLite
                ? "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name LIKE '%_cipher'"
                : "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%\\_cipher'"
            let found = Set(try await sql.raw(query).all().map { "\(try $0.decode(column: "t", as: String.self)).\(try $0.decode(column: "c", as: String.self))" })
            let rotated = Set(KeyRotation.tables.flatMap { t in t.columns.map { "\(t.name).\($0)" } })
            #expect(found.count >= 5)
            #expect(found == rotated)
        }
    }

    @Test("the old key is read from LINLI_DATA_KEY_PREVIOUS; the same key twice is refused")
    func previousKeyFromEnvironment() throws {
        let dir = NSTemporaryDirectory() + "linli-keys-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = Data(repeating: 7, count: 32).base64EncodedString(), new = Data(repeating: 11, count: 32).base64EncodedString()
        let both = try AppConfig.fromEnvironment(["LINLI_DATA_DIR": dir, "LINLI_DATA_KEY": new, "LINLI_DATA_KEY_PREVIOUS": old]).cipher
        #expect(both.keyID == newCipher.keyID && both.previousKeyID == testCipher.keyID)
        let sealedOld = try testCipher.seal("321203199005177770")
        #expect(try both.open(sealedOld) == "321203199005177770")
        #expect(try both.openIfCurrent(sealedOld) == nil)
        #expect(both.blindIndexes("x") == [newCipher.blindIndex("x"), testCipher.blindIndex("x")])
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.fromEnvironment(["LINLI_DATA_DIR": dir, "LINLI_DATA_KEY": old, "LINLI_DATA_KEY_PREVIOUS": old])
        }
    }
}
