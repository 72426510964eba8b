import Foundation
import LinliCore
import LinliData

struct SupermarketDTO: Encodable, Sendable {
    var id: UUID
    var streetCode: String
    var streetName: String?
    var name: String
    var address: String
    var openingHours: String
    var keeperName: String
    var keeperPhone: String
    var open: Bool
    var version: Int

    init(_ m: SupermarketRecord, fullPhone: Bool = true) {
        id = m.id; streetCode = m.streetDivision; streetName = m.streetName; name = m.name; address = m.address; openingHours = m.openingHours
        keeperName = m.keeperName; keeperPhone = fullPhone ? m.keeperPhone : Masking.phone(m.keeperPhone); open = m.open; version = m.version
    }
}

struct SupermarketGoodsDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var category: SupermarketCategory
    var categoryLabel: String
    var unit: String
    var price: Int
    var stock: Int
    var version: Int
    init(_ g: SupermarketGoodsRecord) {
        id = g.id; name = g.name; category = g.category; categoryLabel = g.category.label; unit = g.unit; price = g.price; stock = g.stock; version = g.version
    }
}

struct SupermarketFileDTO: Encodable, Sendable {
    var supermarket: SupermarketDTO
    var goods: [SupermarketGoodsDTO]
}

struct StockMoveDTO: Encodable, Sendable {
    var id: UUID
    var goodsId: UUID
    var kind: StockMoveKind
    var quantity: Int
    var balance: Int
    var reason: String?
    var onDate: String
    init(_ m: StockMoveRecord) { id = m.id; goodsId = m.goodsId; kind = m.kind; quantity = m.quantity; balance = m.balance; reason = m.reason; onDate = m.onDate }
}

struct HolderDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var idNumberMasked: String
    var householdNumber: String
    var balance: Int
    var earned: Int
    var spent: Int
    var assistanceKind: AssistanceKind?
    init(_ h: LovePointHolderRecord) {
        residentId = h.residentId; name = h.nameMasked; idNumberMasked = h.idMasked; householdNumber = h.householdNumber; balance = h.balance
        earned = h.earned; spent = h.spent; assistanceKind = h.assistanceKind
    }
}

struct RedemptionDTO: Encodable, Sendable {
    var id: UUID
    var supermarketId: UUID
    var residentId: UUID
    var name: String?
    var points: Int
    var balanceAfter: Int
    var lines: String
    var onDate: String
    var status: String
    var voidReason: String?
    var assistanceKind: AssistanceKind?
    init(_ r: RedemptionRecord) {
        id = r.id; supermarketId = r.supermarketId; residentId = r.residentId; name = r.holderName; points = r.points; balanceAfter = r.balanceAfter
        lines = r.lines; onDate = r.onDate; status = r.status; voidReason = r.voidReason; assistanceKind = r.assistanceKind
    }
}

struct LedgerEntryDTO: Encodable, Sendable {
    var seq: Int
    var kind: LovePointKind
    var kindLabel: String
    var points: Int
    var balance: Int
    var shortfall: Int
    var onDate: String
    var note: String?
    init(_ e: LovePointEntryRecord) {
        seq = e.seq; kind = e.kind; kindLabel = e.kind.label; points = e.points; balance = e.balance; shortfall = e.shortfall; onDate = e.onDate; note = e.note
    }
}

struct LedgerDTO: Encodable, Sendable {
    var holder: HolderDTO
    var entries: PageDTO<LedgerEntryDTO>
}

struct RateDTO: Encodable, Sendable {
    var kind: String
    var points: Int
    var effectiveFrom: String
    init(_ r: LovePointRateRecord) { kind = r.kind; points = r.points; effectiveFrom = r.effectiveFrom }
}

struct AllowanceDTO: Encodable, Sendable {
    var month: String
    var credited: Int
    var already: Int
    var skipped: Int
    var points: Int
    init(_ s: AllowanceRunSummary) { month = s.month; credited = s.credited; already = s.already; skipped = s.skipped; points = s.points }
}

/// The portal's view: the place and goods with prices and whether in stock; nothing personal.
struct PublicSupermarketDTO: Encodable, Sendable {
    struct Item: Encodable, Sendable { var name: String; var unit: String; var price: Int; var inStock: Bool }
    var streetCode: String
    var streetName: String?
    var name: String
    var address: String
    var openingHours: String
    var open: Bool
    var goods: [Item]?
}
