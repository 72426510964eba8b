import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社区党建's queries for this request.
    var party: PartyQueries {
        let linli = application.linli
        return PartyQueries(db, today: linli.today(), residentCache: linli.residentCache, now: linli.now)
    }

    var partyActor: PartyActor {
        let p = principal?.role.permissions ?? []
        return PartyActor(audit: auditActor, scope: registryScope, mayReadMembers: p.contains(.partyMembers))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum PartyService {
    struct OrgBody: Decodable {
        var name: String?
        var kind: String?
        var functionalKind: String?
        var parentId: String?
        var divisionCode: String?
        var secretaryMemberId: String?
        var version: Int?
    }

    struct MemberBody: Decodable {
        var residentId: String?
        var orgId: String?
        var outsideOrg: String?
        var joinedOn: String?
        var reportedOn: String?
        var groupIds: [String]?
        var version: Int?
    }

    struct RemoveBody: Decodable { var reason: String?; var version: Int? }

    struct CentreBody: Decodable {
        var facilityId: String?
        var level: String?
        var name: String?
        var services: [String]?
        var openingHours: String?
        var dutyMemberIds: [String]?
    }

    struct BrandBody: Decodable {
        var orgId: String?
        var name: String?
        var summary: String?
        var startedOn: String?
        var results: String?
    }

    struct MarkBody: Decodable { var brandId: String? }

    static func id(_ raw: String?, _ field: String) throws -> UUID? { try HousingService.id(raw, field, "编号格式有误") }

    static func ids(_ raw: [String]?, _ field: String) throws -> [UUID] {
        try (raw ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { try HousingService.id($0, field, "编号格式有误")! }
    }

    static func org(_ b: OrgBody) throws -> PartyOrgInput {
        PartyOrgInput(name: b.name, kind: try HousingService.choice(b.kind, "kind", label: { (k: PartyOrgKind) in k.label }),
                      functionalKind: try HousingService.choice(b.functionalKind, "functional_kind", label: { (k: FunctionalKind) in k.label }),
                      parentId: try id(b.parentId, "parent_id"), divisionCode: b.divisionCode?.trimmedOrNil, secretaryMemberId: try id(b.secretaryMemberId, "secretary_member_id"))
    }

    static func member(_ b: MemberBody) throws -> PartyMemberInput {
        PartyMemberInput(residentId: try id(b.residentId, "resident_id"), orgId: try id(b.orgId, "org_id"), outsideOrg: b.outsideOrg,
                         joinedOn: try HousingService.date(b.joinedOn, "joined_on"), reportedOn: try HousingService.date(b.reportedOn, "reported_on"),
                         groupIds: try ids(b.groupIds, "group_ids"))
    }

    static func centre(_ b: CentreBody) throws -> PartyCentreInput {
        var services: [CentreService] = []
        for raw in b.services ?? [] {
            guard let s = CentreService(rawValue: raw) else {
                throw RegistryError.invalid([FieldError("services", "服务内容可选：" + CentreService.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))])
            }
            services.append(s)
        }
        return PartyCentreInput(facilityId: try id(b.facilityId, "facility_id"), level: try HousingService.choice(b.level, "level", label: { (l: CentreLevel) in l.label }),
                                name: b.name, services: services, openingHours: b.openingHours, dutyMemberIds: try ids(b.dutyMemberIds, "duty_member_ids"))
    }

    static func brand(_ b: BrandBody) throws -> PartyBrandInput {
        PartyBrandInput(orgId: try id(b.orgId, "org_id"), name: b.name, summary: b.summary, startedOn: try HousingService.date(b.startedOn, "started_on"), results: b.results)
    }

    /// The roll's filter from the query: `org`, `group`, `reported` (true/false: 在职党员 who have or have not 报到), `q`.
    static func filter(_ req: Request) throws -> PartyMemberFilter {
        PartyMemberFilter(orgId: try req.queryUUID("org"), groupId: try req.queryUUID("group"), reported: try req.queryBool("reported"),
                          text: try req.queryString("q", maxLength: 20))
    }

    /// A page of the roll, its read audited.
    static func roll(_ req: Request, page: PageRequest) async throws -> ResultPage<PartyMemberRecord> {
        let actor = req.partyActor
        let f = try filter(req)
        let result = try await req.party.members(f, by: actor, page: page)
        var detail = ["page": String(page.page), "rows": String(result.items.count)]
        if let o = f.orgId { detail["org"] = o.uuidString }
        try await req.party.auditRead(.list, target: AuditTarget("party_roll", actor.scope.prefix), detail: detail, by: actor)
        return result
    }

    static func memberDetail(_ req: Request, _ id: UUID) async throws -> PartyMemberDetail {
        let actor = req.partyActor
        guard let d = try await req.party.memberDetail(id, in: actor.scope, year: req.application.linli.today().year) else { throw RegistryError.notFound("党员") }
        try await req.party.auditRead(.view, target: .partyMember(id), detail: [:], by: actor)
        return d
    }
}
