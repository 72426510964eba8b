import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 房屋和单位's queries for this request.
    var housing: HousingQueries {
        let linli = application.linli
        return HousingQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var housingActor: HousingActor {
        let p = principal?.role.permissions ?? []
        return HousingActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.housingWrite), maySettings: p.contains(.housingSettings))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum HousingService {
    struct DwellingBody: Decodable {
        var buildingId: String?
        var number: String?
        var floor: Int?
        var area: Double?
        var rooms: Int?
        var use: String?
        var version: Int?
    }

    struct RentalBody: Decodable {
        var dwellingId: String?
        var landlordResidentId: String?
        var landlordName: String?
        var landlordPhone: String?
        var startsOn: String?
        var endsOn: String?
        var rentBand: String?
        var tenants: [String]?
        var version: Int?
    }

    struct EndBody: Decodable { var endedOn: String?; var version: Int? }
    struct CheckBody: Decodable { var kind: String?; var checkedOn: String?; var passed: Bool?; var findings: String? }
    struct PermitBody: Decodable { var issuedOn: String? }
    struct PlaceBody: Decodable { var householdId: String? }

    struct UnitBody: Decodable {
        var name: String?
        var creditCode: String?
        var kind: String?
        var buildingId: String?
        var contactName: String?
        var contactPhone: String?
        var employees: Int?
        var opensFacilities: Bool?
        var safetyPerson: String?
        var version: Int?
    }

    struct SettingsBody: Decodable { var minAreaPerTenant: Double?; var checkEvery: [String: Int]? }

    static func date(_ raw: String?, _ field: String) throws -> CivilDate? { try OrganizationsService.date(raw, field) }

    static func choice<T: RawRepresentable & CaseIterable>(_ raw: String?, _ field: String, label: (T) -> String) throws -> T? where T.RawValue == String {
        try OrganizationsService.choice(raw, field, label: label)
    }

    /// An id as typed: blank is nil, anything not an id is named at its field.
    static func id(_ raw: String?, _ field: String, _ message: String) throws -> UUID? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw) else { throw RegistryError.invalid([FieldError(field, message)]) }
        return id
    }

    static func dwelling(_ b: DwellingBody) throws -> DwellingInput {
        DwellingInput(number: b.number, floor: b.floor, area: b.area, rooms: b.rooms, use: try choice(b.use, "use", label: { (u: DwellingUse) in u.label }))
    }

    static func rental(_ b: RentalBody) throws -> RentalInput {
        var tenants: [UUID] = []
        for t in b.tenants ?? [] {
            guard let id = UUID(uuidString: t.trimmingCharacters(in: .whitespaces)) else {
                throw RegistryError.invalid([FieldError("tenants", "承租人“\(t.prefix(40))”不在居民信息中，请先登记")])
            }
            tenants.append(id)
        }
        return RentalInput(landlordResidentId: try id(b.landlordResidentId, "landlord_resident_id", "房东不在居民信息中，请先登记"),
                           landlordName: b.landlordName, landlordPhone: b.landlordPhone, startsOn: try date(b.startsOn, "starts_on"),
                           endsOn: try date(b.endsOn, "ends_on"), rentBand: try choice(b.rentBand, "rent_band", label: { (r: RentBand) in r.label }),
                           tenantIds: tenants)
    }

    static func unit(_ b: UnitBody) throws -> UnitInput {
        UnitInput(name: b.name, creditCode: b.creditCode, kind: try choice(b.kind, "kind", label: { (k: UnitKind) in k.label }), contactName: b.contactName,
                  contactPhone: b.contactPhone, employees: b.employees, opensFacilities: b.opensFacilities ?? false, safetyPerson: b.safetyPerson)
    }

    static func createDwelling(_ req: Request, _ b: DwellingBody) async throws -> DwellingRecord {
        try await req.housing.createDwelling(building: try id(b.buildingId, "building_id", "本辖区没有这个楼栋"), try dwelling(b), by: req.housingActor)
    }

    static func updateDwelling(_ req: Request, id: UUID, _ b: DwellingBody) async throws -> DwellingRecord {
        try await req.housing.updateDwelling(id, try dwelling(b), version: try requireVersion(b.version), by: req.housingActor)
    }

    static func createRental(_ req: Request, _ b: RentalBody) async throws -> RentalRecord {
        try await req.housing.createRental(dwelling: try id(b.dwellingId, "dwelling_id", "本辖区没有这套房屋"), try rental(b), by: req.housingActor)
    }

    static func updateRental(_ req: Request, id: UUID, _ b: RentalBody) async throws -> RentalRecord {
        try await req.housing.updateRental(id, try rental(b), version: try requireVersion(b.version), by: req.housingActor)
    }

    static func endRental(_ req: Request, id: UUID, _ b: EndBody) async throws -> RentalRecord {
        try await req.housing.endRental(id, on: try date(b.endedOn, "ended_on"), version: try requireVersion(b.version), by: req.housingActor)
    }

    static func check(_ req: Request, id: UUID, _ b: CheckBody) async throws -> SafetyCheckRecord {
        try await req.housing.addCheck(id, kind: try choice(b.kind, "kind", label: { (k: SafetyCheckKind) in k.label }), checkedOn: try date(b.checkedOn, "checked_on"),
                                       passed: b.passed ?? true, findings: b.findings, by: req.housingActor)
    }

    static func createUnit(_ req: Request, _ b: UnitBody) async throws -> UnitRecord {
        try await req.housing.createUnit(building: try id(b.buildingId, "building_id", "本辖区没有这个楼栋"), try unit(b), by: req.housingActor)
    }

    static func updateUnit(_ req: Request, id: UUID, _ b: UnitBody) async throws -> UnitRecord {
        try await req.housing.updateUnit(id, building: try self.id(b.buildingId, "building_id", "本辖区没有这个楼栋"), try unit(b),
                                         version: try requireVersion(b.version), by: req.housingActor)
    }

    static func settings(_ req: Request, _ b: SettingsBody) async throws -> HousingSettings {
        var every: [SafetyCheckKind: Int] = [:]
        for (k, v) in b.checkEvery ?? [:] {
            guard let kind = SafetyCheckKind(rawValue: k) else {
                throw RegistryError.invalid([FieldError("check_every", "检查类别可选：\(SafetyCheckKind.allCases.map(\.rawValue).joined(separator: "、"))")])
            }
            every[kind] = v
        }
        return try await req.housing.setSettings(minAreaPerTenant: b.minAreaPerTenant, checkEvery: every, by: req.housingActor)
    }

    static func findDwelling(_ req: Request, id: UUID) async throws -> DwellingRecord {
        guard let d = try await req.housing.dwelling(id, in: req.registryScope) else { throw RegistryError.notFound("房屋") }
        return d
    }

    static func findRental(_ req: Request, id: UUID) async throws -> RentalRecord {
        guard let r = try await req.housing.rental(id, in: req.registryScope) else { throw RegistryError.notFound("出租房屋登记") }
        return r
    }

    static func findUnit(_ req: Request, id: UUID) async throws -> UnitRecord {
        guard let u = try await req.housing.unit(id, in: req.registryScope) else { throw RegistryError.notFound("单位") }
        return u
    }

    static func state(_ req: Request) throws -> RentalState { try req.queryEnum("state", RentalState.self) ?? .current }

    static func exportRentals(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actor = req.housingActor
        actor.scope = try req.narrowedScope()
        try await req.housing.exportRentals(state: try state(req), to: path, by: actor)
        return ListExport.download(path: path, name: "出租房屋.xlsx", format: "xlsx")
    }

    static func exportUnits(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actor = req.housingActor
        actor.scope = try req.narrowedScope()
        try await req.housing.exportUnits(text: try req.queryString("q", maxLength: 30), kind: try req.queryEnum("kind", UnitKind.self), to: path, by: actor)
        return ListExport.download(path: path, name: "驻区单位.xlsx", format: "xlsx")
    }
}
