import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The demo's writes: a form and its returns as they would stand after the communities' work, without the
/// request path (the demo step computes the platform's values itself, once per form for all communities).
public enum ReportsDemoWrites {
    public static func form(on db: any Database, id: UUID, task: UUID, department: String, title: String, reference: CivilDate, due: CivilDate,
                            fields: [ReportField], communities: [String], now: @escaping @Sendable () -> Date) async throws {
        let q = ReportsQueries(db, today: reference, now: now)
        try await db.writeTransaction { db in
            try await q.insertForm(db, id: id, series: id, versionNo: 1, task: task, department: department, title: title, reference: reference, due: due,
                                   fields: fields, communities: communities, by: "demo")
        }
    }

    /// A community's return: `answers` one per field, `status`, the department's `comment` when sent back.
    public struct Return: Sendable {
        public var community: String
        public var status: ReturnStatus
        public var answers: [String?]
        public var automaticFields: Int
        public var comment: String?
        public init(community: String, status: ReturnStatus, answers: [String?], automaticFields: Int, comment: String?) {
            self.community = community
            self.status = status
            self.answers = answers
            self.automaticFields = automaticFields
            self.comment = comment
        }
    }

    public static func returns(on db: any Database, form: UUID, _ rows: [Return], seed: UInt64, at: Int64) async throws {
        var rng = SeededRandom(seed: seed)
        var insert = BulkInsert("report_returns", ["id", "form_id", "community_code", "status", "answers", "automatic_fields", "comment", "version",
                                                   "updated_by", "updated_at", "submitted_by", "submitted_at"])
        for r in rows {
            let submitted = r.status != .draft
            insert.add([rng.uuid(), form, r.community, r.status.rawValue, ReportsJSON.encode(r.answers), r.status == .submitted ? r.automaticFields : 0,
                        r.comment, 1, "demo", at, (submitted ? "demo" : nil) as String?, (submitted ? at : nil) as Int64?])
        }
        guard let batch = insert.take() else { return }
        try await db.writeTransaction { db in try await batch.run(on: db) }
    }
}
