import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/donations`: 捐赠物资接收点 — points per community, their stock and ledger, donations received and
/// hand-outs to households. Scoped like the registry; the public list of points is open.
struct DonationsAPI {
    func boot(_ routes: Routes) {
        let d = routes.grouped("donations")
        d.get("points", needs: .permission(.donationsRead), use: list)
        d.post("points", needs: .permission(.donationsPoints), use: create)
        d.get("points", ":id", needs: .permission(.donationsRead), use: file)
        d.patch("points", ":id", needs: .permission(.donationsPoints), use: update)
        d.get("points", ":id", "ledger", needs: .permission(.donationsRead), use: ledger)
        d.get("points", ":id", "ledger.xlsx", needs: .permission(.donationsRead), use: export)
        d.post("points", ":id", "donations", needs: .permission(.donationsWrite), use: receive)
        d.post("points", ":id", "handouts", needs: .permission(.donationsWrite), use: handOut)
        d.get("points", ":id", "households", needs: .permission(.donationsWrite), use: household)
        d.get("public", needs: .open, use: publicPoints)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<DonationPointDTO>> {
        let page = try await req.donations.points(in: try req.narrowedScope(), page: try req.pageRequest())
        let today = req.application.linli.today()
        return JSONBody(PageDTO(page) { DonationPointDTO($0, today: today) })
    }

    func create(req: Request) async throws -> JSONBody<DonationPointDTO> {
        let i = try req.decodeJSON(DonationsService.PointInput.self)
        let p = try await req.donations.createPoint(community: i.communityCode, i.input, by: req.donationsActor)
        return JSONBody(DonationPointDTO(p, today: req.application.linli.today()), status: .created)
    }

    func file(req: Request) async throws -> JSONBody<DonationPointFileDTO> {
        let f = try await DonationsService.file(req, id: try req.pathUUID())
        return JSONBody(DonationPointFileDTO(point: DonationPointDTO(f.point, today: req.application.linli.today()), stock: f.stock.map(DonationStockDTO.init)))
    }

    func update(req: Request) async throws -> JSONBody<DonationPointDTO> {
        let i = try req.decodeJSON(DonationsService.PointInput.self)
        let p = try await req.donations.updatePoint(try req.pathUUID(), i.input, version: try requireVersion(i.version), by: req.donationsActor)
        return JSONBody(DonationPointDTO(p, today: req.application.linli.today()))
    }

    func ledger(req: Request) async throws -> JSONBody<PageDTO<DonationMovementDTO>> {
        let id = try req.pathUUID()
        guard try await req.donations.point(id, in: req.registryScope) != nil else { throw RegistryError.notFound("捐赠物资接收点") }
        let page = try await req.donations.ledger(of: id, kind: try req.queryEnum("kind", DonationMovementKind.self), page: try req.pageRequest())
        return JSONBody(PageDTO(page, DonationMovementDTO.init))
    }

    func export(req: Request) async throws -> Response { try await DonationsService.export(req) }

    func receive(req: Request) async throws -> JSONBody<DonationMovementDTO> {
        let m = try await DonationsService.receive(req, point: try req.pathUUID(), try req.decodeJSON(DonationsService.DonationBody.self))
        return JSONBody(DonationMovementDTO(m), status: .created)
    }

    func handOut(req: Request) async throws -> JSONBody<DonationMovementDTO> {
        let m = try await DonationsService.handOut(req, point: try req.pathUUID(), try req.decodeJSON(DonationsService.HandOutBody.self))
        return JSONBody(DonationMovementDTO(m), status: .created)
    }

    /// A household of the point's community by its number (`number`), with its assistance case: for choosing.
    func household(req: Request) async throws -> JSONBody<DonationHouseholdDTO> {
        guard let number = try req.queryString("number", maxLength: 40) else { throw ProblemError.badRequest("number", "请指定户号（number）") }
        let f = try await DonationsService.file(req, id: try req.pathUUID())
        guard let h = try await req.donations.household(number, for: f.point, in: req.registryScope) else { throw RegistryError.notFound("家庭") }
        return JSONBody(DonationHouseholdDTO(h))
    }

    func publicPoints(req: Request) async throws -> JSONBody<[DonationPublicPointDTO]> {
        JSONBody(try await req.donations.publicPoints().map(DonationPublicPointDTO.init))
    }
}
