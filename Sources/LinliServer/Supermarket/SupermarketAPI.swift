import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/supermarket`: 爱心超市 — a supermarket per street, its goods priced in points and their stock, the
/// counter (a person by ID number, redemptions and their same-day void), a person's points ledger (audited),
/// the district's rates and the monthly allowance run. The public list of supermarkets is open.
struct SupermarketAPI {
    func boot(_ routes: Routes) {
        let s = routes.grouped("supermarket")
        s.get("markets", needs: .permission(.supermarketRead), use: list)
        s.post("markets", needs: .permission(.supermarketGoods), use: create)
        s.get("markets", ":id", needs: .permission(.supermarketRead), use: file)
        s.patch("markets", ":id", needs: .permission(.supermarketGoods), use: update)
        s.post("markets", ":id", "goods", needs: .permission(.supermarketGoods), use: addGoods)
        s.patch("goods", ":id", needs: .permission(.supermarketGoods), use: reprice)
        s.post("goods", ":id", "stock", needs: .permission(.supermarketGoods), use: stock)
        s.post("markets", ":id", "holder", needs: .permission(.supermarketRedeem), use: holder)
        s.post("markets", ":id", "redemptions", needs: .permission(.supermarketRedeem), use: redeem)
        s.get("markets", ":id", "redemptions", needs: .permission(.supermarketRead), use: redemptions)
        s.get("markets", ":id", "redemptions.xlsx", needs: .permission(.supermarketRead), use: export)
        s.post("redemptions", ":id", "void", needs: .permission(.supermarketRedeem), use: void)
        s.get("people", ":id", "ledger", needs: .permission(.supermarketFullView), use: ledger)
        s.post("people", ":id", "adjustments", needs: .permission(.supermarketGoods), use: adjust)
        s.get("rates", needs: .permission(.supermarketRead), use: rates)
        s.post("rates", needs: .permission(.supermarketConfigure), use: setRate)
        s.post("allowances", needs: .permission(.supermarketConfigure), use: allowance)
        s.get("public", needs: .open, use: publicList)
    }

    func list(req: Request) async throws -> JSONBody<[SupermarketDTO]> {
        JSONBody(try await req.supermarket.markets(in: try req.narrowedScope()).map { SupermarketDTO($0) })
    }

    func create(req: Request) async throws -> JSONBody<SupermarketDTO> {
        let b = try req.decodeJSON(SupermarketService.MarketBody.self)
        return JSONBody(SupermarketDTO(try await req.supermarket.createMarket(street: b.streetCode, b.input, by: req.supermarketActor)), status: .created)
    }

    func file(req: Request) async throws -> JSONBody<SupermarketFileDTO> {
        let q = req.supermarket, id = try req.pathUUID()
        let m = try await q.requireMarket(id, in: req.registryScope)
        return JSONBody(SupermarketFileDTO(supermarket: SupermarketDTO(m), goods: try await q.goods(of: id).map(SupermarketGoodsDTO.init)))
    }

    func update(req: Request) async throws -> JSONBody<SupermarketDTO> {
        let b = try req.decodeJSON(SupermarketService.MarketBody.self)
        let m = try await req.supermarket.updateMarket(try req.pathUUID(), b.input, version: try requireVersion(b.version), by: req.supermarketActor)
        return JSONBody(SupermarketDTO(m))
    }

    func addGoods(req: Request) async throws -> JSONBody<SupermarketGoodsDTO> {
        let b = try req.decodeJSON(SupermarketService.GoodsBody.self)
        let input = GoodsInput(name: b.name, category: try SupermarketService.category(b.category), unit: b.unit, price: b.price)
        return JSONBody(SupermarketGoodsDTO(try await req.supermarket.addGoods(try req.pathUUID(), input, by: req.supermarketActor)), status: .created)
    }

    func reprice(req: Request) async throws -> JSONBody<SupermarketGoodsDTO> {
        let b = try req.decodeJSON(SupermarketService.GoodsBody.self)
        let g = try await req.supermarket.reprice(try req.pathUUID(), price: b.price, version: try requireVersion(b.version), by: req.supermarketActor)
        return JSONBody(SupermarketGoodsDTO(g))
    }

    func stock(req: Request) async throws -> JSONBody<StockMoveDTO> {
        let b = try req.decodeJSON(SupermarketService.StockBody.self)
        let m = try await req.supermarket.moveStock(try req.pathUUID(), kind: try SupermarketService.stockKind(b.kind), quantity: b.quantity, reason: b.reason,
                                                    by: req.supermarketActor)
        return JSONBody(StockMoveDTO(m), status: .created)
    }

    /// The person at the counter, by ID number in the body (never in a URL): masked, with the balance.
    func holder(req: Request) async throws -> JSONBody<HolderDTO> {
        let b = try req.decodeJSON(SupermarketService.LookupBody.self)
        return JSONBody(HolderDTO(try await req.supermarket.holder(residentID: nil, idNumber: b.idNumber, at: try req.pathUUID(), by: req.supermarketActor)))
    }

    func redeem(req: Request) async throws -> JSONBody<RedemptionDTO> {
        let b = try req.decodeJSON(SupermarketService.RedeemBody.self)
        let lines = (b.lines ?? []).map { RedemptionLine(goodsID: $0.goodsId, quantity: $0.quantity) }
        let r = try await req.supermarket.redeem(at: try req.pathUUID(), residentID: b.residentId, idNumber: b.idNumber, lines: lines, by: req.supermarketActor)
        return JSONBody(RedemptionDTO(r), status: .created)
    }

    func redemptions(req: Request) async throws -> JSONBody<PageDTO<RedemptionDTO>> {
        let q = req.supermarket, id = try req.pathUUID()
        _ = try await q.requireMarket(id, in: req.registryScope)
        let today = req.application.linli.today().description
        let period = try req.queryString("period", maxLength: 10) ?? today
        guard CivilDate(period) != nil || SupermarketRules.checkMonth(period, today: req.application.linli.today()).isEmpty else {
            throw ProblemError.badRequest("period", "period 应为 YYYY-MM-DD 或 YYYY-MM")
        }
        return JSONBody(PageDTO(try await q.redemptions(of: id, period: period, page: try req.pageRequest()), RedemptionDTO.init))
    }

    func export(req: Request) async throws -> Response {
        try await SupermarketService.export(req, id: try req.pathUUID(), month: try req.queryString("month", maxLength: 7))
    }

    func void(req: Request) async throws -> JSONBody<RedemptionDTO> {
        let b = try req.decodeJSON(SupermarketService.VoidBody.self)
        return JSONBody(RedemptionDTO(try await req.supermarket.void(try req.pathUUID(), reason: b.reason, by: req.supermarketActor)))
    }

    func ledger(req: Request) async throws -> JSONBody<LedgerDTO> {
        let l = try await req.supermarket.ledger(of: try req.pathUUID(), page: try req.pageRequest(), by: req.supermarketActor)
        return JSONBody(LedgerDTO(holder: HolderDTO(l.holder), entries: PageDTO(l.entries, LedgerEntryDTO.init)))
    }

    func adjust(req: Request) async throws -> JSONBody<LedgerEntryDTO> {
        let b = try req.decodeJSON(SupermarketService.AdjustBody.self)
        return JSONBody(LedgerEntryDTO(try await req.supermarket.adjust(try req.pathUUID(), points: b.points, reason: b.reason, by: req.supermarketActor)),
                        status: .created)
    }

    func rates(req: Request) async throws -> JSONBody<[RateDTO]> {
        JSONBody(try await req.supermarket.rates().map(RateDTO.init))
    }

    func setRate(req: Request) async throws -> JSONBody<RateDTO> {
        let b = try req.decodeJSON(SupermarketService.RateBody.self)
        let r = try await req.supermarket.setRate(kind: b.kind, points: b.points, effectiveFrom: try SupermarketService.date(b.effectiveFrom, field: "effective_from"),
                                                  by: req.supermarketActor)
        return JSONBody(RateDTO(r), status: .created)
    }

    func allowance(req: Request) async throws -> JSONBody<AllowanceDTO> {
        let b = try req.decodeJSON(SupermarketService.AllowanceBody.self)
        return JSONBody(AllowanceDTO(try await req.supermarket.runAllowance(month: b.month, by: req.supermarketActor)))
    }

    func publicList(req: Request) async throws -> JSONBody<[PublicSupermarketDTO]> {
        let q = req.supermarket
        var out: [PublicSupermarketDTO] = []
        for m in try await q.publicMarkets() {
            let goods = try await q.goods(of: m.id).map { PublicSupermarketDTO.Item(name: $0.name, unit: $0.unit, price: $0.price, inStock: $0.stock > 0) }
            out.append(PublicSupermarketDTO(streetCode: m.streetDivision, streetName: m.streetName, name: m.name, address: m.address,
                                            openingHours: m.openingHours, open: m.open, goods: goods))
        }
        return JSONBody(out)
    }
}
