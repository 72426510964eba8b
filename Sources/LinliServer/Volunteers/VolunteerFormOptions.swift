import Foundation
import LinliCore
import LinliData
import Vapor

/// The choices the console's team and activity forms offer: the area's teams, its social organizations on the
/// books and their purchased-service projects in their term (a community holds a few dozen of each at most).
enum VolunteerFormOptions {
    static func organizations(_ req: Request) async throws -> [(String, String)] {
        try await req.organizations.list(in: req.registryScope, OrganizationFilter(status: .active), page: PageRequest(page: 1, perPage: 200))
            .items.map { ($0.id.uuidString, $0.name) }
    }

    static func teams(_ req: Request) async throws -> [(String, String)] {
        try await req.volunteers.teams(in: req.registryScope, page: PageRequest(page: 1, perPage: 200)).items.map { ($0.id.uuidString, $0.name) }
    }

    static func projects(_ req: Request) async throws -> [(String, String)] {
        let today = req.application.linli.today().description
        return try await req.organizations.projects(in: req.registryScope, page: PageRequest(page: 1, perPage: 100)).items
            .filter { $0.endsOn >= today && $0.score == nil }.map { ($0.id.uuidString, "\($0.title)（\($0.organizationName ?? "")）") }
    }

    /// A chosen id of a form's select: nil when left empty, a refusal at the field when not an id.
    static func id(_ raw: String?, field: String, label: String) throws -> UUID? {
        guard let raw = raw?.trimmedOrNil else { return nil }
        guard let id = UUID(uuidString: raw) else { throw RegistryError.invalid([FieldError(field, "请选择\(label)")]) }
        return id
    }
}
