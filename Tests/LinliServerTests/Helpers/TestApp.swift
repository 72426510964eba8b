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

/// The accounts every test application has, one per role (and a second community worker elsewhere).
enum TestUser: String, CaseIterable, Sendable {
    case worker, otherWorker, grid, street, district, dept, resident, sysadmin, secadmin, auditor, anonymous

    var role: Role? {
        switch self {
        case .worker, .otherWorker: return .communityWorker
        case .grid: return .gridWorker
        case .street: return .streetOfficer
        case .district: return .districtOfficer
        case .dept: return .department
        case .resident: return .resident
        case .sysadmin: return .systemAdmin
        case .secadmin: return .securityAdmin
        case .auditor: return .auditAdmin
        case .anonymous: return nil
        }
    }

    var scope: String {
        switch self {
        case .worker: return "321271002001"
        case .otherWorker: return "321271003001"
        case .grid: return "321271002001001"
        case .street: return "321271002000"
        case .resident: return "321271002001"
        default: return DemoDistrict.districtCode
        }
    }

    /// Every test account's password (tests only; they meet the policy).
    static let password = "Linli-Test-Pass-2026"
}

/// A clock the tests can move (session expiry, idle timeout, lockout).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var now: Date { lock.lock(); defer { lock.unlock() }; return Date().addingTimeInterval(offset) }
    func advance(_ seconds: TimeInterval) { lock.lock(); offset += seconds; lock.unlock() }
}

struct TestContext: Sendable {
    var tokens: [TestUser: String]
    var clock: TestClock
    var accounts: [TestUser: AccountRecord]
}

extension Application {
    struct TestContextKey: StorageKey { typealias Value = TestContext }
    var test: TestContext {
        get { storage[TestContextKey.self]! }
        set { storage[TestContextKey.self] = newValue }
    }
}

/// Starts an application on a fresh database with the demo district of `residents` people (and with `everyDemo`,
/// every capability's demo data) and an account
/// (signed in) for every test user, runs `body`, and shuts it down. On PostgreSQL each test gets a
/// database of its own, dropped afterwards, so tests may run side by side as they do on SQLite.
func withTestApp(residents: Int = 1200, seed: UInt64 = 42, everyDemo: Bool = false, storage fixedStorage: AppConfig.Storage? = nil,
                 adjust: @escaping @Sendable (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
    var storage = fixedStorage ?? .sqliteMemory
    var scratch: String?
    // A test on a storage of its own (a file it inspects, a load it measures) builds its database itself; the
    // others start from a copy of the shared template.
    let template = fixedStorage == nil ? TestTemplates.Key(residents: residents, seed: seed, everyDemo: everyDemo) : nil
    var sqliteTemplate: String?
    if let template, let admin = TestDatabase.postgresURL {
        let name = "linli_t_" + UUID().uuidString.prefix(8).lowercased()
        let source = try await TestTemplates.shared.postgresDatabase(template, admin: admin)
        try await TestDatabase.onAdmin(admin) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: source)").run() }
        var url = try #require(URLComponents(string: admin), "LINLI_TEST_DATABASE_URL is not a URL")
        url.path = "/" + name
        storage = .postgres(url: try #require(url.string))
        scratch = name
    } else if let template {
        sqliteTemplate = try await TestTemplates.shared.sqliteFile(template)
    }
    let clock = TestClock()
    do {
        try await withApp(configure: { app in
            var config = AppConfig(dataDirectory: NSTemporaryDirectory(), storage: storage, cipher: testCipher, today: { testToday })
            config.maxBodySize = 64 * 1024
            config.bcryptCost = 4
            config.now = { clock.now }
            config.photoDirectory = NSTemporaryDirectory() + "linli-photos-" + UUID().uuidString
            adjust(&config)
            try await configure(app, config)
            if let sqliteTemplate { try await TestTemplates.copySQLite(sqliteTemplate, into: app.db) }
            try await app.autoMigrate()
            if template == nil {
                if residents > 0 { _ = try await DemoDistrict.load(on: app.db, cipher: testCipher, seed: seed, residents: residents) }
                if everyDemo { try await loadEveryDemo(app, seed: seed, residents: residents) }
            }
            var tokens: [TestUser: String] = [:]
            var accounts: [TestUser: AccountRecord] = [:]
            if residents > 0 {
                let hash = try await app.password.async.hash(TestUser.password)
                for user in TestUser.allCases {
                    guard let role = user.role else { continue }
                    let secret = role.requiresTOTP ? try testCipher.seal(Base32.encode(testTOTPSecret)) : nil
                    let account = try await AccountQueries(app.db).create(username: user.rawValue.lowercased(), displayName: user.rawValue,
                                                                          role: role.rawValue, divisionCode: user.scope,
                                                                          departmentCode: user == .dept ? "CG" : nil, passwordHash: hash,
                                                                          totpCipher: secret, by: .system("test"))
                    let token = UUID().uuidString + UUID().uuidString
                    _ = try await AccountQueries(app.db).openSession(account: account, tokenHash: Sessions.hash(token), ip: "127.0.0.1",
                                                                     now: clock.now, lifetime: config.sessionLifetime, totpStep: nil,
                                                                     by: .system("test"))
                    tokens[user] = token
                    accounts[user] = account
                }
            }
            app.test = TestContext(tokens: tokens, clock: clock, accounts: accounts)
        }, body)
    } catch {
        Issue.record("\(String(reflecting: error))")
        throw error
    }
    if let scratch, let admin = TestDatabase.postgresURL {
        try await TestDatabase.onAdmin(admin) { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: scratch) WITH (FORCE)").run() }
    }
}

/// As `withTestApp`, but on SQLite a file (several connections, as the server runs it) so that concurrent
/// writers queue on the write lock as in production; on PostgreSQL a database of the test's own.
func withFileTestApp(residents: Int, _ body: (Application) async throws -> Void) async throws {
    let dir = NSTemporaryDirectory() + "linli-file-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let storage: AppConfig.Storage? = TestDatabase.postgresURL == nil ? .sqliteFile(dir + "/linli.sqlite") : nil
    // Tests here send many writers at once to one file while the other suites run beside them: queueing is expected.
    try await withTestApp(residents: residents, storage: storage, adjust: { $0.databasePoolTimeout = 60 }, body)
}

/// The TOTP secret of the test accounts that need one.
let testTOTPSecret: [UInt8] = Array(repeating: 0x42, count: 20)

extension TestDatabase {
    /// Runs `body` on the database named by the test URL, from a short-lived application.
    static func onAdmin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            try await body(app.sql())
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
    /// The value decoded as `T` (snake_case keys); a missing or mistyped field fails the test, naming it.
    func decode<T: Decodable>(_ type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let data = try JSONSerialization.data(withJSONObject: try #require(raw, "no JSON to read \(T.self) from", sourceLocation: sourceLocation),
                                              options: [.fragmentsAllowed])
        return try APIResponse(status: .ok, headers: [:], body: data).decode(type, sourceLocation: sourceLocation)
    }

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

    /// The body decoded as `T` (snake_case keys); a missing or mistyped field fails the test, naming it.
    func decode<T: Decodable>(_ type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: body)
        } catch {
            Issue.record("\(T.self) not read from \(status): \(error) in \(text.prefix(500))", sourceLocation: sourceLocation)
            throw error
        }
    }
}

extension Application {
    /// The database as SQL, which every driver the tests run on speaks.
    func sql(sourceLocation: SourceLocation = #_sourceLocation) throws -> any SQLDatabase {
        try #require(db as? any SQLDatabase, "the database does not speak SQL", sourceLocation: sourceLocation)
    }

    /// The session token of `user`'s signed-in account.
    func token(_ user: TestUser, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(test.tokens[user], "\(user) has no session", sourceLocation: sourceLocation)
    }

    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, rawBody: String? = nil, data: Data? = nil,
              contentType: String = "application/json", as user: TestUser = .worker, token: String? = nil) async throws -> APIResponse {
        var headers = HTTPHeaders()
        if let t = token ?? test.tokens[user] { headers.replaceOrAdd(name: .authorization, value: "Bearer \(t)") }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        } else if let data {
            body = ByteBuffer(data: data)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        let r = try await testing().sendRequest(method, path, headers: headers, body: body)
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// Counts rows of a table, to prove that a refused request wrote nothing.
    func rowCount(_ table: String) async throws -> Int {
        let row = try #require(try await sql().raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first())
        return try row.decode(column: "n", as: Int.self)
    }

    /// Some household that `user` may see, and its grid.
    func anyHousehold(offset: Int = 0, as user: TestUser = .worker) async throws -> (id: String, grid: String) {
        let r = try await call(.GET, "/api/v1/households?per_page=1&page=\(offset + 1)", as: user)
        let h = r.json["items"][0]
        return (try #require(h["id"].string, "\(r.text)"), try #require(h["grid_code"].string, "\(r.text)"))
    }
}
