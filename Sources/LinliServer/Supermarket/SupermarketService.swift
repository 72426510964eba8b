import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 爱心超市's queries for this request.
    var supermarket: SupermarketQueries {
        let linli = application.linli
        return SupermarketQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var supermarketActor: SupermarketActor {
        let p = principal?.role.permissions ?? []
        return SupermarketActor(audit: auditActor, scope: registryScope, mayRedeem: p.contains(.supermarketRedeem), mayKeepGoods: p.contains(.supermarketGoods),
                                mayConfigure: p.contains(.supermarketConfigure), mayFullView: p.contains(.supermarketFullView))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum SupermarketService {
    struct MarketBody: Decodable {
        var streetCode: String?
        var name: String?
        var address: String?
        var openingHours: String?
        var keeperName: String?
        var keeperPhone: String?
        var open: Bool?
        var version: Int?

        var input: SupermarketInput {
            SupermarketInput(name: name, address: address, openingHours: openingHours, keeperName: keeperName, keeperPhone: keeperPhone, open: open ?? true)
        }
    }

    struct GoodsBody: Decodable {
        var name: String?
        var category: String?
        var unit: String?
        var price: Int?
        var version: Int?
    }

    struct StockBody: Decodable {
        var kind: String?
        var quantity: Int?
        var reason: String?
    }

    struct LineBody: Decodable {
        var goodsId: String?
        var quantity: Int?
    }

    struct RedeemBody: Decodable {
        var idNumber: String?
        var residentId: UUID?
        var lines: [LineBody]?
    }

    struct LookupBody: Decodable {
        var idNumber: String?
    }

    struct VoidBody: Decodable {
        var reason: String?
    }

    struct RateBody: Decodable {
        var kind: String?
        var points: Int?
        var effectiveFrom: String?
    }

    struct AdjustBody: Decodable {
        var points: Int?
        var reason: String?
    }

    struct AllowanceBody: Decodable {
        var month: String?
    }

    static func category(_ raw: String?) throws -> SupermarketCategory? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let c = SupermarketCategory(rawValue: raw) ?? SupermarketCategory.allCases.first(where: { $0.label == raw }) else {
            throw RegistryError.invalid([FieldError("category", "类别可选：\(SupermarketCategory.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return c
    }

    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func stockKind(_ raw: String?) throws -> StockMoveKind? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let k = StockMoveKind(rawValue: raw), k == .received || k == .adjusted else {
            throw RegistryError.invalid([FieldError("kind", "请选择入库（received）或调整（adjusted）")])
        }
        return k
    }

    /// A month's redemptions of a supermarket as .xlsx (audited).
    static func export(_ req: Request, id: UUID, month: String?) async throws -> Response {
        let q = req.supermarket
        let m = try await q.requireMarket(id, in: req.registryScope)
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await q.exportMonth(id, month: month, to: path, by: req.supermarketActor)
        return ListExport.download(path: path, name: "爱心超市兑换明细-\(m.streetName ?? m.streetCode)-\(month ?? "").xlsx", format: "xlsx")
    }
}
