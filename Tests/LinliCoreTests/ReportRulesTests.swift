import LinliCore
import Testing

@Suite("一表通: rules")
struct ReportRulesTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    let catalogue = [
        MeasureDefinition(id: "registry.residents", label: "居民人数", kind: .count, unit: "人",
                          filters: [MeasureFilter("age_min", "年龄不小于", .integer(0...150)), MeasureFilter("living_alone", "独居", .flag)]),
        MeasureDefinition(id: "care.elders_roll", label: "老年人名单", kind: .list, unit: "人", columns: [MeasureColumn("name", "姓名")]),
    ]

    func check(_ input: ReportFormInput, period: ClosedRange<CivilDate>? = nil) -> [String] {
        ReportRules.check(input, period: period,
                          measureCheck: { MeasureRules.check(measureId: $0.measure, filters: $0.filters, catalogue: catalogue, field: $1) },
                          kindOf: { id in catalogue.first { $0.id == id }?.kind }).map(\.field)
    }

    var fields: [ReportField] {
        [ReportField(header: "60岁以上老人", kind: .measure, measure: "registry.residents", filters: ["age_min": "60"]),
         ReportField(header: "独居老人名单", kind: .list, measure: "care.elders_roll"),
         ReportField(header: "助餐人次", kind: .number)]
    }

    @Test("a form: a title, a reference date, a due date not before it and within the task's period, at least one field")
    func form() {
        let ok = ReportFormInput(title: "老年人基本情况调查", referenceDate: d("2026-05-31"), dueDate: d("2026-06-10"), fields: fields)
        #expect(check(ok).isEmpty)
        #expect(check(ok, period: d("2026-01-01")...d("2026-12-31")).isEmpty)
        #expect(check(ok, period: d("2026-01-01")...d("2026-06-09")) == ["due_date"], "due after the task's period ends")
        var early = ok
        early.dueDate = d("2026-05-30")
        #expect(check(early) == ["due_date"])
        let empty = ReportFormInput(title: " ", referenceDate: nil, dueDate: nil, fields: [])
        #expect(check(empty) == ["title", "reference_date", "fields"])
        var long = ok
        long.title = String(repeating: "表", count: ReportRules.titleMax + 1)
        long.fields = Array(repeating: ReportField(header: "x", kind: .number), count: ReportRules.fieldsMax + 1)
        #expect(check(long) == ["title", "fields"])
    }

    @Test("fields: each named once; a measure that exists, with filters it takes and good values; lists only for list measures")
    func mapping() {
        func fieldErrors(_ f: [ReportField]) -> [String] {
            check(ReportFormInput(title: "表", referenceDate: d("2026-05-31"), dueDate: d("2026-06-10"), fields: f))
        }
        #expect(fieldErrors([ReportField(header: "a", kind: .measure, measure: "care.nothing")]) == ["fields[0].measure"])
        #expect(fieldErrors([ReportField(header: "a", kind: .measure, measure: "registry.residents", filters: ["colour": "red"])]) == ["fields[0].filters.colour"])
        #expect(fieldErrors([ReportField(header: "a", kind: .measure, measure: "registry.residents", filters: ["age_min": "200"])]) == ["fields[0].filters.age_min"])
        #expect(fieldErrors([ReportField(header: "a", kind: .measure, measure: "registry.residents", filters: ["living_alone": "yes"])]) == ["fields[0].filters.living_alone"])
        #expect(fieldErrors([ReportField(header: "a", kind: .measure)]) == ["fields[0].measure"])
        #expect(fieldErrors([ReportField(header: "a", kind: .list, measure: "registry.residents")]) == ["fields[0].measure"])
        #expect(fieldErrors([ReportField(header: "a", kind: .measure, measure: "care.elders_roll")]) == ["fields[0].measure"])
        #expect(fieldErrors([ReportField(header: "a", kind: .number, measure: "registry.residents")]) == ["fields[0].measure"])
        #expect(fieldErrors([ReportField(header: "a", kind: .number), ReportField(header: "a", kind: .text), ReportField(header: "", kind: .text)])
                == ["fields[1].header", "fields[2].header"])
    }

    @Test("typed values: whole numbers within ±10^12, texts up to 500 characters; empty refused only on submitting; automatic fields never typed")
    func typed() {
        let number = ReportField(header: "助餐人次", kind: .number), text = ReportField(header: "说明", kind: .text)
        #expect(ReportRules.checkTyped("120", field: number, index: 2, submitting: true) == nil)
        #expect(ReportRules.checkTyped("-5", field: number, index: 2, submitting: true) == nil)
        #expect(ReportRules.checkTyped("1.5", field: number, index: 2, submitting: true)?.field == "values[2]")
        #expect(ReportRules.checkTyped("1000000000000", field: number, index: 2, submitting: true)?.field == "values[2]")
        #expect(ReportRules.checkTyped("999999999999", field: number, index: 2, submitting: true) == nil)
        #expect(ReportRules.checkTyped("-9223372036854775808", field: number, index: 2, submitting: true)?.field == "values[2]")
        #expect(ReportRules.checkTyped(nil, field: number, index: 2, submitting: false) == nil)
        #expect(ReportRules.checkTyped(" ", field: number, index: 2, submitting: true)?.field == "values[2]")
        #expect(ReportRules.checkTyped(String(repeating: "字", count: 501), field: text, index: 0, submitting: false)?.field == "values[0]")
        #expect(ReportRules.checkTyped("1", field: fields[0], index: 0, submitting: false)?.field == "values[0]")
    }

    @Test("a return's states: saved, submitted once, sent back only when submitted, resubmitted after correction")
    func states() {
        #expect(ReportRules.next(nil, .save) == .draft)
        #expect(ReportRules.next(nil, .submit) == .submitted)
        #expect(ReportRules.next(nil, .sendBack) == nil)
        #expect(ReportRules.next(.draft, .submit) == .submitted)
        #expect(ReportRules.next(.submitted, .submit) == nil)
        #expect(ReportRules.next(.submitted, .save) == nil)
        #expect(ReportRules.next(.submitted, .sendBack) == .returned)
        #expect(ReportRules.next(.returned, .save) == .returned)
        #expect(ReportRules.next(.returned, .submit) == .submitted)
        #expect(ReportRules.next(.returned, .sendBack) == nil)
    }

    @Test("the share filled automatically: measures and lists over all fields")
    func share() {
        #expect(ReportRules.automaticShare(fields) == 200.0 / 3)
        #expect(ReportRules.automaticShare([]) == 0)
        #expect(ReportRules.automaticShare([ReportField(header: "a", kind: .text)]) == 0)
    }
}
