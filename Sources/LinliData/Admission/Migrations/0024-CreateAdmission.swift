import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 行政事务进社区准入. `admission_tasks` a department's task to be pushed into communities, from its application
/// through the district's review; admitted tasks with their period make the 准入清单.
/// `admission_task_communities` the communities a task applies to. Days 'YYYY-MM-DD', times Unix seconds.
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
            .create()
        try await database.createIndex("admission_tasks_department", on: "admission_tasks", columns: ["department_code", "status"])
        try await database.createIndex("admission_tasks_status", on: "admission_tasks", columns: ["status", "valid_to"])

        try await database.schema("admission_task_communities")
            .field("task_id", .uuid, .required, .references("admission_tasks", "id"))
            .field("community_code", .string, .required)
            .unique(on: "task_id", "community_code")
            .create()
        try await database.createIndex("admission_task_communities_community", on: "admission_task_communities", columns: ["community_code", "task_id"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("admission_task_communities").delete()
        try await database.schema("admission_tasks").delete()
    }
}
