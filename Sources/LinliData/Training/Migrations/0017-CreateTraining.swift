import FluentKit
import SQLKit

/// 再就业培训: courses (一期培训) opened by a street or the district, the residents enrolled, one row per
/// trainee per session held, and on the enrolment its completion and the follow-up six months on. The course
/// keeps its enrolled count so that concurrent enrolments cannot pass its places.
public struct CreateTraining: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("training_courses")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("trade", .string)
            .field("provider", .string, .required)
            .field("area_code", .string, .required)
            .field("area_prefix", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("hours", .int, .required)
            .field("capacity", .int, .required)
            .field("enrolled", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("version", .int, .required)
            .create()
        try await database.createIndex("training_courses_area", on: "training_courses", columns: ["area_prefix", "starts_on"])
        try await database.schema("training_enrolments")
            .id()
            .field("course_id", .uuid, .required, .references("training_courses", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("enrolled_on", .string, .required)
            .field("sessions_total", .int, .required)
            .field("sessions_present", .int, .required)
            .field("result", .string)
            .field("result_on", .string)
            .field("certificate", .string)
            .field("certificate_number", .string)
            .field("followup_due_on", .string)
            .field("followup_on", .string)
            .field("followup_employed", .bool)
            .field("followup_employer", .string)
            .field("version", .int, .required)
            .unique(on: "course_id", "resident_id")
            .create()
        try await database.createIndex("training_enrolments_course", on: "training_enrolments", columns: ["course_id", "grid_code"])
        try await database.createIndex("training_enrolments_followup", on: "training_enrolments", columns: ["grid_code", "followup_due_on"])
        try await database.createIndex("training_enrolments_resident", on: "training_enrolments", columns: ["resident_id"])
        try await database.schema("training_attendance")
            .id()
            .field("enrolment_id", .uuid, .required, .references("training_enrolments", "id"))
            .field("session_on", .string, .required)
            .field("present", .bool, .required)
            .unique(on: "enrolment_id", "session_on")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("training_attendance").delete()
        try await database.schema("training_enrolments").delete()
        try await database.schema("training_courses").delete()
    }
}
