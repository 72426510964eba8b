import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/disability`: 助残康复 — the roll of card holders (names and numbers masked), registering, changing and
/// ending cards, needs assessments, rehabilitation services and devices; the full view is audited.
struct DisabilityAPI {
    func boot(_ routes: Routes) {
        let d = routes.grouped("disability")
        d.get("cards", needs: .permission(.disabilityRead), use: list)
        d.post("cards", needs: .permission(.disabilityWrite), use: register)
        d.get("cards", ":id", needs: .permission(.disabilityRead), use: summary)
        d.put("cards", ":id", needs: .permission(.disabilityWrite), use: update)
        d.get("cards", ":id", "full", needs: .permission(.disabilityFullView), use: full)
        d.post("cards", ":id", "end", needs: .permission(.disabilityWrite), use: end)
        d.post("cards", ":id", "assessments", needs: .permission(.disabilityWrite), use: assess)
        d.post("cards", ":id", "services", needs: .permission(.disabilityWrite), use: service)
        d.post("cards", ":id", "devices", needs: .permission(.disabilityWrite), use: device)
        d.get("figures", needs: .permission(.disabilityRead), use: figures)
    }

    var today: @Sendable (Request) -> CivilDate { { $0.application.linli.today() } }

    func list(req: Request) async throws -> JSONBody<PageDTO<DisabilityCardDTO>> {
        let page = try await req.disability.cards(in: try req.narrowedScope(), filter: try DisabilityService.filter(req), page: try req.pageRequest())
        let day = today(req)
        return JSONBody(PageDTO(page) { DisabilityCardDTO($0, today: day) })
    }

    func register(req: Request) async throws -> JSONBody<DisabilityCardDTO> {
        let w = try DisabilityService.card(try req.decodeJSON(DisabilityService.CardInput.self))
        let c = try await req.disability.register(w, by: req.disabilityActor)
        return JSONBody(DisabilityCardDTO(c, today: today(req)), status: .created)
    }

    func summary(req: Request) async throws -> JSONBody<DisabilityCardSummaryDTO> {
        let q = req.disability
        let c = try await q.requireCard(try req.pathUUID(), in: req.registryScope)
        return JSONBody(DisabilityCardSummaryDTO(card: DisabilityCardDTO(c, today: today(req)), subsidies: DisabilitySubsidiesDTO(try await q.subsidies(of: c))))
    }

    func update(req: Request) async throws -> JSONBody<DisabilityCardDTO> {
        let id = try req.pathUUID()
        let w = try DisabilityService.card(try req.decodeJSON(DisabilityService.CardInput.self))
        return JSONBody(DisabilityCardDTO(try await req.disability.update(id, w, by: req.disabilityActor), today: today(req)))
    }

    /// The holder's name, the full number, assessments, services and devices: written to the audit log first.
    func full(req: Request) async throws -> JSONBody<DisabilityFullDTO> {
        let q = req.disability
        let (c, number) = try await q.fullView(try req.pathUUID(), in: req.registryScope, by: req.auditActor)
        return JSONBody(DisabilityFullDTO(card: DisabilityCardDTO(c, today: today(req), fullName: true), cardNumber: number,
                                          assessments: try await q.assessments(of: c.id).map(DisabilityAssessmentDTO.init),
                                          services: try await q.services(of: c.id).map(DisabilityServiceDTO.init),
                                          devices: try await q.devices(of: c.id).map(DisabilityDeviceDTO.init)))
    }

    func end(req: Request) async throws -> JSONBody<DisabilityCardDTO> {
        let id = try req.pathUUID()
        let i = try req.decodeJSON(DisabilityService.EndInput.self)
        return JSONBody(DisabilityCardDTO(try await req.disability.end(id, version: i.version, reason: i.reason, on: i.endedOn, by: req.disabilityActor),
                                          today: today(req)))
    }

    func assess(req: Request) async throws -> JSONBody<DisabilityAssessmentDTO> {
        let id = try req.pathUUID()
        let a = try DisabilityService.assessment(try req.decodeJSON(DisabilityService.AssessmentBody.self))
        return JSONBody(DisabilityAssessmentDTO(try await req.disability.assess(id, a, by: req.disabilityActor)), status: .created)
    }

    func service(req: Request) async throws -> JSONBody<DisabilityServiceDTO> {
        let id = try req.pathUUID()
        let s = try DisabilityService.service(try req.decodeJSON(DisabilityService.ServiceBody.self))
        return JSONBody(DisabilityServiceDTO(try await req.disability.addService(id, s, by: req.disabilityActor)), status: .created)
    }

    func device(req: Request) async throws -> JSONBody<DisabilityDeviceDTO> {
        let id = try req.pathUUID()
        let d = try DisabilityService.device(try req.decodeJSON(DisabilityService.DeviceBody.self))
        return JSONBody(DisabilityDeviceDTO(try await req.disability.addDevice(id, d, by: req.disabilityActor)), status: .created)
    }

    func figures(req: Request) async throws -> JSONBody<DisabilityFiguresDTO> {
        JSONBody(DisabilityFiguresDTO(try await req.disability.figures(in: try req.narrowedScope())))
    }
}
