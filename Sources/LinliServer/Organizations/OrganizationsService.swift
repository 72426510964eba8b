import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社会组织's queries for this request.
    var organizations: OrganizationsQueries {
        let linli = application.linli
        return OrganizationsQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var organizationsActor: OrganizationsActor {
        let p = principal?.role.permissions ?? []
        return OrganizationsActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.organizationsWrite), mayRegister: p.contains(.organizationsRegister),
                                  maySupport: p.contains(.organizationsSupport), mayProjects: p.contains(.organizationsProjects))
    }
}

/// What the API and the console pages share: inputs as typed (text, as forms send them), turned into the data layer's calls.
enum OrganizationsService {
    /// A form sent at a version someone else has since changed: the page again, with the message at `version`.
    static let stale = FieldError("version", "该记录已被他人修改，页面已显示最新内容，请核对后重新提交")

    struct OrganizationBody: Decodable {
        var name: String?
        var kind: String?
        var field: String?
        var creditCode: String?
        var legalPerson: String?
        var phone: String?
        var foundedOn: String?
        var registeredOn: String?
        var divisionCode: String?
        var version: Int?
    }

    struct StatusBody: Decodable { var action: String?; var date: String?; var version: Int? }
    struct ReportBody: Decodable { var year: Int?; var receivedOn: String? }
    struct IncubationBody: Decodable { var enteredOn: String?; var graduatedOn: String?; var note: String? }
    struct SupportBody: Decodable { var kind: String?; var amountFen: Int?; var onDate: String?; var giver: String?; var documentNo: String?; var note: String? }

    struct ProjectBody: Decodable {
        var organizationId: UUID?
        var title: String?
        var mode: String?
        var buyer: String?
        var contractFen: Int?
        var signedOn: String?
        var startsOn: String?
        var endsOn: String?
        var deliverables: String?
    }

    struct MilestoneBody: Decodable { var description: String?; var onDate: String?; var paymentFen: Int?; var beneficiaries: Int? }
    struct EvaluationBody: Decodable { var score: Int?; var note: String?; var version: Int? }

    /// A date as typed: absent is nil (the rule asks for it); a malformed one is named at its field.
    static func date(_ raw: String?, _ field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    /// A value of a closed list, by its code or its label; anything else is named at its field with the choices.
    static func choice<T: RawRepresentable & CaseIterable>(_ raw: String?, _ field: String, label: (T) -> String) throws -> T? where T.RawValue == String {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let v = T(rawValue: raw) ?? T.allCases.first(where: { label($0) == raw }) else {
            throw RegistryError.invalid([FieldError(field, "可选：\(T.allCases.map { "\($0.rawValue)（\(label($0))）" }.joined(separator: "、"))")])
        }
        return v
    }

    static func input(_ b: OrganizationBody) throws -> OrganizationInput {
        OrganizationInput(name: b.name, kind: try choice(b.kind, "kind", label: { (k: OrganizationKind) in k.label }),
                          field: try choice(b.field, "field", label: { (f: OrganizationField) in f.label }), creditCode: b.creditCode,
                          legalPerson: b.legalPerson, phone: b.phone, foundedOn: try date(b.foundedOn, "founded_on"),
                          registeredOn: try date(b.registeredOn, "registered_on"))
    }

    static func create(_ req: Request, _ b: OrganizationBody) async throws -> OrganizationRecord {
        try await req.organizations.create(division: b.divisionCode, try input(b), by: req.organizationsActor)
    }

    static func update(_ req: Request, id: UUID, _ b: OrganizationBody) async throws -> OrganizationRecord {
        try await req.organizations.update(id, division: b.divisionCode, try input(b), version: try requireVersion(b.version), by: req.organizationsActor)
    }

    static func changeStatus(_ req: Request, id: UUID, _ b: StatusBody) async throws -> OrganizationRecord {
        guard let action = try choice(b.action, "action", label: { (a: OrganizationAction) in a.label }) else {
            throw RegistryError.invalid([FieldError("action", "请选择状态变更")])
        }
        return try await req.organizations.changeStatus(id, action, on: try date(b.date, "date"), version: try requireVersion(b.version), by: req.organizationsActor)
    }

    static func support(_ req: Request, id: UUID, _ b: SupportBody) async throws -> SupportRecord {
        let input = SupportInput(kind: try choice(b.kind, "kind", label: { (k: SupportKind) in k.label }), amountFen: b.amountFen,
                                 onDate: try date(b.onDate, "on_date"), giver: b.giver, documentNo: b.documentNo, note: b.note)
        return try await req.organizations.addSupport(id, input, by: req.organizationsActor)
    }

    static func createProject(_ req: Request, _ b: ProjectBody) async throws -> ProjectRecord {
        let input = ProjectInput(title: b.title, mode: try choice(b.mode, "mode", label: { (m: ProjectMode) in m.label }), buyer: b.buyer, contractFen: b.contractFen,
                                 signedOn: try date(b.signedOn, "signed_on"), startsOn: try date(b.startsOn, "starts_on"), endsOn: try date(b.endsOn, "ends_on"),
                                 deliverables: b.deliverables)
        return try await req.organizations.createProject(organization: b.organizationId, input, by: req.organizationsActor)
    }

    static func milestone(_ req: Request, project: UUID, _ b: MilestoneBody) async throws -> MilestoneRecord {
        let input = MilestoneInput(description: b.description, onDate: try date(b.onDate, "on_date"), paymentFen: b.paymentFen, beneficiaries: b.beneficiaries)
        return try await req.organizations.recordMilestone(project, input, by: req.organizationsActor)
    }

    /// An organization in the caller's area.
    static func find(_ req: Request, id: UUID) async throws -> OrganizationRecord {
        guard let o = try await req.organizations.organization(id, in: req.registryScope) else { throw RegistryError.notFound("社会组织") }
        return o
    }

    static func findProject(_ req: Request, id: UUID) async throws -> ProjectRecord {
        guard let p = try await req.organizations.project(id, in: req.registryScope) else { throw RegistryError.notFound("项目") }
        return p
    }

    /// The register's filter from the query (`q`, `kind`, `status`, `field`, `incubating`).
    static func filter(_ req: Request) throws -> OrganizationFilter {
        OrganizationFilter(text: try req.queryString("q", maxLength: 30), kind: try req.queryEnum("kind", OrganizationKind.self),
                           status: try req.queryEnum("status", OrganizationStatus.self), field: try req.queryEnum("field", OrganizationField.self),
                           incubating: try req.queryBool("incubating"))
    }

    /// The register of the caller's area as .xlsx (audited).
    static func export(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actor = req.organizationsActor
        actor.scope = try req.narrowedScope()
        try await req.organizations.export(try filter(req), to: path, by: actor)
        return ListExport.download(path: path, name: "社会组织名录.xlsx", format: "xlsx")
    }
}
