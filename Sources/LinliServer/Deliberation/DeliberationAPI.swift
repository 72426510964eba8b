import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/deliberation`: 民主协商 — a community's meetings with their participants, minutes, resolutions and
/// follow-up; 网上议事 — proposals, residents' supports (one each) and comments, moderation, the closing decision.
struct DeliberationAPI {
    func boot(_ routes: Routes) {
        let d = routes.grouped("deliberation")
        d.get("meetings", needs: .permission(.deliberationRead), use: meetings)
        d.post("meetings", needs: .permission(.deliberationWrite), use: createMeeting)
        d.get("meetings", ":id", needs: .permission(.deliberationRead), use: meeting)
        d.post("meetings", ":id", "minutes", needs: .permission(.deliberationWrite), use: minutes)
        d.post("meetings", ":id", "resolutions", needs: .permission(.deliberationWrite), use: addResolution)
        d.post("resolutions", ":id", "follow-ups", needs: .permission(.deliberationWrite), use: followUp)
        d.post("resolutions", ":id", "request", needs: .permission(.deliberationWrite), use: toRequest)
        d.get("proposals", needs: .permission(.deliberationRead), use: proposals)
        d.post("proposals", needs: .permission(.deliberationWrite), use: propose)
        d.get("proposals", ":id", needs: .permission(.deliberationRead), use: proposal)
        d.post("proposals", ":id", "close", needs: .permission(.deliberationWrite), use: close)
        d.post("proposals", ":id", "supports", needs: .permission(.consultationTakePart), use: support)
        d.post("proposals", ":id", "comments", needs: .permission(.consultationTakePart), use: comment)
        d.post("comments", ":id", "hide", needs: .permission(.consultationModerate), use: hide)
    }

    func meetings(req: Request) async throws -> JSONBody<PageDTO<MeetingDTO>> {
        let kind = try req.queryEnum("kind", MeetingKind.self)
        return JSONBody(PageDTO(try await req.deliberation.meetings(in: try req.narrowedScope(), kind: kind, page: try req.pageRequest()), MeetingDTO.init))
    }

    func createMeeting(req: Request) async throws -> JSONBody<MeetingDTO> {
        let b = try req.decodeJSON(DeliberationService.MeetingBody.self)
        let m = try await req.deliberation.createMeeting(community: b.communityCode, try DeliberationService.meeting(b), by: req.deliberationActor)
        return JSONBody(MeetingDTO(m), status: .created)
    }

    func meeting(req: Request) async throws -> JSONBody<MeetingFileDTO> {
        let f = try await req.deliberation.meetingFile(try req.pathUUID(), in: req.registryScope)
        let today = req.application.linli.today()
        return JSONBody(MeetingFileDTO(meeting: MeetingDTO(f.meeting), communityName: f.communityName, participants: f.participants,
                                       resolutions: f.resolutions.map { ResolutionDTO($0, today: today, followUps: f.followUps[$0.id] ?? []) }))
    }

    func minutes(req: Request) async throws -> JSONBody<MeetingDTO> {
        let b = try req.decodeJSON(DeliberationService.MinutesBody.self)
        let m = try await req.deliberation.recordMinutes(try req.pathUUID(), minutes: b.minutes, version: try requireVersion(b.version), by: req.deliberationActor)
        return JSONBody(MeetingDTO(m))
    }

    func addResolution(req: Request) async throws -> JSONBody<ResolutionDTO> {
        let b = try req.decodeJSON(DeliberationService.ResolutionBody.self)
        let input = ResolutionInput(text: b.text, owner: b.owner, dueOn: try DeliberationService.date(b.dueOn, field: "due_on"))
        let r = try await req.deliberation.addResolution(try req.pathUUID(), input, by: req.deliberationActor)
        return JSONBody(ResolutionDTO(r, today: req.application.linli.today()), status: .created)
    }

    func followUp(req: Request) async throws -> JSONBody<ResolutionDTO> {
        let b = try req.decodeJSON(DeliberationService.FollowUpBody.self)
        let r = try await req.deliberation.followUp(try req.pathUUID(), note: b.note, on: try DeliberationService.date(b.onDate, field: "on_date"), done: b.done ?? false,
                                                    version: try requireVersion(b.version), by: req.deliberationActor)
        return JSONBody(ResolutionDTO(r, today: req.application.linli.today()), status: .created)
    }

    /// The resolution turned into a request (事项) of the given category, at the resolution's community.
    func toRequest(req: Request) async throws -> JSONBody<ResolutionDTO> {
        let b = try req.decodeJSON(DeliberationService.RequestBody.self)
        let r = try await req.deliberation.turnIntoRequest(try req.pathUUID(), serviceCode: b.serviceCode, requests: req.requestQueries, by: req.deliberationActor)
        return JSONBody(ResolutionDTO(r, today: req.application.linli.today()), status: .created)
    }

    func proposals(req: Request) async throws -> JSONBody<PageDTO<ProposalDTO>> {
        let state = try req.queryEnum("state", ProposalState.self)
        return JSONBody(PageDTO(try await req.deliberation.proposals(in: try req.narrowedScope(), state: state, page: try req.pageRequest()), ProposalDTO.init))
    }

    func propose(req: Request) async throws -> JSONBody<ProposalDTO> {
        let b = try req.decodeJSON(DeliberationService.ProposalBody.self)
        let p = try await req.deliberation.propose(community: b.communityCode, try DeliberationService.proposal(b), by: req.deliberationActor)
        return JSONBody(ProposalDTO(p), status: .created)
    }

    func proposal(req: Request) async throws -> JSONBody<ProposalFileDTO> {
        let q = req.deliberation, id = try req.pathUUID()
        let p = try await q.proposal(id, in: req.registryScope)
        return JSONBody(ProposalFileDTO(proposal: ProposalDTO(p), comments: PageDTO(try await q.comments(of: id, page: try req.pageRequest()), CommentDTO.init)))
    }

    func close(req: Request) async throws -> JSONBody<ProposalDTO> {
        let b = try req.decodeJSON(DeliberationService.CloseBody.self)
        let p = try await req.deliberation.close(try req.pathUUID(), decision: b.decision, response: b.response, version: try requireVersion(b.version),
                                                 by: req.deliberationActor)
        return JSONBody(ProposalDTO(p))
    }

    /// The signed-in resident supports the proposal (body ignored): once; a second time is 409.
    func support(req: Request) async throws -> JSONBody<ProposalDTO> {
        let id = try req.pathUUID()
        let p = try await req.deliberation.support(id, resident: try await req.linkedResident(), by: req.auditActor)
        return JSONBody(ProposalDTO(p), status: .created)
    }

    func comment(req: Request) async throws -> JSONBody<CommentDTO> {
        let b = try req.decodeJSON(DeliberationService.CommentBody.self)
        let c = try await req.deliberation.comment(try req.pathUUID(), body: b.body, resident: try await req.linkedResident(), by: req.auditActor)
        return JSONBody(CommentDTO(c), status: .created)
    }

    func hide(req: Request) async throws -> JSONBody<CommentDTO> {
        let b = try req.decodeJSON(DeliberationService.HideBody.self)
        return JSONBody(CommentDTO(try await req.deliberation.hideComment(try req.pathUUID(), reason: b.reason, by: req.deliberationActor)))
    }
}
