import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Activities and teams of a 社会组织: the organization (and the purchased-service project the activity is done
/// under) must be one the caller sees and still on the books; a project names its organization.
extension VolunteersQueries {
    /// Checks the organization and project named, appending refusals at their fields; the organization's id
    /// (the project's when only the project is named).
    func organizationOf(_ organizationID: UUID?, project projectID: UUID?, scope: RegistryScope,
                        errors: inout [FieldError]) async throws -> UUID? {
        let organizations = OrganizationsQueries(db, cipher: cipher, today: today, now: now)
        var chosen = organizationID
        if let projectID {
            if let p = try await organizations.project(projectID, in: scope) {
                if let o = organizationID, o != p.organizationId { errors.append(FieldError("project_id", "该项目不是所选社会组织承接的")) }
                chosen = p.organizationId
            } else {
                errors.append(FieldError("project_id", "本辖区没有这个购买服务项目"))
                return organizationID
            }
        }
        if let id = chosen {
            let o = try await organizations.organization(id, in: scope)
            if o == nil || o?.status == .deregistered { errors.append(FieldError("organization_id", "本辖区没有这个在册的社会组织")) }
        }
        return chosen
    }

    /// A purchased-service project's activities that the scope sees, newest first.
    public func activities(ofProject projectID: UUID, in scope: RegistryScope, limit: Int = 50) async throws -> [VolunteerActivityRecord] {
        try await scopedActivities(activitySelect, scope).where(SQLColumn("project_id", table: "a"), .equal, SQLBind(projectID))
            .orderBy(SQLColumn("starts_at", table: "a"), SQLDirection.descending).orderBy(SQLColumn("id", table: "a")).limit(limit).all()
            .map { try $0.decodeRecord(VolunteerActivityRecord.self) }
    }
}
