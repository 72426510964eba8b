import Foundation
import LinliCore
import LinliData
import Vapor

/// The indicators' service layer: the division asked for, its table and its export, for the API and the dashboard.
enum IndicatorService {
    /// `?division=` if given and inside the caller's area (otherwise 404), else the account's own division.
    static func division(_ req: Request) async throws -> IndicatorDivision {
        let p = try req.require(.indicatorsRead)
        let code = try req.queryDivisionCode("division")?.value ?? p.account.divisionCode
        guard req.registryScope.contains(code: code), let d = try await IndicatorQueries(req.db).division(code) else {
            throw RegistryError.notFound("区划")
        }
        return d
    }

    static func table(_ req: Request) async throws -> (IndicatorTable, IndicatorDivision) {
        let d = try await division(req)
        let scope = RegistryScope(division: try DivisionCode(d.code))
        return (try await IndicatorQueries(req.db).compute(in: scope, today: req.application.linli.today()), d)
    }

    /// The indicators of the division and of every division below it, one row per division and indicator. Audited.
    static func export(_ req: Request, format: String) async throws -> Response {
        let (table, division) = try await table(req)
        let path = ListExport.temporaryPath(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = try IndicatorExport.write(table, to: path)
        try await AuditLog.record(AuditEvent(IndicatorAudit.export, target: .division(division.code),
                                             detail: ["format": format, "rows": String(rows)]), by: req.auditActor, on: req.db)
        return ListExport.download(path: path, name: "规划指标-\(division.name)-\(table.today).\(format)", format: format)
    }
}
