import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/buildings` and `/api/v1/households`.
struct BuildingsAPI {
    func boot(_ routes: Routes) {
        let buildings = routes.grouped("buildings")
        buildings.get(needs: .permission(.registryRead), use: listBuildings)
        buildings.post(needs: .permission(.registryWrite), use: createBuilding)
        buildings.get(":id", needs: .permission(.registryRead), use: showBuilding)
        buildings.patch(":id", needs: .permission(.registryWrite), use: updateBuilding)
        let households = routes.grouped("households")
        households.get(needs: .permission(.registryRead), use: listHouseholds)
        households.post(needs: .permission(.registryWrite), use: createHousehold)
        households.get(":id", needs: .permission(.registryRead), use: showHousehold)
        households.patch(":id", needs: .permission(.registryWrite), use: updateHousehold)
        routes.get("exports", "buildings", needs: .permission(.registryRead), use: exportBuildings)
        routes.get("exports", "households", needs: .permission(.registryRead), use: exportHouseholds)
    }

    /// The buildings list as a file (the list's filters), audited.
    func exportBuildings(req: Request) async throws -> Response {
        let scope = try scope(req), grid = try req.queryDivisionCode("grid", level: .grid)?.value
        return try await ListExport.write(req, sheet: "楼栋", name: "楼栋列表", action: RegistryAudit.buildingsExport,
                                          header: ["网格代码", "楼栋", "地址", "纬度", "经度", "层数"], widths: [18, 24, 24, 12, 12, 8]) { write in
            try await ListExport.pages { page in
                let p = try await BuildingQueries(req.db).list(in: scope, gridCode: grid, page: page)
                for b in p.items {
                    try write([.text(b.gridCode), .text(b.name), .text(b.address), .number(b.latitude), .number(b.longitude),
                               b.floors.map { .number(Double($0)) } ?? .empty])
                }
                return p.items.count
            }
        }
    }

    /// The households list as a file (the list's filters), audited.
    func exportHouseholds(req: Request) async throws -> Response {
        let scope = try scope(req), grid = try req.queryDivisionCode("grid", level: .grid)?.value, building = try req.queryUUID("building")
        return try await ListExport.write(req, sheet: "户", name: "户列表", action: RegistryAudit.householdsExport,
                                          header: ["户号", "网格代码", "楼栋", "房号"], widths: [22, 18, 24, 16]) { write in
            try await ListExport.pages { page in
                let p = try await HouseholdQueries(req.db).list(in: scope, buildingID: building, gridCode: grid, page: page)
                for h in p.items { try write([.text(h.number), .text(h.gridCode), .text(h.buildingName), .text(h.room)]) }
                return p.items.count
            }
        }
    }

    func scope(_ req: Request) throws -> RegistryScope {
        try req.require(.registryRead)
        return try req.narrowedScope()
    }

    func listBuildings(req: Request) async throws -> JSONBody<PageDTO<BuildingDTO>> {
        let page = try await BuildingQueries(req.db).list(in: try scope(req), gridCode: try req.queryDivisionCode("grid", level: .grid)?.value,
                                                          page: try req.pageRequest())
        return JSONBody(PageDTO(page, BuildingDTO.init))
    }

    func showBuilding(req: Request) async throws -> JSONBody<BuildingDTO> {
        try req.require(.registryRead)
        guard let b = try await BuildingQueries(req.db).find(id: try req.pathUUID(), in: req.registryScope) else {
            throw RegistryError.notFound("楼栋")
        }
        return JSONBody(BuildingDTO(b))
    }

    func createBuilding(req: Request) async throws -> JSONBody<BuildingDTO> {
        try req.require(.registryWrite)
        let input = try req.decodeJSON(BuildingInput.self)
        var errors = FieldErrors()
        if input.gridCode == nil { errors.add("grid_code", "请选择所在网格") }
        if input.name == nil { errors.add("name", "请填写楼栋名称") }
        if input.address == nil { errors.add("address", "请填写地址") }
        if input.latitude == nil { errors.add("latitude", "请填写纬度") }
        if input.longitude == nil { errors.add("longitude", "请填写经度") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let draft = BuildingDraft(gridCode: input.gridCode!, name: input.name!.trimmingCharacters(in: .whitespaces),
                                  address: input.address!.trimmingCharacters(in: .whitespaces),
                                  latitude: input.latitude!, longitude: input.longitude!, floors: input.floors)
        return JSONBody(BuildingDTO(try await BuildingQueries(req.db).create(draft, in: req.registryScope, by: req.auditActor)), status: .created)
    }

    func updateBuilding(req: Request) async throws -> JSONBody<BuildingDTO> {
        try req.require(.registryWrite)
        let id = try req.pathUUID()
        let input = try req.decodeJSON(BuildingInput.self)
        guard let current = try await BuildingQueries(req.db).find(id: id, in: req.registryScope) else {
            throw RegistryError.notFound("楼栋")
        }
        if let g = input.gridCode, current.gridCode != g {
            throw RegistryError.invalid([FieldError("grid_code", "楼栋所在网格不能修改")])
        }
        let version = try requireVersion(input.version)
        let b = try await BuildingQueries(req.db).update(id: id, name: input.name?.trimmingCharacters(in: .whitespaces),
                                                         address: input.address?.trimmingCharacters(in: .whitespaces),
                                                         latitude: input.latitude, longitude: input.longitude, floors: input.floors,
                                                         version: version, in: req.registryScope, by: req.auditActor)
        return JSONBody(BuildingDTO(b))
    }

    func listHouseholds(req: Request) async throws -> JSONBody<PageDTO<HouseholdDTO>> {
        let page = try await HouseholdQueries(req.db).list(in: try scope(req), buildingID: try req.queryUUID("building"),
                                                           gridCode: try req.queryDivisionCode("grid", level: .grid)?.value,
                                                           page: try req.pageRequest())
        return JSONBody(PageDTO(page) { HouseholdDTO($0) })
    }

    func showHousehold(req: Request) async throws -> JSONBody<HouseholdDTO> {
        try req.require(.registryRead)
        let scope = req.registryScope
        guard let h = try await HouseholdQueries(req.db).find(id: try req.pathUUID(), in: scope) else {
            throw RegistryError.notFound("户")
        }
        let today = req.application.linli.today()
        let members = try await req.residents.members(ofHousehold: h.id, in: scope).map { ResidentDTO($0, today: today, partyVisible: req.principal?.role.permissions.contains(.partyMembers) ?? false) }
        return JSONBody(HouseholdDTO(h, members: members))
    }

    func createHousehold(req: Request) async throws -> JSONBody<HouseholdDTO> {
        try req.require(.registryWrite)
        let input = try req.decodeJSON(HouseholdInput.self)
        var errors = FieldErrors()
        if input.number == nil { errors.add("number", "请填写户号") }
        if input.buildingId == nil { errors.add("building_id", "请选择楼栋") }
        if input.room == nil { errors.add("room", "请填写门牌/室号") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let h = try await HouseholdQueries(req.db).create(number: input.number!.trimmingCharacters(in: .whitespaces),
                                                          buildingID: input.buildingId!,
                                                          room: input.room!.trimmingCharacters(in: .whitespaces), in: req.registryScope,
                                                          by: req.auditActor)
        return JSONBody(HouseholdDTO(h, members: []), status: .created)
    }

    func updateHousehold(req: Request) async throws -> JSONBody<HouseholdDTO> {
        try req.require(.registryWrite)
        let id = try req.pathUUID()
        let input = try req.decodeJSON(HouseholdInput.self)
        let queries = HouseholdQueries(req.db)
        guard let current = try await queries.find(id: id, in: req.registryScope) else { throw RegistryError.notFound("户") }
        var errors = FieldErrors()
        if let n = input.number, n != current.number { errors.add("number", "户号不能修改") }
        if let b = input.buildingId, b != current.buildingId { errors.add("building_id", "户所在楼栋不能修改，请办理迁移") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let version = try requireVersion(input.version)
        let h = try await queries.update(id: id, room: input.room?.trimmingCharacters(in: .whitespaces) ?? current.room,
                                         version: version, in: req.registryScope, by: req.auditActor)
        return JSONBody(HouseholdDTO(h))
    }
}
