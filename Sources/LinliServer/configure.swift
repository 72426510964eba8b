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
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .milliseconds(Int64(config.databasePoolTimeout * 1000)), sqlLogLevel: .trace),
                          as: .sqlite)
        config.databasePoolSize = Array(app.eventLoopGroup.makeIterator()).count
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        config.databasePoolSize = 1
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = nil
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4,
                                    connectionPoolTimeout: .milliseconds(Int64(config.databasePoolTimeout * 1000)), sqlLogLevel: .trace), as: .psql)
        config.databasePoolSize = 4 * Array(app.eventLoopGroup.makeIterator()).count
    }
    app.migrations.add(Capabilities.migrations)
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
    // Each capability adds its own routes, each declared with what it needs (`Routes`).
    for capability in Capabilities.all {
        try capability.routes(CapabilityRoutes(app, capability: capability.name))
    }
}
