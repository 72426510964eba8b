import Foundation
import LinliCore
import LinliData

struct DonationPointDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var streetCode: String
    var name: String
    var address: String
    var openingHours: String
    var keeperName: String
    var keeperPhone: String
    var latitude: Double?
    var longitude: Double?
    var needs: [String]
    var open: Bool
    var working: Bool
    var lastActivityOn: String?
    var version: Int

    init(_ p: DonationPointRecord, today: CivilDate) {
        id = p.id; communityCode = p.communityCode; communityName = p.communityName; streetCode = p.streetCode; name = p.name; address = p.address
        openingHours = p.openingHours; keeperName = p.keeperName; keeperPhone = p.keeperPhoneMasked; latitude = p.latitude; longitude = p.longitude
        needs = p.needsList; open = p.open; working = p.working(today: today); lastActivityOn = p.lastActivityOn; version = p.version
    }
}

struct DonationStockDTO: Encodable, Sendable {
    var goods: String
    var unit: String
    var category: DonationCategory
    var categoryLabel: String
    var quantity: Int
    init(_ s: DonationStockRecord) { goods = s.goods; unit = s.unit; category = s.category; categoryLabel = s.category.label; quantity = s.quantity }
}

struct DonationPointFileDTO: Encodable, Sendable {
    var point: DonationPointDTO
    var stock: [DonationStockDTO]
}

struct DonationMovementDTO: Encodable, Sendable {
    var id: UUID
    var pointId: UUID
    var kind: DonationMovementKind
    var goods: String
    var unit: String
    var category: DonationCategory
    var quantity: Int
    var balance: Int
    var date: String
    var donor: String?
    var householdId: UUID?
    var householdNumber: String?
    var assistanceKind: AssistanceKind?
    var assistanceStage: AssistanceStage?
    /// 低保·已批准: what workers read on the record.
    var assistanceLabel: String?
    var note: String?
    var recordedBy: String

    init(_ m: DonationMovementRecord) {
        id = m.id; pointId = m.pointId; kind = m.kind; goods = m.goods; unit = m.unit; category = m.category; quantity = m.quantity
        balance = m.balance; date = m.onDate; donor = m.donor; householdId = m.householdId; householdNumber = m.householdNumber
        assistanceKind = m.assistanceKind; assistanceStage = m.assistanceStage
        assistanceLabel = m.assistanceKind.map { DonationsLabels.assistance($0, m.assistanceStage) }; note = m.note; recordedBy = m.recordedBy
    }
}

struct DonationHouseholdDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var members: Int
    var head: String?
    var assistanceKind: AssistanceKind?
    var assistanceStage: AssistanceStage?
    var assistanceLabel: String?
    init(_ h: DonationHouseholdRecord) {
        id = h.id; number = h.number; members = h.members; head = h.headMasked; assistanceKind = h.assistanceKind; assistanceStage = h.assistanceStage
        assistanceLabel = h.assistanceKind.map { DonationsLabels.assistance($0, h.assistanceStage) }
    }
}

/// A point as the portal shows it: no recipient, the keeper's name and phone masked.
struct DonationPublicPointDTO: Encodable, Sendable {
    var communityCode: String
    var communityName: String?
    var name: String
    var address: String
    var openingHours: String
    var keeper: String
    var keeperPhone: String
    var latitude: Double?
    var longitude: Double?
    var needs: [String]
    var open: Bool
    init(_ p: DonationPointRecord) {
        communityCode = p.communityCode; communityName = p.communityName; name = p.name; address = p.address; openingHours = p.openingHours
        keeper = Masking.name(p.keeperName); keeperPhone = p.keeperPhoneMasked; latitude = p.latitude; longitude = p.longitude
        needs = p.needsList; open = p.open
    }
}

enum DonationsLabels {
    static func assistance(_ kind: AssistanceKind, _ stage: AssistanceStage?) -> String {
        kind.shortLabel + (stage.map { $0 == .approved ? "（在保）" : "（\($0.label)）" } ?? "")
    }
}
