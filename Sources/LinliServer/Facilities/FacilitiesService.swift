import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 设施与服务圈's queries for this request.
    var facilities: FacilitiesQueries { FacilitiesQueries(db, now: application.linli.now) }
    var facilitiesCoverage: FacilitiesCoverage { FacilitiesCoverage(db, now: application.linli.now) }
}

/// What the API and the console pages share.
enum FacilitiesService {
    struct FacilityBody: Decodable {
        var name: String?
        var kind: String?
        var communityCode: String?
        var address: String?
        var latitude: Double?
        var longitude: Double?
        var openingHours: String?
        var operatorName: String?
        var version: Int?

        var input: FacilityInput {
            FacilityInput(name: name, kind: kind, communityCode: communityCode, address: address, latitude: latitude, longitude: longitude,
                          openingHours: openingHours, operatorName: operatorName)
        }
    }

    struct SettingsBody: Decodable {
        var detour: Double?
        var radii: [String: Int]?
        var version: Int?
    }

    /// A kind given by code or label, or a 400 at the field.
    static func kind(_ raw: String?, field: String = "kind") throws -> FacilityKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let k = FacilityKind.parse(raw) else {
            throw ProblemError.badRequest(field, "设施类型可选：\(FacilityKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")
        }
        return k
    }

    /// A kind's code or a circle key (`circle10`), as the coverage table takes them.
    static func coverageKey(_ raw: String?) throws -> String {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return CoverageRow.circleKey(.ten) }
        if ServiceCircle.allCases.contains(where: { CoverageRow.circleKey($0) == raw }) { return raw }
        guard let k = FacilityKind.parse(raw) else {
            throw ProblemError.badRequest("kind", "应为设施类型代码或 circle5、circle10、circle15")
        }
        return k.rawValue
    }

    /// The snapshot of the scope for one kind or circle, summed per street (`level` 9) or listed per community (12).
    static func coverage(_ req: Request, scope: RegistryScope, key: String, level: Int) async throws -> [CoverageRow] {
        try await table(req, scope: scope, keys: [key], level: level).map { code, name, shares in
            CoverageRow(code: code, name: name, kind: key, share: shares[key] ?? CoverageShare())
        }
    }

    /// The snapshot of the scope for several kinds or circles at once (one read of the snapshot, one of the names),
    /// summed per street (`level` 9) or per community (12), in code order.
    static func table(_ req: Request, scope: RegistryScope, keys: [String], level: Int) async throws -> [(code: String, name: String, shares: [String: CoverageShare])] {
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        let wanted = Set(keys)
        let rows = try await req.facilitiesCoverage.rows(prefix: prefix, kind: keys.count == 1 ? keys[0] : nil).filter { wanted.contains($0.kind) }
        let divisions = DivisionQueries(req.db)
        let names = Dictionary(uniqueKeysWithValues: (try await divisions.all(level: .street) + divisions.all(level: .community)).map { ($0.code, $0.name) })
        var out: [String: [String: CoverageShare]] = [:]
        for r in rows {
            // Division codes are 12 digits, a street's ending in 000.
            let code = String(r.code.prefix(level)).padding(toLength: 12, withPad: "0", startingAt: 0)
            var acc = out[code, default: [:]][r.kind] ?? CoverageShare()
            acc.buildings += r.share.buildings; acc.buildingsCovered += r.share.buildingsCovered
            acc.residents += r.share.residents; acc.residentsCovered += r.share.residentsCovered
            out[code, default: [:]][r.kind] = acc
        }
        return out.keys.sorted().map { ($0, names[$0] ?? $0, out[$0] ?? [:]) }
    }

    static func percent(_ s: CoverageShare) -> String {
        s.residentsPercent.map { String(format: "%.1f%%", $0) } ?? "—"
    }
}
