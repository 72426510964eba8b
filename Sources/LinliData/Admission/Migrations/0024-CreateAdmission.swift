import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 行政事务进社区准入. `admission_tasks` a department's task to be pushed into communities, from its application
/// through the district's review; admitted tasks with their period make the 准入清单.
/// `admission_task_communities` the communities a task applies to. `admission_steps` each step of the review
/// (who, what, the note). `admission_pushes` tasks pushed without admission and refused by a community;
/// `admission_funds` money that arrived for an admitted task (费随事转). Days 'YYYY-MM-DD', times Unix seconds.
/// Also adds the departments the review needs beside the requests' (existing codes unchanged).
public struct CreateAdmission: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("admission_tasks")
            .id()
            .field("department_code", .string, .required)
            // `AdmissionTaskKind`: 服务事项, 数据报表 (a report-once form), 检查考核, 牌子增挂 …
            .field("kind", .string, .required)
            .field("title", .string, .required)
            // `AdmissionStatus`; only `admitted` tasks are on the list.
            .field("status", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_to", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("content", .string, .required)
            .field("basis", .string, .required)
            // `AdmissionReach`, with the street when it is one street's communities.
            .field("reach", .string, .required)
            .field("street_code", .string)
            // `AdmissionFrequency`
            .field("frequency", .string, .required)
            // 人随事转、费随事转 (fen per community per year)、权随事转
            .field("staff", .string, .required)
            .field("funds_fen", .int64, .required)
            .field("power", .string, .required)
            // The conditions of an admission, the reason of a refusal, what to amend when sent back: the last step's note.
            .field("note", .string)
            .field("reviewed_by", .string)
            .field("decided_by", .string)
            .field("decided_on", .string)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("admission_tasks_department", on: "admission_tasks", columns: ["department_code", "status"])
        try await database.createIndex("admission_tasks_status", on: "admission_tasks", columns: ["status", "valid_to"])

        try await database.schema("admission_task_communities")
            .field("task_id", .uuid, .required, .references("admission_tasks", "id"))
            .field("community_code", .string, .required)
            .unique(on: "task_id", "community_code")
            .create()
        try await database.createIndex("admission_task_communities_community", on: "admission_task_communities", columns: ["community_code", "task_id"])

        try await database.schema("admission_steps")
            .id()
            .field("task_id", .uuid, .required, .references("admission_tasks", "id"))
            // `AdmissionAction`
            .field("action", .string, .required)
            // The task's version after the step: the steps' order (several may share a second).
            .field("version", .int, .required)
            .field("note", .string)
            .field("by_user", .string, .required)
            .field("at", .int64, .required)
            .create()
        try await database.createIndex("admission_steps_task", on: "admission_steps", columns: ["task_id", "version"])

        try await database.schema("admission_pushes")
            .id()
            .field("community_code", .string, .required)
            .field("department_code", .string, .required)
            .field("title", .string, .required)
            .field("pushed_on", .string, .required)
            // `AdmissionChannel`
            .field("channel", .string, .required)
            .field("note", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("admission_pushes_community", on: "admission_pushes", columns: ["community_code", "pushed_on"])
        try await database.createIndex("admission_pushes_department", on: "admission_pushes", columns: ["department_code", "pushed_on"])

        try await database.schema("admission_funds")
            .id()
            .field("task_id", .uuid, .required, .references("admission_tasks", "id"))
            .field("community_code", .string, .required)
            .field("year", .int, .required)
            .field("amount_fen", .int64, .required)
            .field("received_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("admission_funds_task", on: "admission_funds", columns: ["task_id", "community_code", "year"])
        try await database.createIndex("admission_funds_community", on: "admission_funds", columns: ["community_code", "year"])

        let sql = SQLHelpers.sql(database)
        for d in AdmissionDepartments.added {
            try await sql.raw("INSERT INTO departments (code, name) VALUES (\(bind: d.code), \(bind: d.name)) ON CONFLICT (code) DO NOTHING").run()
        }
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("admission_funds").delete()
        try await database.schema("admission_pushes").delete()
        try await database.schema("admission_steps").delete()
        try await database.schema("admission_task_communities").delete()
        try await database.schema("admission_tasks").delete()
    }
}
