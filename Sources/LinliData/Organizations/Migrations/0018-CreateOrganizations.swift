import FluentKit
import SQLKit

/// 社会组织. `organizations` is the register (登记 with a unique 统一社会信用代码, 备案 without), scoped by the
/// division it serves (`division_code`, a community or a street); the legal person's phone is sealed with the
/// cipher of ID numbers. Annual reports one row per organization and year. The incubation base keeps a stay
/// per entry (`graduated_on` null while in it); `incubating` on the organization says so without a join.
/// Support (场地, 培训, 资金, 补贴, 奖励) is a ledger. Projects (政府购买服务, 资助项目, 合同外包) keep the paid total
/// and the beneficiaries beside the contract amount, changed only by the conditional UPDATE that records a
/// milestone, so payments never pass the contract amount. Days 'YYYY-MM-DD', money in fen, times Unix seconds.
public struct CreateOrganizations: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            .id()
            .field("name", .string, .required)
            .field("name_initials", .string, .required)
            .field("registration", .string, .required)
            .field("kind", .string, .required)
            .field("field", .string, .required)
            .field("credit_code", .string)
            .field("legal_person", .string, .required)
            .field("phone_cipher", .data, .required)
            .field("phone_masked", .string, .required)
            .field("founded_on", .string, .required)
            .field("registered_on", .string, .required)
            .field("division_code", .string, .required)
            .field("street_code", .string, .required)
            .field("status", .string, .required)
            .field("status_on", .string)
            .field("incubating", .bool, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "credit_code")
            .create()
        try await database.createIndex("organizations_division", on: "organizations", columns: ["division_code", "name"])
        try await database.createIndex("organizations_status", on: "organizations", columns: ["status", "division_code"])
        try await database.createIndex("organizations_registered", on: "organizations", columns: ["registered_on"])

        try await database.schema("organization_reports")
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("year", .int, .required)
            .field("received_on", .string, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "organization_id", "year")
            .create()

        try await database.schema("organization_incubations")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("entered_on", .string, .required)
            .field("graduated_on", .string)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("organization_incubations_org", on: "organization_incubations", columns: ["organization_id", "entered_on"])

        try await database.schema("organization_support")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("division_code", .string, .required)
            .field("kind", .string, .required)
            .field("amount_fen", .int64)
            .field("on_date", .string, .required)
            .field("giver", .string, .required)
            .field("document_no", .string)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("organization_support_org", on: "organization_support", columns: ["organization_id", "on_date"])

        try await database.schema("organization_projects")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("division_code", .string, .required)
            .field("title", .string, .required)
            .field("mode", .string, .required)
            .field("buyer", .string, .required)
            // The department's code when the buying unit is one of the district's departments (`departments`).
            .field("buyer_code", .string)
            .field("contract_fen", .int64, .required)
            .field("paid_fen", .int64, .required)
            .field("signed_on", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("deliverables", .string, .required)
            // People served, the sum of the milestones' figures (kept with each milestone).
            .field("beneficiaries", .int64, .required)
            .field("milestones", .int, .required)
            .field("score", .int)
            .field("evaluated_on", .string)
            .field("evaluation_note", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("organization_projects_org", on: "organization_projects", columns: ["organization_id", "signed_on"])
        try await database.createIndex("organization_projects_division", on: "organization_projects", columns: ["division_code", "signed_on"])

        try await database.schema("organization_milestones")
            .id()
            .field("project_id", .uuid, .required, .references("organization_projects", "id"))
            .field("seq", .int, .required)
            .field("on_date", .string, .required)
            .field("description", .string, .required)
            .field("payment_fen", .int64, .required)
            .field("paid_after_fen", .int64, .required)
            .field("beneficiaries", .int64, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "project_id", "seq")
            .create()
        try await database.createIndex("organization_milestones_date", on: "organization_milestones", columns: ["on_date"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["organization_milestones", "organization_projects", "organization_support", "organization_incubations", "organization_reports", "organizations"] {
            try await database.schema(t).delete()
        }
    }
}
