import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 区划调整's queries for this request.
    var boundary: BoundaryQueries {
        let linli = application.linli
        return BoundaryQueries(db, today: linli.today(), now: linli.now)
    }
}

/// What the API and the console pages share: an order as typed, turned into the data layer's input.
enum BoundaryService {
    struct OrderBody: Decodable {
        var kind: String?
        var sources: [String]?
        var newNames: [String]?
        var receivingStreet: String?
        var target: String?
        /// A split's buildings: building id → index into `new_names`; a move's: the ids to move (values ignored).
        var buildings: [String: Int]?
        var effectiveOn: String?
        var documentNo: String?
        var documentTitle: String?
    }

    struct VersionBody: Decodable { var version: Int? }

    static func input(_ b: OrderBody) throws -> BoundaryInput {
        var buildings: [UUID: Int] = [:]
        for (k, v) in b.buildings ?? [:] {
            guard let id = UUID(uuidString: k) else { throw RegistryError.invalid([FieldError("buildings", "楼栋编号“\(k.prefix(40))”无效")]) }
            buildings[id] = v
        }
        guard (b.sources ?? []).count <= 20, (b.newNames ?? []).count <= 20, buildings.count <= 5000 else {
            throw RegistryError.invalid([FieldError("sources", "一次调整涉及的区划、名称或楼栋过多")])
        }
        return BoundaryInput(kind: b.kind.flatMap(BoundaryKind.init(rawValue:)), sources: b.sources ?? [], newNames: b.newNames ?? [],
                             receivingStreet: b.receivingStreet?.trimmedOrNil, target: b.target?.trimmedOrNil, buildings: buildings,
                             effectiveOn: b.effectiveOn.flatMap { CivilDate($0) }, documentNo: b.documentNo, documentTitle: b.documentTitle)
    }

    /// Applies an order and forgets cached residents and sessions (grids and accounts' divisions may have changed).
    static func apply(_ req: Request, _ id: UUID, version: Int?) async throws -> BoundaryOrderRecord {
        let o = try await req.boundary.apply(id, version: version, columns: Capabilities.divisionColumns, in: req.registryScope, by: req.auditActor)
        req.application.linli.residentCache?.removeAll()
        req.application.linli.sessionCache.removeAll()
        return o
    }

    /// Names of the divisions an order names (live or retired), for display.
    static func names(_ req: Request, _ orders: [BoundaryOrderRecord]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for d in try await DivisionQueries(req.db).all(in: .everything) where d.level != .grid || orders.contains(where: { $0.target == d.code || $0.sources.contains(d.code) }) {
            names[d.code] = d.name
        }
        for r in try await req.boundary.retired(in: .everything) { names[r.code] = r.name }
        return names
    }
}
