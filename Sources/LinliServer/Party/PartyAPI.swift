import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/party`: 社区党建 — the organizations of one's area in their tree, the member roll (`party.members`: each
/// read audited; a member is a registry resident, in one organization), service centres, brand projects, marking
/// volunteer activities as party-member service, and the area's figures. Scoped by division: outside it is 404.
struct PartyAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("party")
        p.get("figures", needs: .permission(.partyRead), use: figures)
        p.get("orgs", needs: .permission(.partyRead), use: orgs)
        p.post("orgs", needs: .permission(.partyWrite), use: createOrg)
        p.get("orgs", ":id", needs: .permission(.partyRead), use: org)
        p.patch("orgs", ":id", needs: .permission(.partyWrite), use: updateOrg)
        p.get("members", needs: .permission(.partyMembers), use: members)
        p.post("members", needs: .permission(.partyWrite), use: addMember)
        p.get("members", ":id", needs: .permission(.partyMembers), use: member)
        p.patch("members", ":id", needs: .permission(.partyWrite), use: updateMember)
        p.post("members", ":id", "remove", needs: .permission(.partyWrite), use: removeMember)
        p.get("centres", needs: .permission(.partyRead), use: centres)
        p.post("centres", needs: .permission(.partyWrite), use: createCentre)
        p.get("brands", needs: .permission(.partyRead), use: brands)
        p.post("brands", needs: .permission(.partyWrite), use: createBrand)
        p.post("activities", ":id", "mark", needs: .permission(.partyWrite), use: mark)
    }

    var year: (Request) -> Int { { $0.application.linli.today().year } }

    func figures(req: Request) async throws -> JSONBody<PartyFiguresDTO> {
        JSONBody(PartyFiguresDTO(try await req.party.figures(in: try req.narrowedScope(), year: year(req))))
    }

    func orgs(req: Request) async throws -> JSONBody<[PartyOrgDTO]> {
        let names = req.partyActor.mayReadMembers
        return JSONBody(try await req.party.orgs(in: try req.narrowedScope()).map { PartyOrgDTO($0, names: names) })
    }

    struct OrgDetailDTO: Encodable, Sendable {
        var org: PartyOrgDTO
        var parent: PartyOrgDTO?
        var children: [PartyOrgDTO]
        var brands: [PartyBrandDTO]
        var servedThisYear: Int
        var serviceHoursThisYear: Double
    }

    func org(req: Request) async throws -> JSONBody<OrgDetailDTO> {
        let names = req.partyActor.mayReadMembers
        guard let d = try await req.party.orgDetail(try req.pathUUID(), in: req.registryScope, year: year(req)) else { throw RegistryError.notFound("党组织") }
        return JSONBody(OrgDetailDTO(org: PartyOrgDTO(d.org, names: names), parent: d.parent.map { PartyOrgDTO($0, names: names) },
                                     children: d.children.map { PartyOrgDTO($0, names: names) }, brands: d.brands.map(PartyBrandDTO.init),
                                     servedThisYear: d.servedThisYear, serviceHoursThisYear: Double(d.minutesThisYear) / 60))
    }

    func createOrg(req: Request) async throws -> JSONBody<PartyOrgDTO> {
        let input = try PartyService.org(try req.decodeJSON(PartyService.OrgBody.self))
        return JSONBody(PartyOrgDTO(try await req.party.createOrg(input, by: req.partyActor), names: true), status: .created)
    }

    func updateOrg(req: Request) async throws -> JSONBody<PartyOrgDTO> {
        let b = try req.decodeJSON(PartyService.OrgBody.self)
        let input = try PartyService.org(b)
        let o = try await req.party.updateOrg(try req.pathUUID(), name: input.name, secretaryMemberId: input.secretaryMemberId, functionalKind: input.functionalKind,
                                              version: try requireVersion(b.version), by: req.partyActor)
        return JSONBody(PartyOrgDTO(o, names: true))
    }

    func members(req: Request) async throws -> JSONBody<PageDTO<PartyMemberDTO>> {
        JSONBody(PageDTO(try await PartyService.roll(req, page: try req.pageRequest()), { PartyMemberDTO($0) }))
    }

    func member(req: Request) async throws -> JSONBody<PartyMemberDTO> {
        let d = try await PartyService.memberDetail(req, try req.pathUUID())
        return JSONBody(PartyMemberDTO(d.member, detail: d))
    }

    func addMember(req: Request) async throws -> JSONBody<PartyMemberDTO> {
        let input = try PartyService.member(try req.decodeJSON(PartyService.MemberBody.self))
        return JSONBody(PartyMemberDTO(try await req.party.addMember(input, by: req.partyActor)), status: .created)
    }

    func updateMember(req: Request) async throws -> JSONBody<PartyMemberDTO> {
        let b = try req.decodeJSON(PartyService.MemberBody.self)
        let m = try await req.party.updateMember(try req.pathUUID(), try PartyService.member(b), version: try requireVersion(b.version), by: req.partyActor)
        return JSONBody(PartyMemberDTO(m))
    }

    func removeMember(req: Request) async throws -> Response {
        let b = try req.decodeJSON(PartyService.RemoveBody.self)
        try await req.party.removeMember(try req.pathUUID(), version: try requireVersion(b.version), reason: b.reason, by: req.partyActor)
        return Response(status: .noContent)
    }

    func centres(req: Request) async throws -> JSONBody<[PartyCentreDTO]> {
        JSONBody(try await req.party.centres(in: try req.narrowedScope(), masked: !req.partyActor.mayReadMembers).map(PartyCentreDTO.init))
    }

    func createCentre(req: Request) async throws -> JSONBody<PartyCentreDTO> {
        let input = try PartyService.centre(try req.decodeJSON(PartyService.CentreBody.self))
        return JSONBody(PartyCentreDTO(try await req.party.createCentre(input, by: req.partyActor)), status: .created)
    }

    func brands(req: Request) async throws -> JSONBody<[PartyBrandDTO]> {
        JSONBody(try await req.party.brands(in: try req.narrowedScope(), year: year(req)).map(PartyBrandDTO.init))
    }

    func createBrand(req: Request) async throws -> JSONBody<PartyBrandDTO> {
        let input = try PartyService.brand(try req.decodeJSON(PartyService.BrandBody.self))
        return JSONBody(PartyBrandDTO(try await req.party.createBrand(input, by: req.partyActor)), status: .created)
    }

    func mark(req: Request) async throws -> Response {
        let b = try req.decodeJSON(PartyService.MarkBody.self)
        try await req.party.markActivity(try req.pathUUID(), brand: try PartyService.id(b.brandId, "brand_id"), by: req.partyActor)
        return Response(status: .noContent)
    }
}
