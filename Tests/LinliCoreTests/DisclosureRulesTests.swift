import LinliCore
import Testing

@Suite("四个公开: rules")
struct DisclosureRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test("a notice: a kind, a title, a body, a publish date; the end date not before it and after the minimum period")
    func notices() {
        let ok = DisclosureNoticeInput(kind: .affairs, title: "低保评议结果公示", body: "评议结果如下……", publishOn: d("2026-06-30"), endOn: d("2026-07-06"), minimumDays: 7)
        #expect(DisclosureRules.check(ok, today: today).isEmpty)
        var early = ok
        early.endOn = d("2026-06-29")
        #expect(DisclosureRules.check(early, today: today).map(\.field) == ["end_on"])
        var short = ok
        short.endOn = d("2026-07-05")
        #expect(DisclosureRules.check(short, today: today).map(\.field) == ["end_on"], "a 7-day 公示 ending on its 6th day")
        var bad = DisclosureNoticeInput(kind: nil, title: " ", body: "", publishOn: nil, endOn: nil, minimumDays: -1)
        #expect(DisclosureRules.check(bad, today: today).map(\.field) == ["kind", "title", "body", "publish_on", "minimum_days"])
        bad = ok
        bad.minimumDays = Int.min
        #expect(DisclosureRules.check(bad, today: today).map(\.field) == ["minimum_days"])
        bad.minimumDays = Int.max
        #expect(DisclosureRules.check(bad, today: today).map(\.field) == ["minimum_days"])
        var future = ok
        future.publishOn = d("2026-09-01")
        future.endOn = nil
        #expect(DisclosureRules.check(future, today: today).map(\.field) == ["publish_on"])
    }

    @Test("a withdrawal: not within the minimum period (a 7-day 公示 from the 1st may go from the 8th), always with a reason")
    func withdrawal() {
        let p = d("2026-06-24")
        #expect(DisclosureRules.earliestWithdrawal(publishOn: p, minimumDays: 7) == d("2026-07-01"))
        #expect(DisclosureRules.checkWithdrawal(publishOn: p, minimumDays: 7, reason: "信息有误", today: today).map(\.field) == ["minimum_days"])
        #expect(DisclosureRules.checkWithdrawal(publishOn: d("2026-06-23"), minimumDays: 7, reason: "信息有误", today: today).isEmpty)
        #expect(DisclosureRules.checkWithdrawal(publishOn: p, minimumDays: 0, reason: " ", today: today).map(\.field) == ["reason"])
        // Not yet published: no period has begun, so it may be withdrawn.
        #expect(DisclosureRules.checkWithdrawal(publishOn: d("2026-07-05"), minimumDays: 7, reason: "改期", today: today).isEmpty)
    }

    @Test("a ledger entry: a direction, a past date, subject, counterpart, an amount of 1 fen to 1 亿元 and a voucher number")
    func entries() {
        let ok = LedgerEntryInput(direction: .expense, onDate: d("2026-06-12"), subject: "社区活动", counterpart: "社区文体队", amountFen: 35_000, voucherNo: "2026-0012")
        #expect(DisclosureRules.check(ok, today: today).isEmpty)
        for amount: Int64 in [0, -1, Int64.min, DisclosureRules.amountMaxFen + 1, Int64.max] {
            var bad = ok
            bad.amountFen = amount
            #expect(DisclosureRules.check(bad, today: today).map(\.field) == ["amount_fen"], "\(amount)")
        }
        var future = ok
        future.onDate = d("2026-07-01")
        #expect(DisclosureRules.check(future, today: today).map(\.field) == ["on_date"])
        let empty = LedgerEntryInput(direction: nil, onDate: nil, subject: nil, counterpart: " ", amountFen: nil, voucherNo: "")
        #expect(DisclosureRules.check(empty, today: today).map(\.field) == ["direction", "on_date", "subject", "counterpart", "amount_fen", "voucher_no"])
    }

    @Test("the ledger's table: pending entries are edited or approved; approved and published ones only reversed")
    func actions() {
        #expect(DisclosureRules.checkAction(.edit, status: .pending) == nil)
        #expect(DisclosureRules.checkAction(.approve, status: .pending) == nil)
        #expect(DisclosureRules.checkAction(.edit, status: .published)?.field == "status")
        #expect(DisclosureRules.checkAction(.edit, status: .approved)?.field == "status")
        #expect(DisclosureRules.checkAction(.reverse, status: .published) == nil)
        #expect(DisclosureRules.checkAction(.reverse, status: .pending)?.field == "status")
        #expect(DisclosureRules.checkAction(.approve, status: .approved)?.field == "status")
    }

    @Test("yuan typed in a form become fen; anything else is refused")
    func yuan() {
        #expect(DisclosureRules.fen(fromYuan: "1234.5") == .some(123_450))
        #expect(DisclosureRules.fen(fromYuan: "0.07") == .some(7))
        #expect(DisclosureRules.fen(fromYuan: "12") == .some(1200))
        #expect(DisclosureRules.fen(fromYuan: "") == .some(nil))
        for bad in ["1e300", "-5", "1.234", "abc", "9999999999", ".5", "1.", "1.-1"] {
            #expect(DisclosureRules.fen(fromYuan: bad) == nil, "\(bad)")
        }
        #expect(DisclosureRules.yuan(123_405) == "1234.05")
        #expect(DisclosureRules.yuan(-7) == "-0.07")
    }

    @Test("a statement: opening, income and expense by subject (a reversing entry takes back its subject), closing")
    func statement() {
        let f = DisclosureRules.statement(openingFen: 100_000, entries: [
            (.income, "上级拨款", 500_000), (.expense, "社区活动", 80_000), (.expense, "办公经费", 20_000),
            (.expense, "社区活动", 30_000), (.expense, "社区活动", -30_000), // 冲正
        ])
        #expect(f.incomeFen == 500_000)
        #expect(f.expenseFen == 100_000)
        #expect(f.closingFen == 500_000)
        #expect(f.lines == [StatementLine(direction: .income, subject: "上级拨款", amountFen: 500_000),
                            StatementLine(direction: .expense, subject: "办公经费", amountFen: 20_000),
                            StatementLine(direction: .expense, subject: "社区活动", amountFen: 80_000)])
    }

    @Test("quarters: parsed, bounded, with a month's grace for the statement")
    func quarters() {
        let q = Quarter("2026-q3")!
        #expect(q.description == "2026-Q3" && q.start == d("2026-07-01") && q.end == d("2026-09-30"))
        #expect(q.publishDeadline == d("2026-10-31"))
        #expect(Quarter("2026-Q4")!.publishDeadline == d("2027-01-31"))
        #expect(Quarter("2026-Q5") == nil && Quarter("26-Q1") == nil && Quarter("2026Q1") == nil)
        #expect(Quarter.lastEnded(before: today) == Quarter("2026-Q1"))
        #expect(Quarter.lastEnded(before: d("2026-07-01")) == Quarter("2026-Q2"))
        #expect(DisclosureRules.statementQuartersAccepted(today: d("2026-07-31")) == [Quarter("2026-Q2")!, Quarter("2026-Q1")!])
        #expect(DisclosureRules.statementQuartersAccepted(today: d("2026-08-01")) == [Quarter("2026-Q2")!])
        #expect(Quarter("2026-Q1")!.previous == Quarter("2025-Q4"))
        // The ends of the calendar: no quarter outside it, no crash at its edges.
        #expect(Quarter("0001-Q1")!.previous == Quarter("0001-Q1") && Quarter("9999-Q4")!.next == Quarter("9999-Q4"))
        #expect(Quarter("9999-Q4")!.publishDeadline == d("9999-12-31"))
        #expect(Quarter.of(d("0500-02-01")) == Quarter("0500-Q1"))
    }

    @Test("a notice keeps its kind current: published within 92 days, or still up; never when withdrawn or not yet up")
    func current() {
        #expect(DisclosureRules.keepsCurrent(publishOn: d("2026-04-01"), endOn: d("2026-04-10"), withdrawn: false, today: today))
        #expect(!DisclosureRules.keepsCurrent(publishOn: d("2026-03-29"), endOn: d("2026-04-10"), withdrawn: false, today: today))
        #expect(DisclosureRules.keepsCurrent(publishOn: d("2025-01-01"), endOn: nil, withdrawn: false, today: today))
        #expect(DisclosureRules.keepsCurrent(publishOn: d("2025-01-01"), endOn: today, withdrawn: false, today: today))
        #expect(!DisclosureRules.keepsCurrent(publishOn: d("2026-06-01"), endOn: nil, withdrawn: true, today: today))
        #expect(!DisclosureRules.keepsCurrent(publishOn: d("2026-07-01"), endOn: nil, withdrawn: false, today: today))
    }
}
