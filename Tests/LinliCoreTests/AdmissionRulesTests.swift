import LinliCore
import Testing

@Suite("事项准入: rules")
struct AdmissionRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    var ok: AdmissionTaskInput {
        AdmissionTaskInput(title: "就业失业登记月报", content: "每月5日前报送", kind: .data, basis: "《就业服务与就业管理规定》", reach: .district, streetCode: nil,
                           communities: [], frequency: .monthly, validFrom: d("2026-07-01"), validTo: d("2027-06-30"), staff: "公益性岗位1名",
                           fundsFen: 600_000, power: "")
    }

    @Test("an application: what, kind, basis, reach, frequency, period; funds ≥ 0 and bounded, at their field")
    func application() {
        #expect(AdmissionRules.check(ok, today: today).isEmpty)
        var x = ok
        x.fundsFen = -1
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["funds_fen"])
        x.fundsFen = Int64.min
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["funds_fen"])
        x.fundsFen = Int64.max
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["funds_fen"])
        x.fundsFen = AdmissionRules.fundsMaxFen
        #expect(AdmissionRules.check(x, today: today).isEmpty)
        x.fundsFen = 0
        #expect(AdmissionRules.check(x, today: today).isEmpty, "no funds is allowed (0)")
        x.validTo = d("2026-06-30")
        x.validFrom = d("2026-07-01")
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["valid_to"])
        x = ok
        x.validTo = d("2032-01-01")
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["valid_to"], "more than five years")
        let blank = AdmissionTaskInput(title: " ", content: nil, kind: nil, basis: "", reach: nil, streetCode: nil, communities: [], frequency: nil,
                                       validFrom: nil, validTo: nil, staff: nil, fundsFen: nil, power: nil)
        #expect(AdmissionRules.check(blank, today: today).map(\.field) == ["title", "content", "kind", "basis", "reach", "frequency", "valid_from", "valid_to", "funds_fen"])
        x = ok
        x.reach = .street
        x.streetCode = "321271002001"
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["street_code"], "a community is not a street")
        x.streetCode = "321271002000"
        #expect(AdmissionRules.check(x, today: today).isEmpty)
        x.reach = .list
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["communities"])
        x.communities = ["32127100200x"]
        #expect(AdmissionRules.check(x, today: today).map(\.field) == ["communities"])
        x.communities = ["321271002001"]
        #expect(AdmissionRules.check(x, today: today).isEmpty)
    }

    @Test("the review as a table: the department submits, 民政 passes or not, the leading group decides; nothing after a decision")
    func workflow() {
        #expect(AdmissionWorkflow.move(.submit, from: .draft) == .init(step: .apply, to: .submitted))
        #expect(AdmissionWorkflow.move(.submit, from: .returned)?.to == .submitted)
        #expect(AdmissionWorkflow.move(.admit, from: .submitted) == nil, "no admission without the 初审")
        #expect(AdmissionWorkflow.move(.pass, from: .submitted)?.step == .review)
        #expect(AdmissionWorkflow.move(.admit, from: .reviewed) == .init(step: .decide, to: .admitted))
        #expect(AdmissionWorkflow.move(.sendBack, from: .reviewed)?.to == .returned)
        for a in AdmissionAction.allCases {
            #expect(AdmissionWorkflow.move(a, from: .admitted) == nil)
            #expect(AdmissionWorkflow.move(a, from: .refused) == nil)
        }
        #expect(AdmissionWorkflow.actions(for: .review, in: .submitted) == [.pass, .refuse, .sendBack])
        #expect(AdmissionWorkflow.actions(for: .decide, in: .submitted).isEmpty)
        #expect(AdmissionRules.checkAction(.pass, status: .submitted, step: .review) == nil)
        #expect(AdmissionRules.checkAction(.refuse, status: .reviewed, step: .review)?.field == "status", "the 审定's refusal is not the 初审's")
        #expect(AdmissionRules.checkAction(.edit, status: .submitted, step: .apply)?.field == "status")
    }

    @Test("a refusal and a sending back say why; four eyes between 初审 and 审定")
    func decisions() {
        #expect(AdmissionRules.checkDecision(.refuse, note: " ").map(\.field) == ["note"])
        #expect(AdmissionRules.checkDecision(.sendBack, note: nil).map(\.field) == ["note"])
        #expect(AdmissionRules.checkDecision(.admit, note: nil).isEmpty)
        #expect(AdmissionRules.checkDecision(.pass, note: String(repeating: "长", count: 501)).map(\.field) == ["note"])
        #expect(AdmissionRules.checkFourEyes(reviewer: "district", decider: "district")?.field == "status")
        #expect(AdmissionRules.checkFourEyes(reviewer: "district", decider: "leader") == nil)
    }

    @Test("a refused unadmitted task and funds that arrived: dates not in the future, amounts positive and bounded")
    func communityRecords() {
        let push = UnadmittedPushInput(departmentCode: "CG", title: "临时统计表", pushedOn: d("2026-06-29"), channel: .spreadsheet, note: nil)
        #expect(AdmissionRules.check(push, today: today).isEmpty)
        var p = push
        p.pushedOn = d("2026-07-01")
        #expect(AdmissionRules.check(p, today: today).map(\.field) == ["pushed_on"])
        p = UnadmittedPushInput(departmentCode: nil, title: nil, pushedOn: nil, channel: nil, note: nil)
        #expect(AdmissionRules.check(p, today: today).map(\.field) == ["department_code", "title", "pushed_on", "channel"])
        let funds = FundsArrivalInput(year: 2026, amountFen: 100, receivedOn: d("2026-06-01"))
        #expect(AdmissionRules.check(funds, today: today).isEmpty)
        #expect(AdmissionRules.check(FundsArrivalInput(year: Int.min, amountFen: Int64.min, receivedOn: d("2026-07-01")), today: today).map(\.field)
                == ["year", "amount_fen", "received_on"])
        #expect(AdmissionRules.check(FundsArrivalInput(year: 2026, amountFen: Int64.max, receivedOn: d("2026-06-01")), today: today).map(\.field) == ["amount_fen"])
    }

    @Test("费随事转 executed: what arrived covers what was promised; nothing promised is not counted")
    func funds() {
        #expect(AdmissionRules.fundsExecuted(promisedFen: 100, arrivedFen: 100) == true)
        #expect(AdmissionRules.fundsExecuted(promisedFen: 100, arrivedFen: 99) == false)
        #expect(AdmissionRules.fundsExecuted(promisedFen: 0, arrivedFen: 0) == nil)
        #expect(AdmissionRules.covers(year: 2026, from: d("2025-07-01"), to: d("2026-01-01")))
        #expect(!AdmissionRules.covers(year: 2027, from: d("2025-07-01"), to: d("2026-12-31")))
    }
}
