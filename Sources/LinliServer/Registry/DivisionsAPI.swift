import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/divisions` and `/api/v1/grids`: the administrative tree. The tree itself is public.
struct DivisionsAPI {
    func boot(_ routes: Routes) {
        let divisions = routes.grouped("divisions")
        divisions.get(needs: .open, use: tree)
        divisions.post(needs: .permission(.divisionsWrite), use: create)
        divisions.get(":code", needs: .open, use: show)
        divisions.patch(":code", needs: .permission(.divisionsWrite), use: update)
        let grids = routes.grouped("grids")
        grids.get(needs: .open, use: listGrids)
        grids.post(needs: .permission(.divisionsWrite), use: createGrid)
        grids.get(":code", needs: .open, use: showGrid)
        grids.patch(":code", needs: .permission(.divisionsWrite), use: updateGrid)
        routes.get("parks", needs: .open, use: parks)
        routes.get("stats", needs: .permission(.registryRead), use: SystemAPI().stats)
    }

    /// The whole tree from the district down (`depth` 1–4 levels), names, codes and levels only.
    func tree(req: Request) async throws -> JSONBody<DivisionNodeDTO> {
        let depth = try req.queryInt("depth", in: 1...4) ?? 4
        let queries = DivisionQueries(req.db)
        let all = try await queries.all().filter { $0.level.depth < depth }
        let parks = try await queries.parkNames()
        var children: [String: [DivisionRecord]] = [:]
        for d in all { if let p = d.parentCode { children[p, default: []].append(d) } }
        func node(_ d: DivisionRecord) -> DivisionNodeDTO {
            let kids = children[d.code]?.map(node)
            return DivisionNodeDTO(code: d.code, name: d.name, level: d.level.rawValue, kind: d.kind?.rawValue, parks: parks[d.code] ?? [],
                                   children: kids ?? (d.level.depth + 1 < depth ? [] : nil))
        }
        guard let root = all.first(where: { $0.parentCode == nil && $0.level == .district }) else {
            throw RegistryError.notFound("区划")
        }
        return JSONBody(node(root))
    }

    func show(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await find(req, level: nil))
    }

    func showGrid(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await find(req, level: .grid))
    }

    func find(_ req: Request, level: DivisionLevel?) async throws -> DivisionDTO {
        let code = req.parameters.get("code") ?? ""
        let queries = DivisionQueries(req.db)
        // The division tree is public: names, codes, levels and boundaries, no personal data.
        guard let d = try await queries.find(code: code, in: .everything), level == nil || d.level == level else {
            throw RegistryError.notFound(level == .grid ? "网格" : "区划")
        }
        return DivisionDTO(d, parks: try await queries.parkNames()[d.code] ?? [])
    }

    func listGrids(req: Request) async throws -> JSONBody<PageDTO<DivisionDTO>> {
        let division = try req.queryDivisionCode("division")
        let page = try req.pageRequest()
        let scope = division.map { RegistryScope(division: $0) } ?? .everything
        let queries = DivisionQueries(req.db)
        let all = try await queries.all(in: scope, level: .grid)
        let parks = try await queries.parkNames()
        let slice = Array(all.dropFirst(page.offset).prefix(page.perPage))
        let result = ResultPage(items: slice, total: all.count, page: page.page, perPage: page.perPage)
        return JSONBody(PageDTO(result) { DivisionDTO($0, parks: parks[$0.code] ?? []) })
    }

    func create(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await create(req, gridOnly: false), status: .created)
    }

    func createGrid(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await create(req, gridOnly: true), status: .created)
    }

    func create(_ req: Request, gridOnly: Bool) async throws -> DivisionDTO {
        try req.require(.divisionsWrite)
        let input = try req.decodeJSON(DivisionCreateInput.self)
        var errors = FieldErrors()
        var code: DivisionCode?
        do { code = try DivisionCode(input.code ?? "") } catch { errors.add("code", error.message) }
        if gridOnly, let c = code, c.level != .grid { errors.add("code", "网格代码应为15位（所属村/社区代码加3位）") }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 40 { errors.add("name", "名称应为1至40个字") }
        var kind: CommunityKind?
        if let k = input.kind {
            kind = CommunityKind(rawValue: k)
            if kind == nil { errors.add("kind", "类别应为“村”或“社区”") }
        }
        input.boundary?.validate().forEach { errors.add($0) }
        guard errors.isEmpty, let code else { throw RegistryError.invalid(errors.errors) }
        let queries = DivisionQueries(req.db)
        var parks: [String] = []
        for p in input.parks ?? [] where !parks.contains(p) { parks.append(p) }
        let record = try await queries.create(code: code, name: name, kind: kind, boundary: input.boundary?.json,
                                              parks: parks, in: req.registryScope, by: req.auditActor)
        return DivisionDTO(record, parks: try await queries.parkNames()[record.code] ?? [])
    }

    func update(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await update(req, level: nil))
    }

    func updateGrid(req: Request) async throws -> JSONBody<DivisionDTO> {
        JSONBody(try await update(req, level: .grid))
    }

    func update(_ req: Request, level: DivisionLevel?) async throws -> DivisionDTO {
        try req.require(.divisionsWrite)
        let code = req.parameters.get("code") ?? ""
        let input = try req.decodeJSON(DivisionUpdateInput.self)
        let queries = DivisionQueries(req.db)
        guard let current = try await queries.find(code: code, in: req.registryScope), level == nil || current.level == level else {
            throw RegistryError.notFound(level == .grid ? "网格" : "区划")
        }
        var errors = FieldErrors()
        let name = input.name?.trimmingCharacters(in: .whitespaces)
        if let name, name.isEmpty || name.count > 40 { errors.add("name", "名称应为1至40个字") }
        input.boundary?.validate().forEach { errors.add($0) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let version = try requireVersion(input.version)
        let record = try await queries.update(code: code, name: name, boundary: input.boundary.map { .some($0.json) },
                                              version: version, in: req.registryScope, by: req.auditActor)
        return DivisionDTO(record, parks: try await queries.parkNames()[code] ?? [])
    }

    struct ParkDTO: Encodable, Sendable {
        var code: String
        var name: String
    }

    func parks(req: Request) async throws -> JSONBody<[ParkDTO]> {
        JSONBody(try await DivisionQueries(req.db).parks().map { ParkDTO(code: $0.code, name: $0.name) })
    }
}
