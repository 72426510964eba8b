import FluentKit
import Foundation
import LinliCore
import SQLKit

/// An admitted task as other capabilities see it: report-once publishes a form only under an admitted
/// 数据报表 task, to the task's communities, within its period.
public struct AdmittedTask: Sendable, Equatable {
    public let id: UUID
    public let departmentCode: String
    public let kind: String
    public let title: String
    public let validFrom: CivilDate
    public let validTo: CivilDate
    public let communities: [String]
}

/// The seam between admission and the capabilities that act under an admitted task.
public enum AdmittedTasks {
    /// The task if it is admitted (on the 准入清单), whatever its period; nil otherwise.
    public static func find(_ id: UUID, on db: any Database) async throws -> AdmittedTask? {
        let sql = SQLHelpers.sql(db)
        guard let row = try await sql.raw("""
            SELECT id, department_code, kind, title, valid_from, valid_to FROM admission_tasks WHERE id = \(bind: id) AND status = 'admitted'
            """).first() else { return nil }
        let communities = try await sql.raw("""
            SELECT community_code FROM admission_task_communities WHERE task_id = \(bind: id) ORDER BY community_code
            """).all().map { try $0.decode(column: "community_code", as: String.self) }
        guard let from = CivilDate(try row.decode(column: "valid_from", as: String.self)),
              let to = CivilDate(try row.decode(column: "valid_to", as: String.self)) else { return nil }
        return AdmittedTask(id: id, departmentCode: try row.decode(column: "department_code", as: String.self),
                            kind: try row.decode(column: "kind", as: String.self), title: try row.decode(column: "title", as: String.self),
                            validFrom: from, validTo: to, communities: communities)
    }

    static let directBasis = "区社区减负工作领导小组审定的准入清单"
    static let directNote = "直接列入准入清单（未经部门申请流程）"

    /// Records a task as already admitted, without the review steps: for the tests and demo steps of the
    /// capabilities that act under one. Admission's own writes go through the review.
    @discardableResult
    public static func insertAdmitted(department: String, kind: String, title: String, validFrom: CivilDate, validTo: CivilDate,
                                      communities: [String], by user: String, on db: any Database) async throws -> UUID {
        let id = UUID(), at = Int64(Date().timeIntervalSince1970)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.raw("""
                INSERT INTO admission_tasks (id, department_code, kind, title, status, valid_from, valid_to, version, created_by, created_at,
                    content, basis, reach, frequency, staff, funds_fen, power, note, reviewed_by, decided_by, decided_on, updated_at)
                VALUES (\(bind: id), \(bind: department), \(bind: kind), \(bind: title), 'admitted', \(bind: validFrom.description),
                    \(bind: validTo.description), 1, \(bind: user), \(bind: at), \(bind: title), \(bind: directBasis), 'list', 'as_needed', '', 0, '',
                    \(bind: directNote), \(bind: user), \(bind: user), \(bind: validFrom.description), \(bind: at))
                """).run()
            // Its review as the pages show it: one step, saying it was listed directly.
            try await sql.raw("""
                INSERT INTO admission_steps (id, task_id, action, version, note, by_user, at)
                VALUES (\(bind: UUID()), \(bind: id), 'admit', 1, \(bind: directNote), \(bind: user), \(bind: at))
                """).run()
            for c in Set(communities).sorted() {
                try await sql.raw("INSERT INTO admission_task_communities (task_id, community_code) VALUES (\(bind: id), \(bind: c))").run()
            }
        }
        return id
    }
}
