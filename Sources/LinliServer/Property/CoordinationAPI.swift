import Foundation
import LinliCore
import LinliData
import Vapor

struct CoordinationDTO: Encodable, Sendable {
    struct Party: Encodable, Sendable {
        var party: CoordinationParty
        var label: String
        var attendee: String?
    }

    var meetingId: UUID
    var compoundId: UUID
    var compoundName: String
    var communityCode: String
    var heldOn: String
    var title: String
    var parties: [Party]
    var attended: Int
    var expected: Int
    var resolutions: Int
    var openResolutions: Int

    init(_ r: CoordinationRecord) {
        meetingId = r.meetingId; compoundId = r.compoundId; compoundName = r.compoundName; communityCode = r.communityCode; heldOn = r.heldOn
        title = r.title; attended = r.parties; expected = r.expected; resolutions = r.resolutions; openResolutions = r.openResolutions
        parties = CoordinationParty.allCases.map { Party(party: $0, label: $0.label, attendee: r.attendee($0)) }
    }
}

/// `/api/v1/property/compounds/{id}/coordination`: the compound's coordination meetings; holding one needs the
/// deliberation write permission (the community's workers), as every meeting does.
struct CoordinationAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("property", "compounds", ":id", "coordination")
        p.get(needs: .permission(.propertyRead), use: list)
        p.post(needs: .permission(.deliberationWrite), use: hold)
    }

    func list(req: Request) async throws -> JSONBody<[CoordinationDTO]> {
        JSONBody(try await req.property.coordinations(ofCompound: try req.pathUUID(), in: req.registryScope).map(CoordinationDTO.init))
    }

    func hold(req: Request) async throws -> JSONBody<CoordinationDTO> {
        JSONBody(CoordinationDTO(try await CoordinationInputs.hold(req, compound: try req.pathUUID(), try req.decodeJSON(CoordinationInputs.Body.self))),
                 status: .created)
    }
}
