import Foundation
import LinliCore
@testable import LinliData
import SQLKit
import Testing
import Vapor

/// The bulk path of a large import: values bound straight to SQLite, the registry's indexes dropped
/// and built again, foreign keys checked at commit, identifiers and nonces from a random pool.
@Suite("Bulk loads", .serialized)
struct BulkLoadTests {
    @Test("identifiers are version 7, unique and increasing; nonces never repeat")
    func randomPool() {
        var pool = RandomPool()
        let ids = (0..<20_000).map { _ in pool.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let u = id.uuid
            #expect(u.6 >> 4 == 7, "version 7")
            #expect(u.8 >> 6 == 0b10, "RFC 9562 variant")
        }
        // Uppercase hex sorts as the numbers do, and SQLite compares the stored text.
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
        let nonces = (0..<5_000).map { _ in pool.bytes(12) }
        #expect(Set(nonces).count == nonces.count)
        #expect(Set(nonces.flatMap { $0 }).count > 250, "bytes spread over the whole range")
        var one = RandomPool(), another = RandomPool()
        #expect(one.bytes(12) != another.bytes(12), "each pool its own key")
    }

    @Test("values are stored as Fluent stores them: UUIDs as text, dates as seconds, nil as NULL")
    func values() async throws {
        try await withTestApp(residents: 20) { app in
            let sql = try app.sql()
            let resident = try #require(try await sql.raw("SELECT id FROM residents LIMIT 1").first()).decode(column: "id", as: UUID.self)
            let id = UUID(), when = Date(timeIntervalSince1970: 1_700_000_000.25)
            var insert = BulkInsert.residentEvents()
            insert.add([id, resident, "registered", "2026-01-02", nil as UUID?, nil as UUID?, nil as String?, "备注", when])
            try await insert.flush(on: app.db)
            // SQLite keeps each value's own type: check it is what Fluent writes (PostgreSQL's columns are typed).
            let types = app.db.isSQLite ? "typeof(id) AS i, typeof(recorded_at) AS r, typeof(to_household_id) AS n," : ""
            let row = try await sql.raw("""
                SELECT \(unsafeRaw: types) id, recorded_at, to_household_id, note FROM resident_events WHERE id = \(bind: id)
                """).first()
            let r = try #require(row)
            if app.db.isSQLite {
                #expect(try r.decode(column: "i", as: String.self) == "text")
                #expect(try r.decode(column: "r", as: String.self) == "real")
                #expect(try r.decode(column: "n", as: String.self) == "null")
            }
            #expect(try r.decode(column: "id", as: UUID.self) == id)
            #expect(try r.decode(column: "to_household_id", as: UUID?.self) == nil)
            #expect(try r.decode(column: "recorded_at", as: Date.self) == when)
            #expect(try r.decode(column: "note", as: String.self) == "备注")
        }
    }

    @Test("awkward text survives the bulk path, which on PostgreSQL is COPY: tab, newline, backslash, \\N, Chinese, empty")
    func awkwardText() async throws {
        try await withTestApp(residents: 20) { app in
            let sql = try app.sql()
            let resident = try #require(try await sql.raw("SELECT id FROM residents LIMIT 1").first()).decode(column: "id", as: UUID.self)
            let notes = ["a\tb", "line\nbreak\r\n", #"back\slash \N"#, #"\N"#, "中文：「引号」", ""]
            let when = Date(timeIntervalSince1970: 1_700_000_000.123456)
            var insert = BulkInsert.residentEvents()
            var ids: [UUID] = []
            for note in notes {
                let id = UUID()
                ids.append(id)
                insert.add([id, resident, "registered", "2026-01-02", nil as UUID?, nil as UUID?, nil as String?, note, when])
            }
            let taken = insert.take()
            let batch = try #require(taken)
            #expect(batch.copyText() != nil, "every value has a text form, so PostgreSQL is sent COPY, not INSERT")
            try await batch.run(on: app.db)
            for (id, note) in zip(ids, notes) {
                let row = try #require(try await sql.raw("SELECT note, recorded_at FROM resident_events WHERE id = \(bind: id)").first())
                #expect(try row.decode(column: "note", as: String.self) == note)
                #expect(abs(try row.decode(column: "recorded_at", as: Date.self).timeIntervalSince(when)) < 0.000_002)
            }
        }
    }

    @Test("COPY's text form of each kind of value")
    func copyForms() {
        #expect(BulkValue(Data([0x00, 0xAB, 0x10])).copyText == #"\\x00ab10"#)
        #expect(BulkValue(true).copyText == "t")
        #expect(BulkValue(2.5).copyText == "2.5")
        #expect(BulkValue(Int64(5)).copyText == "5")
        #expect(BulkValue(nil as String?).copyText == #"\N"#)
        #expect(BulkValue("a\\b\tc\nd").copyText == #"a\\b\tc\nd"#)
        #expect(BulkValue(Date(timeIntervalSince1970: 1_700_000_000.25)).copyText == "2023-11-14 22:13:20.250000+00")
        #expect(BulkValue(Date(timeIntervalSince1970: -0.5)).copyText == "1969-12-31 23:59:59.500000+00")
        let id = UUID()
        #expect(BulkValue(id).copyText == id.uuidString.lowercased())
        #expect(BulkValue(["a"]).copyText == nil, "an array goes through the database's encoder (an INSERT)")
    }

    @Test("a first import rebuilds the indexes: everything written, indexes and foreign keys intact, the connection as before")
    func firstImport() async throws {
        try await withScratch { dir in
            try await withTestApp(residents: 150, storage: .sqliteFile(dir + "linli.sqlite")) { app in
                let f = try await Fixture.load(app)
                let path = dir + "people.csv"
                try writeCSV([Fixture.header] + (0..<600).map { try f.row($0) }, to: path)
                let sql = try app.sql()
                func indexes() async throws -> [String] {
                    try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all()
                        .map { try $0.decode(column: "sql", as: String.self) }
                }
                let before = try await indexes(), people = try await app.rowCount("residents")
                var engine = ResidentImport(app.db, cipher: testCipher, today: testToday, scope: RegistryScope(validatedCode: "321271002001"))
                engine.indexRebuildFrom = 100
                let plan = try await engine.validate(file: path)
                #expect(plan.newResidents == 600 && plan.residents.count > people, "large enough for the bulk path")
                let result = try await engine.commit(plan, by: .system("test"))
                #expect(result.residents == 600 && result.households == 200)
                #expect(try await app.rowCount("residents") == people + 600)
                #expect(try await indexes() == before, "every index is back, as the migrations made it")
                // The bulk path ran: the rebuilt index's statistics (ANALYZE after the rebuild) count every row.
                let stat = try await sql.raw("SELECT stat FROM sqlite_stat1 WHERE idx = 'residents_name'").first()?
                    .decode(column: "stat", as: String.self)
                #expect(stat?.split(separator: " ").first == "\(people + 600)"[...], "\(stat ?? "no statistics")")
                let check = try await sql.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
                #expect(check == "ok")
                #expect(try await sql.raw("PRAGMA foreign_key_check").all().isEmpty)
                let settings = try await sql.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self)
                #expect(settings == 0, "the pooled connection keeps no bulk setting")
                let cache = try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self)
                #expect(cache == -2000, "nor the load's page cache")
                // Found again through the rebuilt indexes: by pinyin initials and by the ID number's blind index.
                let queries = ResidentQueries(app.db, cipher: testCipher, today: testToday)
                let found = try await queries.find(idNumber: try f.row(7)[1], in: .everything)
                #expect(try found?.name == f.row(7)[0] && found?.householdNumber == "IMP-2")
                let events = try await sql.raw("SELECT COUNT(*) AS n FROM resident_events WHERE kind = 'registered' AND note LIKE '批量导入%'").first()
                #expect(try events?.decode(column: "n", as: Int.self) == 600)
                // The same file again: nothing new, nothing written.
                let again = try await engine.validate(file: path)
                #expect(again.unchanged == 600 && again.newResidents == 0)
            }
        }
    }
}
