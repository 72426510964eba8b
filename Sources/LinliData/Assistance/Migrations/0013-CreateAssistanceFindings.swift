import FluentKit
import SQLKit

/// 主动发现: one row per hit seen — a rule, a person and the fingerprint of the facts it fired on — with the
/// day it was first listed and, once handled, what was done. A handled hit stays out of the list while its
/// fingerprint is the same; new facts make a new row (seen anew), the old one stays as history. The grid code
/// is the person's when first seen, so that the figures of an area are one prefix range.
public struct CreateAssistanceFindings: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("assistance_finding_marks")
            .id()
            .field("rule_code", .string, .required)
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("fingerprint", .string, .required)
            .field("grid_code", .string, .required)
            .field("first_seen_on", .string, .required)
            .field("outcome", .string)
            .field("reason", .string)
            .field("handled_by", .string)
            .field("handled_at", .int64)
            .field("handled_on", .string)
            .unique(on: "rule_code", "resident_id", "fingerprint")
            .create()
        try await database.createIndex("assistance_finding_marks_grid", on: "assistance_finding_marks",
                                       columns: ["grid_code", "first_seen_on", "handled_on"])
        // The rule 救助终止后反映困难 looks for recent requests in the buildings of ended cases.
        try await database.createIndex("requests_building", on: "requests", columns: ["building_id", "reported_at"])
    }

    public func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "requests_building").run() }
        try await database.schema("assistance_finding_marks").delete()
    }
}
