import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import LinliCore
import LinliData
import Vapor

extension Application {
    struct LinliKey: StorageKey { typealias Value = AppConfig }

    /// The configuration `configure` was called with.
    public var linli: AppConfig {
        get { storage[LinliKey.self]! }
        set { storage[LinliKey.self] = newValue }
    }
}

/// Sets up the application: database, migrations, middleware and routes. Tests call it with their own config.
public func configure(_ app: Application, _ config: AppConfig) async throws {
    app.linli = config
    switch config.storage {
    case .sqliteFile(let path):
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = nil
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
    }
    app.migrations.add(LinliMigrations.all)
    try await SQLiteSetup.configure(app.db)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodySize)
    app.http.server.configuration.serverName = nil
    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware(metrics: app.requestMetrics))
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ProblemMiddleware())
    try await routes(app)
}

func routes(_ app: Application) async throws {
    try app.register(collection: SystemAPI())
    app.get("metrics", use: metricsPage)
    let v1 = app.grouped("api", "v1").grouped(BearerAuthenticator())
    let decoy = try await app.password.async.hash(UUID().uuidString)
    let signIns = RateLimiter(limit: app.linli.signInLimit, window: app.linli.signInWindow)
    try app.register(collection: WebPages(limiter: signIns, decoyHash: decoy))
    try app.register(collection: ImportPages())
    try v1.register(collection: AuthAPI(limiter: signIns, decoyHash: decoy))
    try v1.register(collection: DivisionsAPI())
    try v1.register(collection: BuildingsAPI())
    try v1.register(collection: ResidentsAPI())
    try v1.register(collection: AccountsAPI())
    try v1.register(collection: AuditAPI())
    let anonymousSubmits = RateLimiter(limit: app.linli.anonymousSubmitLimit, window: 3600)
    try v1.register(collection: RequestsAPI(submitLimiter: anonymousSubmits))
    try app.register(collection: Open311API(submitLimiter: RateLimiter(limit: app.linli.open311SubmitLimit, window: 3600)))
    try v1.register(collection: ImportAPI())
    try v1.register(collection: IndicatorsAPI())
    try app.register(collection: IndicatorPages())
    v1.get("stats", use: SystemAPI().stats)
}
