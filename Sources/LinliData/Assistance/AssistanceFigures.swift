import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The case figures of an area, as the list's tiles and the home page show them.
public struct AssistanceFigures: Sendable, Equatable {
    public var dibaoHouseholds = 0
    public var tekunPeople = 0
    public var approved = 0
    public var pending = 0
    public var overdue = 0
    public var noticed = 0
    public var recheckDue = 0
    public var openObjections = 0
    /// Approved monthly amounts, per month (元).
    public var monthlyAmount = 0
}

extension AssistanceQueries {
    /// Counted from the cases of the area in one pass (a few thousand rows in a district).
    public func figures(in scope: RegistryScope) async throws -> AssistanceFigures {
        let t = today.description
        let pending = AssistanceStage.allCases.filter(\.isPending).map { "'\($0.rawValue)'" }.joined(separator: ",")
        func when(_ condition: String, _ value: String = "1") -> SQLRaw { SQLRaw("sum(CASE WHEN \(condition) THEN \(value) ELSE 0 END)") }
        let approved = "c.stage = 'approved'"
        let row = try await sql.select()
            .column(when("\(approved) AND c.kind = 'dibao'"), as: "dibao")
            .column(when("\(approved) AND c.kind = 'tekun'"), as: "tekun")
            .column(when(approved), as: "approved")
            .column(when("c.stage IN (\(pending))"), as: "pending")
            .column(when("c.stage IN (\(pending)) AND c.due_on < '\(t)'"), as: "overdue")
            .column(when("c.stage = 'noticed'"), as: "noticed")
            .column(when("\(approved) AND (c.next_recheck_on <= '\(t)' OR c.id IN (SELECT m.case_id FROM assistance_members m JOIN residents g ON g.id = m.resident_id WHERE g.life_status <> 'active'))"), as: "recheck")
            .column(when("\(approved) AND c.kind IN ('dibao','tekun','disability_living','disability_care')", "c.amount"), as: "monthly")
            .from(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")))
            .wherePrefix("c.grid_code", scope.prefix, sqlite: sqlite).first()
        var f = AssistanceFigures()
        if let row {
            func n(_ c: String) throws -> Int { try row.decode(column: c, as: Int?.self) ?? 0 }
            f.dibaoHouseholds = try n("dibao"); f.tekunPeople = try n("tekun"); f.approved = try n("approved"); f.pending = try n("pending")
            f.overdue = try n("overdue"); f.noticed = try n("noticed"); f.recheckDue = try n("recheck"); f.monthlyAmount = try n("monthly")
        }
        f.openObjections = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("assistance_objections"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "o"))
            .where(SQLColumn("status", table: "o"), .equal, SQLBind(ObjectionStatus.open.rawValue))
            .wherePrefix("c.grid_code", scope.prefix, sqlite: sqlite))
        return f
    }
}
