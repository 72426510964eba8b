import FluentKit
import SQLKit

/// 社工队伍. `workers` is the register, scoped by the division the worker serves (`division_code`: a community, or
/// a street `…000` or the district for their own staff); the phone is sealed with the cipher of ID numbers and kept
/// masked beside it; no ID number is kept. `account_username` links a platform account (one worker per account).
/// `qualification` (the highest level held) and `titled` are kept with the writes so lists and figures filter
/// without a join. Qualifications one row per level; training hours one row per worker and year; appraisals one
/// per worker and year (the unique key refuses a second); the reserve lists keep removals. The district's pay
/// grades and steps are two small tables. Days 'YYYY-MM-DD', money in fen, times Unix seconds.
public struct CreateWorkers: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("workers")
            .id()
            .field("name", .string, .required)
            .field("name_initials", .string, .required)
            .field("post", .string, .required)
            .field("employment", .string, .required)
            .field("division_code", .string, .required)
            .field("street_code", .string, .required)
            .field("title", .string)
            .field("phone_cipher", .data)
            .field("phone_masked", .string)
            .field("hired_on", .string)
            .field("registration_no", .string)
            .field("registered_on", .string)
            .field("registration_valid_to", .string)
            .field("qualification", .string)
            .field("titled", .bool, .required)
            .field("account_username", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "account_username")
            .create()
        try await database.createIndex("workers_division", on: "workers", columns: ["division_code", "name"])
        try await database.createIndex("workers_registration", on: "workers", columns: ["registration_valid_to"])

        try await database.schema("worker_qualifications")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("level", .string, .required)
            .field("certificate_no", .string, .required)
            .field("obtained_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "worker_id", "level")
            .create()

        try await database.schema("worker_training")
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("year", .int, .required)
            .field("hours", .int, .required)
            .field("recorded_by", .string, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "worker_id", "year")
            .create()
        try await database.createIndex("worker_training_year", on: "worker_training", columns: ["year"])

        try await database.schema("worker_appraisals")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("year", .int, .required)
            .field("scores", .string, .required)
            .field("mean_tenths", .int, .required)
            .field("result", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "worker_id", "year")
            .create()
        try await database.createIndex("worker_appraisals_year", on: "worker_appraisals", columns: ["year", "result"])

        try await database.schema("worker_reserves")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("level", .string, .required)
            .field("listed_on", .string, .required)
            .field("listed_by", .string, .required)
            .field("reason", .string, .required)
            .field("removed_on", .string)
            .field("removed_by", .string)
            .field("removal_reason", .string)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("worker_reserves_worker", on: "worker_reserves", columns: ["worker_id", "level"])

        try await database.schema("worker_pay_grades")
            .field("post_class", .string, .required)
            .field("grade", .int, .required)
            .field("monthly_fen", .int64, .required)
            .unique(on: "post_class", "grade")
            .create()

        try await database.schema("worker_grade_steps")
            .field("reason", .string, .required)
            .field("steps", .int, .required)
            .unique(on: "reason")
            .create()
    }

    public func revert(on database: any Database) async throws {
        for t in ["worker_grade_steps", "worker_pay_grades", "worker_reserves", "worker_appraisals", "worker_training", "worker_qualifications", "workers"] {
            try await database.schema(t).delete()
        }
    }
}
