import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/facilities`: the facility register (kinds of the 5-, 10- and 15-minute life circles), the district's
/// radii and detour factor, the coverage snapshot per community and kind, the buildings out of reach, the gap
/// analysis; `/facilities/public` a community's facilities for the portal (no sign-in).
struct FacilitiesAPI {
    func boot(_ routes: Routes) {
        let f = routes.grouped("facilities")
        f.get(needs: .permission(.facilitiesRead), use: list)
        f.post(needs: .permission(.facilitiesManage), use: create)
        f.get("kinds", needs: .open, use: kinds)
        f.get("settings", needs: .permission(.facilitiesRead), use: settings)
        f.put("settings", needs: .permission(.facilitiesSettings), use: saveSettings)
        f.get("coverage", needs: .permission(.facilitiesRead), use: coverage)
        f.post("coverage", "refresh", needs: .permission(.facilitiesSettings), use: refresh)
        f.get("uncovered", needs: .permission(.facilitiesRead), use: uncovered)
        f.get("gap", needs: .permission(.facilitiesRead), use: gap)
        f.get("public", needs: .open, use: publicList)
        f.get(":id", needs: .permission(.facilitiesRead), use: one)
        f.patch(":id", needs: .permission(.facilitiesManage), use: update)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<FacilityDTO>> {
        let community = try req.queryString("community", maxLength: 12)
        if let community { _ = try await req.facilities.community(community, in: req.registryScope) }
        let page = try await req.facilities.list(in: req.registryScope, community: community, kind: try FacilitiesService.kind(try req.queryString("kind", maxLength: 30)),
                                                 page: try req.pageRequest())
        return JSONBody(PageDTO(page) { FacilityDTO($0) })
    }

    func create(req: Request) async throws -> JSONBody<FacilityDTO> {
        let b = try req.decodeJSON(FacilitiesService.FacilityBody.self)
        return JSONBody(FacilityDTO(try await req.facilities.create(b.input, in: req.registryScope, by: req.auditActor)), status: .created)
    }

    func one(req: Request) async throws -> JSONBody<FacilityDTO> {
        JSONBody(FacilityDTO(try await req.facilities.facility(try req.pathUUID(), in: req.registryScope)))
    }

    func update(req: Request) async throws -> JSONBody<FacilityDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(FacilitiesService.FacilityBody.self)
        return JSONBody(FacilityDTO(try await req.facilities.update(id, b.input, version: try requireVersion(b.version), in: req.registryScope, by: req.auditActor)))
    }

    func kinds(req: Request) async throws -> JSONBody<[FacilityKindDTO]> {
        JSONBody(FacilitySettingsDTO(try await req.facilities.settings()).kinds)
    }

    func settings(req: Request) async throws -> JSONBody<FacilitySettingsDTO> {
        JSONBody(FacilitySettingsDTO(try await req.facilities.settings()))
    }

    func saveSettings(req: Request) async throws -> JSONBody<FacilitySettingsDTO> {
        let b = try req.decodeJSON(FacilitiesService.SettingsBody.self)
        let s = try await req.facilities.saveSettings(detour: b.detour, radii: b.radii ?? [:], version: try requireVersion(b.version), by: req.auditActor)
        return JSONBody(FacilitySettingsDTO(s))
    }

    /// Per community (or per street with `by=street`) for one kind or circle.
    func coverage(req: Request) async throws -> JSONBody<[CoverageRowDTO]> {
        let scope = try req.narrowedScope()
        let level = try req.queryString("by", maxLength: 10) == "street" ? 9 : 12
        let rows = try await FacilitiesService.coverage(req, scope: scope, key: try FacilitiesService.coverageKey(try req.queryString("kind", maxLength: 30)), level: level)
        return JSONBody(rows.map(CoverageRowDTO.init))
    }

    struct RefreshDTO: Encodable, Sendable { var buildings: Int; var facilities: Int; var communities: Int; var seconds: Double }

    func refresh(req: Request) async throws -> JSONBody<RefreshDTO> {
        let s = try await req.facilitiesCoverage.refresh(audit: req.auditActor)
        return JSONBody(RefreshDTO(buildings: s.buildings, facilities: s.facilities, communities: s.communities, seconds: (s.seconds * 1000).rounded() / 1000))
    }

    func communityAndKind(_ req: Request) async throws -> (DivisionRecord, FacilityKind) {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        let c = try await req.facilities.community(raw, in: req.registryScope)
        guard let kind = try FacilitiesService.kind(try req.queryString("kind", maxLength: 30)) else { throw ProblemError.badRequest("kind", "请给出设施类型（kind）") }
        return (c, kind)
    }

    func uncovered(req: Request) async throws -> JSONBody<[UncoveredBuildingDTO]> {
        let (c, kind) = try await communityAndKind(req)
        return JSONBody(try await req.facilitiesCoverage.uncovered(community: c.code, kind: kind).map(UncoveredBuildingDTO.init))
    }

    func gap(req: Request) async throws -> JSONBody<GapDTO> {
        let (c, kind) = try await communityAndKind(req)
        guard let g = try await req.facilitiesCoverage.gap(community: c.code, kind: kind) else {
            return JSONBody(GapDTO(community: c.code, kind: kind.rawValue, site: nil, latitude: nil, longitude: nil, residentsGained: 0, buildingsGained: 0,
                                   beforePercent: nil, afterPercent: nil))
        }
        return JSONBody(GapDTO(community: c.code, kind: kind.rawValue, site: UncoveredBuildingDTO(g.site), latitude: g.point.latitude, longitude: g.point.longitude,
                               residentsGained: g.choice.residentsGained, buildingsGained: g.choice.buildingsGained,
                               beforePercent: g.choice.before.residentsPercent, afterPercent: g.choice.after.residentsPercent))
    }

    func publicList(req: Request) async throws -> JSONBody<PageDTO<FacilityDTO>> {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        let c = try await req.facilities.community(raw, in: .everything)
        let page = try await req.facilities.list(in: .everything, community: c.code, kind: try FacilitiesService.kind(try req.queryString("kind", maxLength: 30)),
                                                 page: try req.pageRequest())
        return JSONBody(PageDTO(page) { FacilityDTO($0, staff: false) })
    }
}
