import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 救助金发放: reading rolls and lines, a case's payment history and the bank's file. A roll belongs to a
/// street: a caller sees it when the street is in their scope.
extension AssistanceQueries {
    var rollSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in AssistanceQueries.rollColumns { q = q.column(SQLColumn(c, table: "o")) }
        return q.column(SQLColumn("name", table: "d"), as: "street_name")
            .from(SQLAlias(SQLIdentifier("assistance_rolls"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("street_code", table: "o"))
    }

    var lineSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "roll_id", "case_id", "grid_code", "community_code", "street_code", "kind", "month", "amount", "status", "correction_of", "note", "created_at"] {
            q = q.column(SQLColumn(c, table: "p"))
        }
        return q.column(SQLColumn("number", table: "c"), as: "case_number").column(SQLColumn("name", table: "r"), as: "applicant_name")
            .column(SQLColumn("id_masked", table: "r")).column(SQLColumn("name", table: "d"), as: "community_name")
            .column(SQLColumn("month", table: "o"), as: "roll_month")
            .from(SQLAlias(SQLIdentifier("assistance_payments"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("assistance_rolls"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("roll_id", table: "p"))
            .join(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "p"))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("applicant_id", table: "c"))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "p"))
    }

    /// The rolls of the streets in scope, the latest month first.
    public func rolls(in scope: RegistryScope, month: String?, page: PageRequest) async throws -> ResultPage<AssistanceRollRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.wherePrefix("o.street_code", scope.prefix, sqlite: sqlite)
            return month.map { q.where(SQLColumn("month", table: "o"), .equal, SQLBind($0)) } ?? q
        }
        let items = try await filtered(rollSelect)
            .orderBy(SQLOrderBy(expression: SQLColumn("month", table: "o"), direction: SQLDirection.descending)).orderBy(SQLColumn("street_code", table: "o"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AssistanceRollRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("assistance_rolls"), as: SQLIdentifier("o")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func roll(_ id: UUID, in scope: RegistryScope) async throws -> AssistanceRollRecord? {
        guard let r = try await rollSelect.where(SQLColumn("id", table: "o"), .equal, SQLBind(id)).first()?.decodeRecord(AssistanceRollRecord.self) else { return nil }
        return scope.contains(code: r.streetCode) ? r : nil
    }

    func requireRoll(_ id: UUID, in scope: RegistryScope) async throws -> AssistanceRollRecord {
        guard let r = try await roll(id, in: scope) else { throw RegistryError.notFound("发放名册") }
        return r
    }

    /// A roll's lines, by community and case number, corrections after the line they correct.
    public func lines(of roll: UUID, in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<AssistancePaymentRecord> {
        let r = try await requireRoll(roll, in: scope)
        let items = try await lineSelect.where(SQLColumn("roll_id", table: "p"), .equal, SQLBind(roll))
            .orderBy(SQLColumn("community_code", table: "p")).orderBy(SQLColumn("number", table: "c")).orderBy(SQLColumn("created_at", table: "p"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AssistancePaymentRecord.self) }
        return ResultPage(items: items, total: r.lines, page: page.page, perPage: page.perPage)
    }

    func paymentLine(_ id: UUID) async throws -> AssistancePaymentRecord? {
        try await lineSelect.where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first()?.decodeRecord(AssistancePaymentRecord.self)
    }

    /// A case's payments, month by month, corrections included.
    public func payments(ofCase id: UUID, in scope: RegistryScope) async throws -> [AssistancePaymentRecord] {
        _ = try await requireCase(id, in: scope)
        return try await lineSelect.where(SQLColumn("case_id", table: "p"), .equal, SQLBind(id))
            .orderBy(SQLColumn("month", table: "p")).orderBy(SQLColumn("created_at", table: "p")).all()
            .map { try $0.decodeRecord(AssistancePaymentRecord.self) }
    }

    public static let exportHeader = ["序号", "姓名", "公民身份号码", "救助类别", "金额（元）", "所属期", "社区"]

    /// The roll as the bank's .xlsx at `path`: the applicants' full ID numbers, opened from the cipher. Audited.
    @discardableResult
    public func exportRoll(_ id: UUID, to path: String, by actor: AssistanceActor) async throws -> Int {
        guard actor.mayReview else { throw RegistryError.forbidden("您没有导出发放名册的权限") }
        let roll = try await requireRoll(id, in: actor.scope)
        let rows = try await sql.select().column(SQLColumn("kind", table: "p")).column(SQLColumn("month", table: "p")).column(SQLColumn("amount", table: "p"))
            .column(SQLColumn("name", table: "r")).column(SQLColumn("id_cipher", table: "r")).column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("assistance_payments"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("assistance_cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "p"))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("applicant_id", table: "c"))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "p"))
            .where(SQLColumn("roll_id", table: "p"), .equal, SQLBind(id))
            .orderBy(SQLColumn("community_code", table: "p")).orderBy(SQLColumn("number", table: "c")).orderBy(SQLColumn("created_at", table: "p")).all()
        let w = try XLSXWriter(path: path, sheetName: "\(roll.month)救助金", columnWidths: [8, 12, 22, 20, 12, 10, 20])
        try w.header(Self.exportHeader)
        for (i, row) in rows.enumerated() {
            let kind = try row.decode(column: "kind", as: AssistanceKind.self)
            let citizenID = try cipher.open(try row.decode(column: "id_cipher", as: Data.self))
            try w.row([.number(Double(i + 1)), .text(try row.decode(column: "name", as: String.self)), .text(citizenID), .text(kind.label),
                       .number(Double(try row.decode(column: "amount", as: Int.self))), .text(try row.decode(column: "month", as: String.self)),
                       .text(try row.decode(column: "community_name", as: String?.self) ?? "")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(AssistanceAudit.payroll(.export), target: .assistanceRoll(roll.streetCode, roll.month),
                                             detail: ["rows": String(rows.count), "format": "xlsx"]), by: actor.audit, on: db, now: now())
        return rows.count
    }

    /// The streets in scope (12-digit codes and names), for running every street's roll.
    public func payrollStreets(in scope: RegistryScope) async throws -> [(code: String, name: String)] {
        try await sql.select().columns("code", "name").from(Division.schema).where("level", .equal, SQLBind(DivisionLevel.street.rawValue))
            .wherePrefix("code", scope.prefix, sqlite: sqlite).orderBy("code").all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// Yuan paid for the months of `year`, by street, in scope (所属期 in the year, lines of paid rolls).
    public func paidTotals(year: Int, in scope: RegistryScope) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await sql.select().column("street_code").column(SQLRaw("CAST(SUM(amount) AS BIGINT)"), as: "t").from("assistance_payments")
            .where("status", .equal, SQLBind(AssistancePaymentStatus.paid.rawValue))
            .where("month", .greaterThanOrEqual, SQLBind("\(year)-01")).where("month", .lessThanOrEqual, SQLBind("\(year)-12"))
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).groupBy("street_code").all() {
            out[try row.decode(column: "street_code", as: String.self)] = try row.decode(column: "t", as: Int.self)
        }
        return out
    }
}

/// 社会救助's payments in the indicators: yuan paid for this year's months, grid by grid
/// (`more["assistance.paid_yuan_year"]`).
public struct AssistancePaymentIndicatorCounts: IndicatorSource {
    public static let key = "assistance.paid_yuan_year"
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let year = tally.today.year
        for row in try await SQLHelpers.sql(db).select().column("grid_code").column(SQLRaw("CAST(SUM(amount) AS BIGINT)"), as: "t")
            .from("assistance_payments").where("status", .equal, SQLBind(AssistancePaymentStatus.paid.rawValue))
            .where("month", .greaterThanOrEqual, SQLBind("\(year)-01")).where("month", .lessThanOrEqual, SQLBind("\(year)-12"))
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: db.isSQLite).groupBy("grid_code").all() {
            let t = try row.decode(column: "t", as: Int64.self)
            tally.add(try row.decode(column: "grid_code", as: String.self)) { $0.more[Self.key, default: 0] += t }
        }
    }
}
