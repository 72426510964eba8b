import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会组织's part of the indicators, division by division (an organization counts where it is registered or
/// filed — a community or a street): on the books, active, new this year, in incubation; the year's contracts
/// signed and payments made, in yuan. Grouped queries; the register is a few hundred rows per district.
public struct OrganizationsIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = OrganizationsIndicators.Key
        // A grid's scope counts nothing here.
        let prefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        let yearStart = String(format: "%04d-01-01", tally.today.year), today = tally.today.description
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        for row in try await sql.select().column("division_code")
            .column(when("status <> 'deregistered'"), as: "books").column(when("status = 'active'"), as: "active")
            .column(when("status <> 'deregistered' AND registered_on >= '\(yearStart)' AND registered_on <= '\(today)'"), as: "new")
            .column(when("incubating = \(sqlite ? "1" : "true")"), as: "incubating")
            .from("organizations").wherePrefix("division_code", prefix, sqlite: sqlite).groupBy("division_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts = [K.organizations: try n("books"), K.active: try n("active"), K.newYear: try n("new"), K.incubating: try n("incubating")]
            tally.add(try row.decode(column: "division_code", as: String.self)) { $0.more = counts }
        }
        for row in try await sql.select().column("division_code")
            .column(SQLRaw("CAST(sum(contract_fen) AS BIGINT)"), as: "fen")
            .from("organization_projects").wherePrefix("division_code", prefix, sqlite: sqlite)
            .where("signed_on", .greaterThanOrEqual, SQLBind(yearStart)).where("signed_on", .lessThanOrEqual, SQLBind(today))
            .groupBy("division_code").all() {
            let yuan = (try row.decode(column: "fen", as: Int64?.self) ?? 0) / 100
            tally.add(try row.decode(column: "division_code", as: String.self)) { $0.more = [K.contractYuanYear: yuan] }
        }
        for row in try await sql.select().column(SQLColumn("division_code", table: "p"))
            .column(SQLRaw("CAST(sum(m.payment_fen) AS BIGINT)"), as: "fen")
            .from(SQLAlias(SQLIdentifier("organization_milestones"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("organization_projects"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("project_id", table: "m"))
            .wherePrefix("p.division_code", prefix, sqlite: sqlite)
            .where(SQLColumn("on_date", table: "m"), .greaterThanOrEqual, SQLBind(yearStart)).where(SQLColumn("on_date", table: "m"), .lessThanOrEqual, SQLBind(today))
            .groupBy(SQLColumn("division_code", table: "p")).all() {
            let yuan = (try row.decode(column: "fen", as: Int64?.self) ?? 0) / 100
            tally.add(try row.decode(column: "division_code", as: String.self)) { $0.more = [K.paidYuanYear: yuan] }
        }
    }
}
