import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/elections`: 换届选举 — an election per community and term, its roll drawn from the registry and
/// corrected, candidates, proxies, ballot boxes counted twice, the round closed by the rules, the committee elected.
struct ElectionsAPI {
    func boot(_ routes: Routes) {
        let s = routes.grouped("elections")
        s.get(needs: .permission(.electionsRead), use: list)
        s.post(needs: .permission(.electionsWrite), use: create)
        s.get(":id", needs: .permission(.electionsRead), use: file)
        s.post(":id", "publish-roll", needs: .permission(.electionsWrite), use: publishRoll)
        s.get(":id", "voters", needs: .permission(.electionsRead), use: voters)
        s.post(":id", "voters", needs: .permission(.electionsWrite), use: addVoter)
        s.post(":id", "voters", ":resident", "exclude", needs: .permission(.electionsWrite), use: exclude)
        s.post(":id", "candidates", needs: .permission(.electionsWrite), use: nominate)
        s.post(":id", "publish-candidates", needs: .permission(.electionsWrite), use: publishCandidates)
        s.post(":id", "proxies", needs: .permission(.electionsWrite), use: proxy)
        s.post(":id", "boxes", needs: .permission(.electionsCount), use: addBox)
        s.post(":id", "boxes", ":box", "entries", needs: .permission(.electionsCount), use: enter)
        s.post(":id", "close-round", needs: .permission(.electionsCount), use: closeRound)
        s.post(":id", "cancel", needs: .permission(.electionsWrite), use: cancel)
    }

    func list(req: Request) async throws -> JSONBody<[ElectionDTO]> {
        JSONBody(try await req.elections.elections(in: try req.narrowedScope()).map(ElectionDTO.init))
    }

    func create(req: Request) async throws -> JSONBody<ElectionDTO> {
        let b = try req.decodeJSON(ElectionsService.ElectionBody.self)
        return JSONBody(ElectionDTO(try await req.elections.create(try b.input(), by: req.electionsActor)), status: .created)
    }

    func file(req: Request) async throws -> JSONBody<ElectionFileDTO> {
        let q = req.elections
        let e = try await q.requireElection(try req.pathUUID(), in: req.registryScope)
        return JSONBody(ElectionFileDTO(election: ElectionDTO(e), candidates: try await q.candidates(e.id).map(CandidateDTO.init),
                                        boxes: try await q.boxes(e.id).map(BoxDTO.init), members: try await q.members(e.id).map(MemberDTO.init)))
    }

    func publishRoll(req: Request) async throws -> JSONBody<ElectionDTO> {
        let b = try req.decodeJSON(ElectionsService.VersionBody.self)
        return JSONBody(ElectionDTO(try await req.elections.publishRoll(try req.pathUUID(), version: try requireVersion(b.version), by: req.electionsActor)))
    }

    /// A page of the roll with full names (the worker's view; the portal masks them).
    func voters(req: Request) async throws -> JSONBody<VoterPageDTO> {
        let q = req.elections, page = try req.pageRequest()
        let e = try await q.requireElection(try req.pathUUID(), in: req.registryScope)
        let initials = try req.queryString("initials", maxLength: 10)
        let r = try await q.voters(e.id, initials: initials, excluded: try req.queryBool("excluded") ?? false, page: page.page, per: page.perPage)
        return JSONBody(VoterPageDTO(voters: r.rows.map(VoterDTO.init), page: page.page, more: r.more))
    }

    func addVoter(req: Request) async throws -> JSONBody<VoterDTO> {
        let b = try req.decodeJSON(ElectionsService.VoterBody.self)
        return JSONBody(VoterDTO(try await req.elections.addVoter(try req.pathUUID(), resident: b.residentId, decision: b.decision, by: req.electionsActor)),
                        status: .created)
    }

    func exclude(req: Request) async throws -> HTTPStatus {
        let b = try req.decodeJSON(ElectionsService.VoterBody.self)
        try await req.elections.excludeVoter(try req.pathUUID(), resident: try req.pathUUID("resident"), decision: b.decision, by: req.electionsActor)
        return .noContent
    }

    func nominate(req: Request) async throws -> JSONBody<CandidateDTO> {
        let b = try req.decodeJSON(ElectionsService.CandidateBody.self)
        let post = try ElectionsService.parse(b.post, CommitteePost.self, field: "post")
        return JSONBody(CandidateDTO(try await req.elections.nominate(try req.pathUUID(), resident: b.residentId, post: post, by: req.electionsActor)),
                        status: .created)
    }

    func publishCandidates(req: Request) async throws -> JSONBody<ElectionDTO> {
        let b = try req.decodeJSON(ElectionsService.VersionBody.self)
        return JSONBody(ElectionDTO(try await req.elections.publishCandidates(try req.pathUUID(), version: try requireVersion(b.version), by: req.electionsActor)))
    }

    func proxy(req: Request) async throws -> HTTPStatus {
        let b = try req.decodeJSON(ElectionsService.ProxyBody.self)
        try await req.elections.addProxy(try req.pathUUID(), grantor: b.grantorId, holder: b.holderId, by: req.electionsActor)
        return .created
    }

    func addBox(req: Request) async throws -> JSONBody<BoxDTO> {
        let b = try req.decodeJSON(ElectionsService.BoxBody.self)
        let kind = try ElectionsService.parse(b.kind, BallotBoxKind.self, field: "kind")
        return JSONBody(BoxDTO(try await req.elections.addBox(try req.pathUUID(), kind: kind, label: b.label, by: req.electionsActor)), status: .created)
    }

    func enter(req: Request) async throws -> JSONBody<BoxDTO> {
        let b = try req.decodeJSON(ElectionsService.CountBody.self)
        let box = try await req.elections.enterCount(try req.pathUUID(), box: try req.pathUUID("box"), try b.count(), version: try requireVersion(b.version),
                                                     by: req.electionsActor)
        return JSONBody(BoxDTO(box))
    }

    func closeRound(req: Request) async throws -> JSONBody<RoundDTO> {
        let b = try req.decodeJSON(ElectionsService.VersionBody.self)
        let (e, r) = try await req.elections.closeRound(try req.pathUUID(), version: try requireVersion(b.version), by: req.electionsActor)
        return JSONBody(RoundDTO(e, r))
    }

    func cancel(req: Request) async throws -> JSONBody<ElectionDTO> {
        let b = try req.decodeJSON(ElectionsService.VersionBody.self)
        return JSONBody(ElectionDTO(try await req.elections.cancel(try req.pathUUID(), version: try requireVersion(b.version), by: req.electionsActor)))
    }
}
