import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 网格巡查's queries for this request.
    var patrols: PatrolsQueries { PatrolsQueries(db, requests: requestQueries, now: application.linli.now) }

    /// The signed-in account as a walker of rounds.
    var patrolsActor: PatrolsActor {
        let a = principal?.account
        return PatrolsActor(audit: auditActor, accountID: a?.id ?? UUID(), name: a?.displayName ?? "", division: a?.divisionCode ?? "", scope: registryScope)
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum PatrolsService {
    struct StartBody: Decodable { var gridCode: String? }
    struct VisitBody: Decodable {
        var buildingId: String?
        var latitude: Double?
        var longitude: Double?
        var finding: String?
        var note: String?
        var categoryCode: String?
        var description: String?
    }
    struct SettingsBody: Decodable { var weeklyNorm: Int?; var version: Int? }

    /// A visit as typed; a building id or a finding that is not one is named at its field.
    static func input(_ b: VisitBody) throws -> VisitInput {
        var errors = FieldErrors()
        var building: UUID?
        if let raw = b.buildingId?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let id = UUID(uuidString: raw) { building = id } else { errors.add("building_id", "楼栋编号格式有误") }
        }
        var finding: PatrolFinding?
        if let raw = b.finding, !raw.isEmpty {
            if let f = PatrolFinding(rawValue: raw) { finding = f } else { errors.add("finding", "巡查结果可选：none（未发现问题）、event（发现问题）") }
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        return VisitInput(buildingID: building, latitude: b.latitude, longitude: b.longitude, finding: finding, note: b.note,
                          categoryCode: b.categoryCode?.trimmingCharacters(in: .whitespaces), description: b.description)
    }

    /// The rounds list's filter from the query (`grid`, `week` as 2026-W49, `status`, `mine`).
    static func filter(_ req: Request) throws -> RoundFilter {
        var f = RoundFilter(status: try req.queryEnum("status", RoundStatus.self))
        if let g = try req.queryDivisionCode("grid", level: .grid) { f.grid = g.value }
        if let raw = try req.queryString("week", maxLength: 8) {
            guard let w = week(raw) else { throw ProblemError.badRequest("week", "参数 week 应为 ISO 周，如 2026-W49") }
            f.week = w
        }
        if try req.queryBool("mine") == true { f.walker = req.principal?.account.id }
        return f
    }

    /// `2026-W49` → the week.
    static func week(_ raw: String) -> PatrolWeek? {
        let parts = raw.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), parts[1].hasPrefix("W"), let w = Int(parts[1].dropFirst()) else { return nil }
        return PatrolWeek(year: y, week: w)
    }

    static func find(_ req: Request, id: UUID) async throws -> RoundDetail {
        guard let d = try await req.patrols.detail(id, in: req.registryScope) else { throw RegistryError.notFound("巡查") }
        return d
    }

    /// The area's rounds as .xlsx (audited).
    static func export(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await req.patrols.export(in: try req.narrowedScope(), try filter(req), to: path, by: req.auditActor)
        return ListExport.download(path: path, name: "巡查记录.xlsx", format: "xlsx")
    }
}
