import FluentKit
import Foundation
import LinliCore
import SQLKit

/// For `linli bench payroll` on a demo database without assistance cases: approved 低保 cases for `share` of a
/// street's households, written in bulk, numbered `BENCH…` and accepted by `bench` so that they are told apart.
public enum AssistancePayrollBenchSeed {
    public static func largestStreet(on db: any Database) async throws -> (code: String, residents: Int)? {
        let row = try await SQLHelpers.sql(db).raw("""
            SELECT substr(grid_code, 1, 9) AS s, count(*) AS n FROM residents WHERE life_status = 'active' GROUP BY substr(grid_code, 1, 9) ORDER BY n DESC LIMIT 1
            """).first()
        guard let row else { return nil }
        return (try row.decode(column: "s", as: String.self) + "000", try row.decode(column: "n", as: Int.self))
    }

    public static func approvedCases(street: String, on db: any Database) async throws -> Int {
        try await SQLHelpers.count(SQLHelpers.sql(db).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("assistance_cases")
            .where("street_code", .equal, SQLBind(String(street.prefix(9)))).where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)))
    }

    /// Inserts `count` approved 低保 cases, one per household head of the street, paid from `firstMonth`.
    public static func seed(street: String, count: Int, firstMonth: String, cipher: PersonalDataCipher, on db: any Database) async throws -> Int {
        let prefix = String(street.prefix(9))
        let heads = try await SQLHelpers.sql(db).select().columns("id", "household_id", "grid_code").from(Resident.schema)
            .where("grid_code", .like, SQLBind(prefix + "%")).where("relation", .equal, SQLBind(HouseholdRelation.head.rawValue))
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).orderBy("id").limit(count).all()
        let sealed = try cipher.seal("{}")
        let now = Int(Date().timeIntervalSince1970)
        try await db.writeTransaction(bulk: true) { db in
            var insert = BulkInsert("assistance_cases", ["id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code",
                                                         "street_code", "area", "members", "facts_cipher", "amount", "accepted_on", "due_on", "decided_on",
                                                         "approval_level", "granted_first", "first_month", "accepted_by", "version", "created_at", "updated_at"])
            for (i, h) in heads.enumerated() {
                let grid = try h.decode(column: "grid_code", as: String.self)
                insert.add(values: [.uuid(UUID()), .text("BENCH\(prefix)\(String(format: "%06d", i + 1))"), .text(AssistanceKind.dibao.rawValue),
                                    .text(AssistanceStage.approved.rawValue), .uuid(try h.decode(column: "household_id", as: UUID.self)),
                                    .uuid(try h.decode(column: "id", as: UUID.self)), .text(grid), .text(String(grid.prefix(12))), .text(prefix),
                                    .text(AssistanceArea.urban.rawValue), .integer(1), .blob(sealed), .integer(300 + i % 500), .text("2026-01-05"),
                                    .text("2026-02-05"), .text("2026-01-20"), .text(ApprovalLevel.district.rawValue), .bool(false), .text(firstMonth),
                                    .text("bench"), .integer(1), .integer(now), .integer(now)])
                if insert.isFull { try await insert.flush(on: db) }
            }
            try await insert.flush(on: db)
        }
        return heads.count
    }
}
