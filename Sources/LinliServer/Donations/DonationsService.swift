import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 捐赠物资接收点's queries for this request.
    var donations: DonationsQueries {
        let linli = application.linli
        return DonationsQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var donationsActor: DonationsActor {
        let permissions = principal?.role.permissions ?? []
        return DonationsActor(audit: auditActor, scope: registryScope, mayWrite: permissions.contains(.donationsWrite),
                              mayManagePoints: permissions.contains(.donationsPoints))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum DonationsService {
    struct PointInput: Decodable {
        var communityCode: String?
        var name: String?
        var address: String?
        var openingHours: String?
        var keeperName: String?
        var keeperPhone: String?
        var latitude: Double?
        var longitude: Double?
        var needs: [String]?
        var open: Bool?
        var version: Int?

        var input: DonationPointInput {
            DonationPointInput(name: name, address: address, openingHours: openingHours, keeperName: keeperName, keeperPhone: keeperPhone,
                               latitude: latitude, longitude: longitude,
                               needs: (needs ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, open: open ?? true)
        }
    }

    struct DonationBody: Decodable {
        var goods: String?
        var category: String?
        var quantity: Int?
        var unit: String?
        var donor: String?
        var date: String?
    }

    struct HandOutBody: Decodable {
        var householdId: UUID?
        var goods: String?
        var unit: String?
        var quantity: Int?
        var date: String?
        var note: String?
    }

    /// A date as typed: absent is nil (the rule asks for it); a malformed one is named at its field.
    static func date(_ raw: String?) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError("date", "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func category(_ raw: String?) throws -> DonationCategory? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let c = DonationCategory(rawValue: raw) ?? DonationCategory.allCases.first(where: { $0.label == raw }) else {
            throw RegistryError.invalid([FieldError("category", "类别可选：\(DonationCategory.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return c
    }

    static func receive(_ req: Request, point: UUID, _ b: DonationBody) async throws -> DonationMovementRecord {
        let input = DonationInput(goods: b.goods, category: try category(b.category), quantity: b.quantity, unit: b.unit, donor: b.donor, date: try date(b.date))
        return try await req.donations.receive(point, input, by: req.donationsActor)
    }

    static func handOut(_ req: Request, point: UUID, _ b: HandOutBody) async throws -> DonationMovementRecord {
        let input = HandOutInput(goods: b.goods, unit: b.unit, quantity: b.quantity, date: try date(b.date), note: b.note)
        return try await req.donations.handOut(point, household: b.householdId, input, by: req.donationsActor)
    }

    /// A point in the caller's area with what it holds.
    static func file(_ req: Request, id: UUID) async throws -> (point: DonationPointRecord, stock: [DonationStockRecord]) {
        let q = req.donations
        guard let p = try await q.point(id, in: req.registryScope) else { throw RegistryError.notFound("捐赠物资接收点") }
        return (p, try await q.stock(of: id))
    }

    /// The ledger of a point as .xlsx (audited).
    static func export(_ req: Request) async throws -> Response {
        let id = try req.pathUUID(), q = req.donations
        guard let p = try await q.point(id, in: req.registryScope) else { throw RegistryError.notFound("捐赠物资接收点") }
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await q.exportLedger(id, to: path, by: req.donationsActor)
        return ListExport.download(path: path, name: "捐赠物资台账-\(p.communityName ?? p.communityCode).xlsx", format: "xlsx")
    }
}
