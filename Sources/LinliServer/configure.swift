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
    // SQLite's calls block a thread of this pool, and a writer waiting for the write lock blocks one for
    // up to the busy timeout; bcrypt runs here too. With the default pool (one thread per core) two
    // waiters can starve the connection that holds the lock until the timeout ends (a 503). Enough
    // threads for every connection and a few hashes keep the holder running. Set before the databases.
    let pool = NIOThreadPool(numberOfThreads: max(16, 4 * System.coreCount))
    pool.start()
    app.threadPool = pool
    switch config.storage {
    case .sqliteFile(let path):
        try PrivateFiles.directory((path as NSString).deletingLastPathComponent)
        PrivateFiles.prepareSQLite(path)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        config.databasePoolSize = Array(app.eventLoopGroup.makeIterator()).count
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        config.databasePoolSize = 1
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = nil
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
        config.databasePoolSize = 4 * Array(app.eventLoopGroup.makeIterator()).count
    }
    app.migrations.add(LinliMigrations.all)
    try await SQLiteSetup.configure(app.db)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    // Multipart text fields meet the same character rule as forms and JSON (the same for every app).
    ContentConfiguration.global.use(decoder: CheckedFormDataDecoder(), for: .formData)

    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodySize)
    app.http.server.configuration.serverName = nil
    app.http.server.configuration.idleTimeout = .milliseconds(Int64(config.httpIdleTimeout * 1000))
    app.http.server.configuration.shutdownTimeout = .milliseconds(Int64(config.shutdownTimeout * 1000))
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(MetricsMiddleware(metrics: app.requestMetrics))
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(HeaderSizeGuard())
    app.middleware.use(InputGuard())
    try await routes(app)
}

func routes(_ app: Application) async throws {
    try app.register(collection: SystemAPI())
    app.get("metrics", use: metricsPage)
    let v1 = app.grouped("api", "v1").grouped(BearerAuthenticator())
    // Made in the background: every command builds the routes, and only sign-ins need it.
    let decoy = DecoyHash(app)
    let signIns = RateLimiter(limit: app.linli.signInLimit, window: app.linli.signInWindow)
    app.signInThrottle = SignInThrottle(free: app.linli.lockoutThreshold, base: app.linli.lockoutBaseDelay, cap: app.linli.lockoutDuration)
    try app.register(collection: WebPages(limiter: signIns, decoyHash: decoy))
    try app.register(collection: ImportPages())
    try app.register(collection: RegistryPages())
    try v1.register(collection: AuthAPI(limiter: signIns, decoyHash: decoy))
    try v1.register(collection: FirstSignInAPI())
    try app.register(collection: SetupPages())
    try v1.register(collection: DivisionsAPI())
    try v1.register(collection: BuildingsAPI())
    try v1.register(collection: ResidentsAPI())
    try v1.register(collection: AccountsAPI())
    try v1.register(collection: AuditAPI())
    // The portal's reports and the API's anonymous ones count against the same limit.
    let anonymousSubmits = RateLimiter(limit: app.linli.anonymousSubmitLimit, window: 3600)
    app.trackingGuard = TrackingGuard(app.linli)
    try v1.register(collection: RequestsAPI(submitLimiter: anonymousSubmits))
    try app.register(collection: RequestPages())
    try app.register(collection: PortalPages(submitLimiter: anonymousSubmits))
    try app.register(collection: Open311API(submitLimiter: RateLimiter(limit: app.linli.open311SubmitLimit, window: 3600)))
    try v1.register(collection: ImportAPI())
    try v1.register(collection: IndicatorsAPI())
    try v1.register(collection: CareAPI())
    try app.register(collection: IndicatorPages())
    try app.register(collection: CarePages())
    v1.get("stats", use: SystemAPI().stats)
}
