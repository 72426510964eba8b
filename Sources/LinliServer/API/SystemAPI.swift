import Fluent
import SQLKit
import Foundation
import LinliData
import Vapor

/// Health, the API contract and the registry's headline figures.
struct SystemAPI {
    func boot(_ routes: Routes) {
        routes.get("healthz", needs: .open, use: health)
        // Liveness without touching the database: also the framework's own speed limit in benchmarks.
        routes.get("livez", needs: .open) { _ in "ok" }
        routes.get("api", "openapi.yaml", needs: .open, use: contract)
        routes.get("metrics", needs: .open, use: metricsPage)
    }

    struct Health: Encodable, Sendable {
        var status: String
        var database: String
    }

    func health(req: Request) async throws -> Response {
        do {
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
            return try await JSONBody(Health(status: "ok", database: "ok")).encodeResponse(for: req)
        } catch {
            return try await JSONBody(Health(status: "unavailable", database: "error"), status: .serviceUnavailable).encodeResponse(for: req)
        }
    }

    func contract(req: Request) async throws -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        response.body = .init(string: OpenAPIContract.text)
        return response
    }

    func stats(req: Request) async throws -> JSONBody<RegistryStats> {
        try req.require(.registryRead)
        return JSONBody(try await RegistryStats.compute(on: req.db, in: req.registryScope, today: req.application.linli.today()))
    }
}

/// The OpenAPI 3.1 contract, shipped as a resource of this module.
public enum OpenAPIContract {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()
}
