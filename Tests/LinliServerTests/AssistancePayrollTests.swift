import Foundation
@testable import LinliCommands
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// 救助金发放: rolls generated from approved cases, checked, exported for the bank, marked paid; paid lines
/// never change and corrections are new lines.
@Suite("Assistance payroll")
struct AssistancePayrollTests {
    struct Case {
        var id: UUID
        var applicant: UUID
    }

    /// An approved (or ended) case written straight to the table, for the `offset`-th active resident of `prefix`.
    @discardableResult
    static func insertCase(_ app: Application, prefix: String = "321271002", offset: Int, kind: AssistanceKind, stage: AssistanceStage = .approved,
                           amount: Int, firstMonth: String? = nil, decidedOn: String? = nil, endedOn: String? = nil) async throws -> Case {
        let sql = try app.sql()
        let r = try #require(try await sql.select().columns("id", "household_id", "grid_code").from("residents")
            .where("grid_code", .like, SQLBind(prefix + "%")).where("life_status", .equal, SQLBind("active"))
            .orderBy("id").limit(1).offset(offset).first())
        let id = UUID(), grid = try r.decode(column: "grid_code", as: String.self), applicant = try r.decode(column: "id", as: UUID.self)
        try await sql.insert(into: "assistance_cases")
            .columns("id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code", "street_code", "area", "members",
                     "facts_cipher", "amount", "accepted_on", "due_on", "decided_on", "approval_level", "granted_first", "first_month", "ended_on",
                     "accepted_by", "version", "created_at", "updated_at")
            .values(SQLBind(id), SQLBind("JZ" + id.uuidString.prefix(8)), SQLBind(kind.rawValue), SQLBind(stage.rawValue),
                    SQLBind(try r.decode(column: "household_id", as: UUID.self)), SQLBind(applicant), SQLBind(grid), SQLBind(String(grid.prefix(12))),
                    SQLBind(String(grid.prefix(9))), SQLBind("urban"), SQLBind(1), SQLBind(try testCipher.seal("{}")), SQLBind(amount),
                    SQLBind("2026-04-01"), SQLBind("2026-05-01"), SQLBind(decidedOn ?? "2026-04-20"), SQLBind("district"), SQLBind(false),
                    SQLBind(firstMonth), SQLBind(endedOn), SQLBind("worker"), SQLBind(1), SQLBind(0), SQLBind(0))
            .run()
        return Case(id: id, applicant: applicant)
    }

    static func count(_ app: Application, _ query: String) async throws -> Int {
        let row = try #require(try await app.sql().raw(SQLQueryString(query)).first())
        return try row.decode(column: "n", as: Int.self)
    }

    static let street = "321271002000"

    @Test("a roll is generated from the approved cases of the street and month, idempotently, then checked, exported and paid")
    func lifecycle() async throws {
        try await withTestApp(residents: 900) { app in
            let dibao = try await Self.insertCase(app, offset: 0, kind: .dibao, amount: 500, firstMonth: "2026-05")
            _ = try await Self.insertCase(app, offset: 1, kind: .tekun, amount: 900, firstMonth: "2026-07")  // from next month
            let urgent = try await Self.insertCase(app, offset: 2, kind: .temporaryUrgent, amount: 2000, decidedOn: "2026-06-10")
            _ = try await Self.insertCase(app, offset: 3, kind: .medical, amount: 3000, decidedOn: "2026-05-20")  // paid in May
            _ = try await Self.insertCase(app, offset: 4, kind: .dibao, stage: .ended, amount: 400, firstMonth: "2026-01", endedOn: "2026-05-31")
            let endedInJune = try await Self.insertCase(app, offset: 5, kind: .disabilityCare, stage: .ended, amount: 100, firstMonth: "2026-01",
                                                        endedOn: "2026-06-15")
            _ = try await Self.insertCase(app, offset: 6, kind: .dibao, stage: .reviewed, amount: 700, firstMonth: nil)
            _ = try await Self.insertCase(app, prefix: "321271003", offset: 0, kind: .dibao, amount: 600, firstMonth: "2026-01")  // another street

            let g = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            #expect(g.status == .created, "\(g.text)")
            let roll = try #require(g.json["id"].string)
            #expect(g.json["lines"].int == 3 && g.json["total"].int == 2600 && g.json["status"].string == "generated")
            let show = try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)", as: .street)
            #expect(show.status == .ok)
            let cases = Set(show.json["lines"]["items"].array.compactMap { $0["case_id"].string?.lowercased() })
            #expect(cases == Set([dibao.id, urgent.id, endedInJune.id].map { $0.uuidString.lowercased() }))
            // Names are masked in the list.
            let name = try #require(try await app.sql().select().column("name").from("residents").where("id", .equal, SQLBind(dibao.applicant)).first())
                .decode(column: "name", as: String.self)
            #expect(show.status == .ok && !show.text.contains(name))

            // Regenerating replaces the lines: still three, and a case approved since is added.
            let again = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            #expect(again.status == .ok && again.json["id"].string == roll && again.json["lines"].int == 3)
            #expect(try await app.rowCount("assistance_payments") == 3)
            _ = try await Self.insertCase(app, offset: 7, kind: .disabilityLiving, amount: 80, firstMonth: "2026-06")
            let third = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            #expect(third.json["lines"].int == 4 && third.json["total"].int == 2680)
            #expect(try await app.rowCount("assistance_payments") == 4)

            // Paid before checked is refused; check, then no regenerating.
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/paid", as: .street).status == .conflict)
            let checked = try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/check", as: .street)
            #expect(checked.status == .ok && checked.json["status"].string == "checked")
            let refused = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            #expect(refused.status == .conflict && refused.isProblem)

            // The bank's file: full ID numbers, audited.
            let exportsBefore = try await Self.count(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.payroll.export'")
            let x = try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)/export", as: .street)
            #expect(x.status == .ok)
            #expect(x.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            let path = NSTemporaryDirectory() + "roll-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try x.body.write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try XLSXReader(path: path).rows { rows.append($0.cells) }
            #expect(rows.first == AssistanceQueries.exportHeader)
            #expect(rows.count == 5)
            let sealed = try #require(try await app.sql().select().column("id_cipher").from("residents").where("id", .equal, SQLBind(dibao.applicant)).first())
                .decode(column: "id_cipher", as: Data.self)
            let citizenID = try testCipher.open(sealed)
            let line = try #require(rows.first { $0.count > 2 && $0[2] == citizenID })
            #expect(line[1] == name && line[3] == AssistanceKind.dibao.label && line[4] == "500" && line[5] == "2026-06")
            #expect(try await Self.count(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.payroll.export'") == exportsBefore + 1)

            let paid = try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/paid", as: .street)
            #expect(paid.status == .ok && paid.json["status"].string == "paid")
            #expect(try await Self.count(app, "SELECT count(*) AS n FROM assistance_payments WHERE status = 'paid'") == 4)
            let afterPaid = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            #expect(afterPaid.status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/check", as: .street).status == .conflict)
            for action in ["generate", "check", "paid"] {
                #expect(try await Self.count(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.payroll.\(action)'") >= 1, "\(action)")
            }

            // The one-off case is not drawn again next month; the monthly ones are.
            let july = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-07"], as: .street)
            #expect(july.status == .created)
            let julyLines = try await app.call(.GET, "/api/v1/assistance/payrolls/\(try #require(july.json["id"].string))", as: .street)
            let julyCases = Set(julyLines.json["lines"]["items"].array.compactMap { $0["case_id"].string?.lowercased() })
            #expect(julyLines.status == .ok && julyCases.contains(dibao.id.uuidString.lowercased()) && !julyCases.contains(urgent.id.uuidString.lowercased()))
            #expect(!julyCases.contains(endedInJune.id.uuidString.lowercased()))
        }
    }

    @Test("a paid line never changes: a correction is a new line on a later roll, and the case's history shows both")
    func corrections() async throws {
        try await withTestApp(residents: 600) { app in
            let c = try await Self.insertCase(app, offset: 0, kind: .dibao, amount: 500, firstMonth: "2026-06")
            let g = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-06"], as: .street)
            let roll = try #require(g.json["id"].string)
            let show = try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)", as: .street)
            let lineID = try #require(show.json["lines"]["items"][0]["id"].string)
            // Not paid yet: regenerate instead.
            let early = try await app.call(.POST, "/api/v1/assistance/payments/\(lineID)/corrections",
                                           json: ["amount": 50, "reason": "标准调整补差", "month": "2026-07"], as: .street)
            #expect(early.status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/check", as: .street).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/paid", as: .street).status == .ok)

            let noReason = try await app.call(.POST, "/api/v1/assistance/payments/\(lineID)/corrections", json: ["amount": 50, "month": "2026-07"], as: .street)
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields.contains("reason"))
            // This month's roll is paid: the correction cannot go on it.
            let onPaid = try await app.call(.POST, "/api/v1/assistance/payments/\(lineID)/corrections",
                                            json: ["amount": 50, "reason": "标准调整补差"], as: .street)
            #expect(onPaid.status == .conflict)
            let fix = try await app.call(.POST, "/api/v1/assistance/payments/\(lineID)/corrections",
                                         json: ["amount": 50, "reason": "标准调整补差", "month": "2026-07"], as: .street)
            #expect(fix.status == .created, "\(fix.text)")
            #expect(fix.json["correction_of"].string?.lowercased() == lineID.lowercased() && fix.json["amount"].int == 50 && fix.json["month"].string == "2026-06")
            let lineUUID = try #require(UUID(uuidString: lineID))
            let original = try #require(try await app.sql().select().columns("amount", "status").from("assistance_payments")
                .where("id", .equal, SQLBind(lineUUID)).first())
            #expect(try original.decode(column: "amount", as: Int.self) == 500 && original.decode(column: "status", as: String.self) == "paid")

            // The July roll keeps the correction when it is generated.
            let july = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-07"], as: .street)
            #expect(july.status == .ok && july.json["lines"].int == 2 && july.json["total"].int == 550, "\(july.text)")

            let history = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id.uuidString)/payments", as: .street)
            #expect(history.status == .ok)
            #expect(history.json.array.map { $0["amount"].int ?? 0 } == [500, 50, 500])
            #expect(try await Self.count(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.payroll.correct'") == 1)

            // The year's total paid, for the indicator: only the paid lines.
            let totals = try await app.assistanceQueriesForTests().paidTotals(year: 2026, in: .everything)
            #expect(totals["321271002"] == 500)
            let indicators = try await app.call(.GET, "/api/v1/indicators?division=\(Self.street)", as: .street)
            let paid = indicators.json["indicators"].array.first { $0["indicator"]["code"].string == "assistance.paid_yuan_year" }
            #expect(indicators.status == .ok && paid?["value"].int == 500, "\(indicators.text.prefix(300))")
        }
    }

    @Test("roles and scopes: only the street's reviewers generate, check, pay and export; other streets are not found")
    func access() async throws {
        try await withTestApp(residents: 600) { app in
            _ = try await Self.insertCase(app, offset: 0, kind: .dibao, amount: 500, firstMonth: "2026-06")
            let body: [String: Any] = ["street_code": Self.street, "month": "2026-06"]
            for user in [TestUser.worker, .grid, .district, .resident, .dept] {
                #expect(try await app.call(.POST, "/api/v1/assistance/payrolls", json: body, as: user).status == .forbidden, "\(user)")
            }
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls", json: body, as: .anonymous).status == .unauthorized)
            #expect(try await app.rowCount("assistance_rolls") == 0)
            let other = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": "321271003000", "month": "2026-06"], as: .street)
            #expect(other.status == .notFound)
            let bad = try await app.call(.POST, "/api/v1/assistance/payrolls", json: ["street_code": Self.street, "month": "2026-13"], as: .street)
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["month"])
            let g = try await app.call(.POST, "/api/v1/assistance/payrolls", json: body, as: .street)
            let roll = try #require(g.json["id"].string)
            // A community worker reads cases but not the street's roll.
            #expect(try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)", as: .worker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)/export", as: .worker).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll)/check", as: .worker).status == .forbidden)
            let list = try await app.call(.GET, "/api/v1/assistance/payrolls", as: .worker)
            #expect(list.status == .ok && list.json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/assistance/payrolls", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)", as: .district).status == .ok)
            // The district reads it but may not export the ID numbers.
            #expect(try await app.call(.GET, "/api/v1/assistance/payrolls/\(roll)/export", as: .district).status == .forbidden)
        }
    }

    @Test("console: generate from the form, check and mark paid; the roll's page masks names; others get 403")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let c = try await Self.insertCase(app, offset: 0, kind: .dibao, amount: 500, firstMonth: "2026-06")
            let list = try await app.page("/console/assistance/payrolls", as: .street)
            #expect(list.status == .ok && list.text.contains("name=\"street_code\" ") && list.text.contains("value=\"321271002000\""))
            #expect(try await app.page("/console/assistance/payrolls", as: .worker).status == .forbidden)
            let made = try await app.submit("/console/assistance/payrolls", [("street_code", Self.street), ("month", "2026-06")], as: .street)
            #expect(made.status == .seeOther || made.status == .found, "\(made.text.prefix(300))")
            let location = try #require(made.headers.first(name: .location))
            let roll = try await app.page(location, as: .street)
            let name = try #require(try await app.sql().select().column("name").from("residents").where("id", .equal, SQLBind(c.applicant)).first())
                .decode(column: "name", as: String.self)
            #expect(roll.status == .ok && roll.text.contains(Masking.name(name)) && roll.text.contains("500 元"))
            #expect(roll.status == .ok && !roll.text.contains(name))
            #expect(try await app.submit(location + "/check", [], as: .street).headers.first(name: .location) == location)
            #expect(try await app.submit(location + "/paid", [], as: .street).headers.first(name: .location) == location)
            let paid = try await app.page(location, as: .street)
            #expect(paid.status == .ok && paid.text.contains("已发放") && !paid.text.contains("重新生成</button>"))
            let history = AssistancePayrollPages.history(try await app.assistanceQueriesForTests().payments(ofCase: c.id, in: .everything))
            #expect(history.description.contains("2026-06") && history.description.contains("已发放"))
            let file = try await app.page(location + "/export", as: .street)
            #expect(file.status == .ok && file.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
        }
    }

    @Test("CLI: `linli assistance payroll` generates every street's roll, leaves a checked one alone, and refuses a bad month")
    func commandLine() async throws {
        var outcome: LinliCLI.Outcome?
        do { _ = try LinliCLI.parse(["assistance", "payroll", "--month", "2026-13"]) } catch { outcome = LinliCLI.outcome(for: error, arguments: []) }
        let refused = try #require(outcome)
        #expect(refused.status == .usage && refused.text.contains("--month 应为 YYYY-MM"), "\(refused.text)")
        #expect(try LinliCLI.parse(["assistance", "payroll", "--month", "2026-06", "--street", Self.street]) is AssistanceCommand.Payroll)

        try await withTestApp(residents: 600) { app in
            _ = try await Self.insertCase(app, offset: 0, kind: .dibao, amount: 500, firstMonth: "2026-06")
            _ = try await Self.insertCase(app, prefix: "321271003", offset: 0, kind: .tekun, amount: 900, firstMonth: "2026-01")
            let streets = try await app.assistanceQueriesForTests().payrollStreets(in: .everything).count
            #expect(streets >= 2)
            let first = try await AssistanceCommand.Payroll.generate(on: app, month: "2026-06", street: nil, progress: false)
            #expect(first.rolls == streets && first.payments == 2 && first.total == 1400 && first.skipped == 0)
            #expect(try await app.rowCount("assistance_rolls") == streets)
            let roll = try #require(try await app.sql().select().column("id").from("assistance_rolls")
                .where("street_code", .equal, SQLBind(Self.street)).first()).decode(column: "id", as: UUID.self)
            #expect(try await app.call(.POST, "/api/v1/assistance/payrolls/\(roll.uuidString)/check", as: .street).status == .ok)
            let again = try await AssistanceCommand.Payroll.generate(on: app, month: "2026-06", street: nil, progress: false)
            #expect(again.rolls == streets - 1 && again.skipped == 1 && again.payments == 1)
            let one = try await AssistanceCommand.Payroll.generate(on: app, month: "2026-06", street: "321271003000", progress: false)
            #expect(one.rolls == 1 && one.total == 900)
            await #expect(throws: CommandFailure.self) {
                _ = try await AssistanceCommand.Payroll.generate(on: app, month: "2026-06", street: "321271099000", progress: false)
            }
            #expect(try await Self.count(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.payroll.generate' AND actor = '(cli)'") == 2 * streets)
        }
    }
}

extension Application {
    func assistanceQueriesForTests() -> AssistanceQueries {
        AssistanceQueries(db, cipher: testCipher, today: testToday)
    }
}
