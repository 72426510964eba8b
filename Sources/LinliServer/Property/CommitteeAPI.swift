import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/property/compounds/{id}/committees` and `/api/v1/property/settings`: 业主委员会 of a compound (members from the
/// registry, term, filing with the street) and the district's size of a large compound.
struct CommitteeAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("property")
        p.get("compounds", ":id", "committees", needs: .permission(.propertyRead), use: committees)
        p.post("compounds", ":id", "committees", needs: .permission(.propertyWrite), use: addCommittee)
        p.get("committees", "due", needs: .permission(.propertyRead), use: due)
        p.get("settings", needs: .permission(.propertyRead), use: settings)
        p.put("settings", needs: .permission(.propertySettings), use: setSettings)
    }

    func committees(req: Request) async throws -> JSONBody<[CommitteeDTO]> {
        let list = try await req.property.committees(ofCompound: try req.pathUUID(), in: req.registryScope)
        var out: [CommitteeDTO] = []
        for c in list { out.append(CommitteeDTO(c, members: try await req.property.members(of: c.id))) }
        return JSONBody(out)
    }

    func addCommittee(req: Request) async throws -> JSONBody<CommitteeDTO> {
        let c = try await CommitteeService.add(req, compound: try req.pathUUID(), try req.decodeJSON(CommitteeService.Body.self))
        return JSONBody(CommitteeDTO(c, members: try await req.property.members(of: c.id)), status: .created)
    }

    /// What the community is reminded of: committees whose term ends within 90 days, and large compounds without one in force.
    func due(req: Request) async throws -> JSONBody<CommitteesDueDTO> {
        let scope = try req.narrowedScope()
        return JSONBody(CommitteesDueDTO(endingSoon: try await req.property.committeesEndingSoon(in: scope).map { CommitteeDTO($0, members: nil) },
                                         withoutCommittee: try await req.property.compoundsWithoutCommittee(in: scope).map(CompoundDTO.init),
                                         largeHouseholds: try await req.property.largeHouseholds()))
    }

    func settings(req: Request) async throws -> JSONBody<[String: Int]> {
        JSONBody(["large_households": try await req.property.largeHouseholds()])
    }

    func setSettings(req: Request) async throws -> JSONBody<[String: Int]> {
        struct Body: Decodable { var largeHouseholds: Int? }
        let b = try req.decodeJSON(Body.self)
        return JSONBody(["large_households": try await req.property.setLargeHouseholds(b.largeHouseholds, by: req.propertyActor)])
    }
}

enum CommitteeService {
    struct Member: Decodable { var residentId: String?; var office: String? }
    struct Body: Decodable { var startsOn: String?; var endsOn: String?; var filedOn: String?; var members: [Member]? }

    static func add(_ req: Request, compound: UUID, _ b: Body) async throws -> CommitteeRecord {
        var members: [CommitteeMemberInput] = []
        for m in b.members ?? [] {
            guard let id = m.residentId.flatMap({ UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }) else {
                throw RegistryError.invalid([FieldError("members", "成员“\((m.residentId ?? "").prefix(40))”不在居民信息中，请先登记")])
            }
            let office = try HousingService.choice(m.office, "members", label: { (o: CommitteeOffice) in o.label }) ?? .member
            members.append(CommitteeMemberInput(residentId: id, office: office))
        }
        let input = CommitteeInput(startsOn: try HousingService.date(b.startsOn, "starts_on"), endsOn: try HousingService.date(b.endsOn, "ends_on"),
                                   filedOn: try HousingService.date(b.filedOn, "filed_on"), members: members)
        return try await req.property.addCommittee(compound: compound, input, by: req.propertyActor)
    }
}

struct CommitteeMemberDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var office: CommitteeOffice
    var officeLabel: String
}

struct CommitteeDTO: Encodable, Sendable {
    var id: UUID
    var compoundId: UUID
    var compoundName: String?
    var startsOn: String
    var endsOn: String
    var filedOn: String?
    var memberCount: Int
    var members: [CommitteeMemberDTO]?

    init(_ c: CommitteeRecord, members: [CommitteeMemberRecord]?) {
        id = c.id; compoundId = c.compoundId; compoundName = c.compoundName; startsOn = c.startsOn; endsOn = c.endsOn; filedOn = c.filedOn
        memberCount = c.members
        self.members = members?.map { CommitteeMemberDTO(residentId: $0.residentId, name: $0.nameMasked, office: $0.office, officeLabel: $0.office.label) }
    }
}

struct CommitteesDueDTO: Encodable, Sendable {
    var endingSoon: [CommitteeDTO]
    var withoutCommittee: [CompoundDTO]
    var largeHouseholds: Int
}
