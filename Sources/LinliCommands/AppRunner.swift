import Fluent
import Foundation
import LinliServer
import Vapor

/// The Vapor application a command works on, made from the environment as the server makes it.
enum LinliApp {
    /// Configures the application, runs `prepare` (lifecycle handlers go here, before boot), boots it,
    /// runs `body` and shuts the application down, also when `body` throws. `vaporArguments` are what
    /// Vapor's own commands read (`serve --port …`); only `serve`, `demo` and `routes` run them.
    static func run<T>(vaporArguments: [String] = ["linli"],
                       prepare: (Application, AppConfig) async throws -> Void = { _, _ in },
                       _ body: (Application) async throws -> T) async throws -> T {
        var env = try Environment.detect(arguments: vaporArguments)
        try LogFormat.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            let config = try AppConfig.fromEnvironment()
            try await configure(app, config)
            try await prepare(app, config)
            try await app.asyncBoot()
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Vapor's `serve` (signals, graceful shutdown), then the server stopped while the database is open.
    static func serve(_ app: Application) async throws {
        try await app.execute()
        // After SIGTERM: stop accepting connections and let the requests in flight finish (at most
        // LINLI_SHUTDOWN_TIMEOUT) while the database is still open; Vapor's own shutdown closes the
        // database pools before it stops the HTTP server, which would fail those requests.
        let shutdownServer: () async -> Void = app.http.server.shared.shutdown
        await shutdownServer()
    }
}

/// Standard output for results, standard error for problems and progress.
func say(_ line: String) { print(line) }
func warn(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
