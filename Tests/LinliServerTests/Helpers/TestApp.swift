import Crypto
import Fluent
import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import FluentPostgresDriver
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The date every API test runs on, so that ages and "today" checks do not depend on the clock.
let testToday = CivilDate(year: 2026, month: 6, day: 30)!

/// A fixed data key: tests must not create key files.
let testCipher = PersonalDataCipher(masterKey: SymmetricKey(data: Data(repeating: 7, count: 32)))

/// Which database the API suite runs on: in-memory SQLite, or the PostgreSQL server named by
/// `LINLI_TEST_DATABASE_URL` (which must be on this machine: tests wipe it).
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["LINLI_TEST_DATABASE_URL"], !url.isEmpty else { return nil }
        let host = URLComponents(string: url)?.host ?? ""
        precondition(["localhost", "127.0.0.1", "::1"].contains(host), "LINLI_TEST_DATABASE_URL must point to this machine, not \(host)")
        return url
    }

    static var storage: AppConfig.Storage { postgresURL.map { .postgres(url: $0) } ?? .sqliteMemory }
    static var name: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }
}

/// Starts an application on a fresh database with the demo district of `residents` people, runs `body`,
/// and shuts it down. On PostgreSQL each test gets a database of its own, dropped afterwards, so tests
/// may run side by side as they do on SQLite.
func withTestApp(residents: Int = 300, seed: UInt64 = 42, _ body: (Application) async throws -> Void) async throws {
    var storage = AppConfig.Storage.sqliteMemory
    var scratch: String?
    if let admin = TestDatabase.postgresURL {
        let name = "linli_t_" + UUID().uuidString.prefix(8).lowercased()
        try await TestDatabase.onAdmin(admin) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        var url = URLComponents(string: admin)!
        url.path = "/" + name
        storage = .postgres(url: url.string!)
        scratch = name
    }
    do {
        try await withApp(configure: { app in
            var config = AppConfig(dataDirectory: NSTemporaryDirectory(), storage: storage, cipher: testCipher, today: { testToday })
            config.maxBodySize = 64 * 1024
            try await configure(app, config)
            try await app.autoMigrate()
            if residents > 0 {
                _ = try await DemoDistrict.load(on: app.db, cipher: testCipher, seed: seed, residents: residents)
            }
        }, body)
    } catch {
        Issue.record("\(String(reflecting: error))")
        throw error
    }
    if let scratch, let admin = TestDatabase.postgresURL {
        try await TestDatabase.onAdmin(admin) { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: scratch) WITH (FORCE)").run() }
    }
}

extension TestDatabase {
    /// Runs `body` on the database named by the test URL, from a short-lived application.
    static func onAdmin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            try await body(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// A response body read as loose JSON, for assertions.
struct JSONValue: @unchecked Sendable {
    let raw: Any?

    init(_ raw: Any?) { self.raw = raw }
    init(data: Data) { raw = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }

    subscript(key: String) -> JSONValue { JSONValue((raw as? [String: Any])?[key]) }
    subscript(index: Int) -> JSONValue {
        guard let a = raw as? [Any], a.indices.contains(index) else { return JSONValue(nil) }
        return JSONValue(a[index])
    }
    var string: String? { raw as? String }
    var int: Int? { (raw as? NSNumber)?.intValue }
    var double: Double? { (raw as? NSNumber)?.doubleValue }
    var array: [JSONValue] { (raw as? [Any])?.map(JSONValue.init) ?? [] }
    var strings: [String] { (raw as? [Any])?.compactMap { $0 as? String } ?? [] }
    var isNull: Bool { raw == nil || raw is NSNull }
    var keys: Set<String> { Set((raw as? [String: Any])?.keys.map { $0 } ?? []) }
    /// The field names in a problem's `errors`.
    var errorFields: [String] { self["errors"].array.compactMap { $0["field"].string } }
}

struct APIResponse {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: Data
    var json: JSONValue { JSONValue(data: body) }
    var text: String { String(decoding: body, as: UTF8.self) }
    var isProblem: Bool { headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true }
}

extension Application {
    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, rawBody: String? = nil,
              contentType: String = "application/json") async throws -> APIResponse {
        var headers = HTTPHeaders()
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        let r = try await testing().sendRequest(method, path, headers: headers, body: body)
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// Counts rows of a table, to prove that a refused request wrote nothing.
    func rowCount(_ table: String) async throws -> Int {
        let row = try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
        return try row!.decode(column: "n", as: Int.self)
    }

    /// Some household of the demo district and its grid.
    func anyHousehold(offset: Int = 0) async throws -> (id: String, grid: String) {
        let r = try await call(.GET, "/api/v1/households?per_page=1&page=\(offset + 1)")
        let h = r.json["items"][0]
        return (h["id"].string!, h["grid_code"].string!)
    }
}
