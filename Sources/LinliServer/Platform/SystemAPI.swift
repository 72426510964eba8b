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

/// The OpenAPI 3.1 contract: the base document with every capability's part (`Resources/openapi/<name>.yaml`),
/// served as one document.
public enum OpenAPIContract {
    public static let text: String = {
        OpenAPIDocument.merge(base: LinliServerResources.contractPart("base") ?? "",
                              parts: Capabilities.all.map { LinliServerResources.contractPart($0.name) ?? "" })
    }()
}

/// Joins YAML documents of one known shape, line by line: a part's `tags:` items, `paths:` items and
/// `components: schemas:` items go after the base's own. The base's `schemas:` is the last part of its
/// `components:` (a test checks the joined document).
enum OpenAPIDocument {
    static func merge(base: String, parts: [String]) -> String {
        let sections = parts.map(Self.sections)
        func gathered(_ key: String) -> [Substring] { sections.flatMap { $0[key] ?? [] } }
        var out: [Substring] = []
        var current = ""
        func flush() {
            switch current {
            case "tags", "paths": out += gathered(current)
            case "components": out += gathered("schemas")
            default: break
            }
        }
        for line in base.split(separator: "\n", omittingEmptySubsequences: false) {
            if let key = topLevelKey(line) {
                trimTrailingBlank(&out)
                flush()
                if !out.isEmpty { out.append("") }
                current = key
            }
            out.append(line)
        }
        trimTrailingBlank(&out)
        flush()
        return out.joined(separator: "\n") + "\n"
    }

    /// A part's item lines under `tags:`, `paths:` and `components: schemas:`.
    private static func sections(_ text: String) -> [String: [Substring]] {
        var out: [String: [Substring]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let key = topLevelKey(line) {
                current = key == "components" ? nil : key
                continue
            }
            if line == "  schemas:" { current = "schemas"; continue }
            if let c = current, !(line.isEmpty && (out[c]?.isEmpty ?? true)) { out[c, default: []].append(line) }
        }
        for k in out.keys { trimTrailingBlank(&out[k, default: []]) }
        return out
    }

    private static func topLevelKey(_ line: Substring) -> String? {
        guard let first = line.unicodeScalars.first, CharacterSet.letters.contains(first), let colon = line.firstIndex(of: ":") else { return nil }
        return String(line[..<colon])
    }

    private static func trimTrailingBlank(_ lines: inout [Substring]) {
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
    }
}

enum LinliServerResources {
    /// A capability's part of the contract, as shipped.
    static func contractPart(_ name: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "openapi") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
