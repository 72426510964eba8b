import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Residents' requests and grid events: the category tree, departments, requests with their steps and
/// photos, running tallies for the supervision figures, and Open311 API keys. Times are Unix seconds.
public struct CreateRequests: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("departments")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .create()
        try await database.schema("accounts").field("department_code", .string).update()

        try await database.schema("request_categories")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_code", .string)
            .field("limit_hours", .int, .required)
            .field("level", .string, .required)
            .field("department_code", .string)
            .field("attributes", .string, .required)
            .field("active", .bool, .required)
            .field("version", .int, .required)
            .create()

        try await database.schema("requests")
            .id()
            .field("seq", .int64, .required)
            .field("category_code", .string, .required)
            .field("status", .string, .required)
            .field("level", .string, .required)
            // Where it is: a grid when known, else a community, else the district (an address not yet placed).
            .field("area_code", .string, .required)
            .field("community_code", .string)
            // Who holds it (the division at its level) and who it was dispatched to (a division or `dept:CODE`).
            .field("holder_code", .string, .required)
            .field("handler", .string)
            .field("channel", .string, .required)
            .field("reporter_account_id", .uuid)
            .field("reporter_name", .string)
            .field("contact_cipher", .data)
            .field("contact_masked", .string)
            .field("access_hash", .string)
            .field("description", .string, .required)
            .field("address", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("building_id", .uuid)
            .field("attributes", .string)
            .field("reported_at", .int64, .required)
            .field("due_at", .int64, .required)
            .field("resolved_at", .int64)
            .field("closed_at", .int64)
            .field("escalations", .int, .required)
            .field("rating", .int)
            .field("rating_comment", .string)
            .field("reopened", .int, .required)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "seq")
            .create()
        try await database.createIndex("requests_open_due", on: "requests", columns: ["status", "due_at"])
        try await database.createIndex("requests_area", on: "requests", columns: ["area_code", "reported_at"])
        // Queues of an area by state (open work among years of closed history).
        try await database.createIndex("requests_status_area", on: "requests", columns: ["status", "area_code", "reported_at"])
        try await database.createIndex("requests_holder", on: "requests", columns: ["holder_code", "status"])
        try await database.createIndex("requests_handler", on: "requests", columns: ["handler", "status"])
        try await database.createIndex("requests_reporter", on: "requests", columns: ["reporter_account_id"])
        try await database.createIndex("requests_reported", on: "requests", columns: ["reported_at"])

        try await database.schema("request_steps")
            .id()
            .field("request_id", .uuid, .required, .references("requests", "id"))
            .field("seq", .int, .required)
            .field("action", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("level", .string, .required)
            .field("handler", .string)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("actor_role", .string, .required)
            .field("at", .int64, .required)
            .field("note", .string)
            .unique(on: "request_id", "seq")
            .create()

        try await database.schema("request_photos")
            .id()
            .field("request_id", .uuid, .required, .references("requests", "id"))
            .field("step_id", .uuid, .required, .references("request_steps", "id"))
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .create()
        try await database.createIndex("request_photos_request", on: "request_photos", columns: ["request_id"])

        // What the figures are computed from: one row per (community, category, status, level), kept in step
        // with `requests` in the same transaction as every change, so counts never scan a million rows.
        try await database.schema("request_tallies")
            .field("community_code", .string, .required)
            .field("category_code", .string, .required)
            .field("status", .string, .required)
            .field("level", .string, .required)
            .field("n", .int64, .required)
            .field("escalated", .int64, .required)
            .field("handled", .int64, .required)
            .field("on_time", .int64, .required)
            .field("handling_seconds", .int64, .required)
            .field("rated", .int64, .required)
            .field("rating_sum", .int64, .required)
            .compositeIdentifier(over: "community_code", "category_code", "status", "level")
            .create()

        try await database.schema("open311_keys")
            .id()
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .int64, .required)
            .field("revoked_at", .int64)
            .unique(on: "key_hash")
            .create()

        let sql = database as! any SQLDatabase
        for d in DefaultRequestCategories.departments {
            try await sql.insert(into: "departments").columns("code", "name").values(SQLBind(d.code), SQLBind(d.name)).run()
        }
        for c in DefaultRequestCategories.all {
            try await sql.insert(into: "request_categories")
                .columns("code", "name", "kind", "parent_code", "limit_hours", "level", "department_code", "attributes", "active", "version")
                .values(SQLBind(c.code), SQLBind(c.name), SQLBind(c.kind.rawValue), SQLBind(c.parent), SQLBind(c.limitHours),
                        SQLBind(c.level.rawValue), SQLBind(c.department),
                        SQLBind(String(decoding: try JSONEncoder().encode(c.attributes), as: UTF8.self)), SQLBind(true), SQLBind(1))
                .run()
        }
    }

    public func revert(on database: any Database) async throws {
        for t in ["open311_keys", "request_tallies", "request_photos", "request_steps", "requests", "request_categories", "departments"] {
            try await database.schema(t).delete()
        }
        try await database.schema("accounts").deleteField("department_code").update()
    }
}
