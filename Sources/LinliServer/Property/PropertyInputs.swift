import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 物业管理's queries for this request.
    var property: PropertyQueries {
        let linli = application.linli
        return PropertyQueries(db, today: linli.today(), now: linli.now)
    }

    var propertyActor: PropertyActor {
        let p = principal?.role.permissions ?? []
        return PropertyActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.propertyWrite))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum PropertyInputs {
    struct CompoundBody: Decodable {
        var name: String?
        var yearBuilt: Int?
        var old: Bool?
        var quasiServices: [String]?
        var buildings: [String]?
        var version: Int?
    }

    struct CompanyBody: Decodable {
        var name: String?
        var creditCode: String?
        var contactName: String?
        var version: Int?
    }

    struct ContractBody: Decodable {
        var companyId: String?
        var startsOn: String?
        var endsOn: String?
        var fee: Double?
        var services: [String]?
        var staff: Int?
        var roomArea: Double?
    }

    static func services(_ raw: [String]?, _ field: String) throws -> [PropertyService] {
        try (raw ?? []).map { s in
            guard let v = try HousingService.choice(s, field, label: { (p: PropertyService) in p.label }) else {
                throw RegistryError.invalid([FieldError(field, "服务内容可选：\(PropertyService.allCases.map(\.label).joined(separator: "、"))")])
            }
            return v
        }
    }

    static func compound(_ b: CompoundBody) throws -> CompoundInput {
        var buildings: [UUID] = []
        for raw in b.buildings ?? [] {
            guard let id = UUID(uuidString: raw.trimmingCharacters(in: .whitespaces)) else {
                throw RegistryError.invalid([FieldError("buildings", "楼栋“\(raw.prefix(40))”不在楼栋信息中")])
            }
            buildings.append(id)
        }
        return CompoundInput(name: b.name, yearBuilt: b.yearBuilt, old: b.old ?? false, quasiServices: try services(b.quasiServices, "quasi_services"),
                             buildingIds: buildings)
    }

    static func createCompound(_ req: Request, _ b: CompoundBody) async throws -> CompoundRecord {
        try await req.property.createCompound(try compound(b), by: req.propertyActor)
    }

    static func updateCompound(_ req: Request, id: UUID, _ b: CompoundBody) async throws -> CompoundRecord {
        try await req.property.updateCompound(id, try compound(b), version: try requireVersion(b.version), by: req.propertyActor)
    }

    static func findCompound(_ req: Request, id: UUID) async throws -> CompoundRecord {
        guard let c = try await req.property.compound(id, in: req.registryScope) else { throw RegistryError.notFound("小区") }
        return c
    }

    /// The district a company's account is bound to: the caller's district.
    static func district(_ req: Request) -> String {
        let code = req.principal?.account.divisionCode ?? ""
        return String(code.prefix(6)) + "000000"
    }

    static func createCompany(_ req: Request, _ b: CompanyBody) async throws -> CompanyRecord {
        try await req.property.createCompany(CompanyInput(name: b.name, creditCode: b.creditCode, contactName: b.contactName), district: district(req),
                                             by: req.propertyActor)
    }

    static func updateCompany(_ req: Request, id: UUID, _ b: CompanyBody) async throws -> CompanyRecord {
        try await req.property.updateCompany(id, name: b.name, contactName: b.contactName, version: try requireVersion(b.version), by: req.propertyActor)
    }

    static func findCompany(_ req: Request, id: UUID) async throws -> CompanyRecord {
        guard let c = try await req.property.company(id) else { throw RegistryError.notFound("物业服务企业") }
        return c
    }

    static func addContract(_ req: Request, compound: UUID, _ b: ContractBody) async throws -> ContractRecord {
        let input = ContractInput(companyId: try HousingService.id(b.companyId, "company_id", "没有这个物业服务企业，请先登记"),
                                  startsOn: try HousingService.date(b.startsOn, "starts_on"), endsOn: try HousingService.date(b.endsOn, "ends_on"),
                                  fee: b.fee, services: try services(b.services, "services"), staff: b.staff, roomArea: b.roomArea)
        return try await req.property.addContract(compound: compound, input, by: req.propertyActor)
    }
}
