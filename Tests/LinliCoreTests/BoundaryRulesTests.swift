import Foundation
import LinliCore
import Testing

@Suite("Boundary changes: rules")
struct BoundaryRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    let a = "321271005011", b = "321271005012", c = "321271004003"
    var facts: BoundaryFacts { BoundaryFacts(levels: [a: .community, b: .community, c: .community, a + "001": .grid, a + "002": .grid, b + "001": .grid],
                                             namesInUse: ["沿江社区", "港城社区"]) }

    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }

    func merge(_ sources: [String], names: [String] = ["新洲社区"], street: String? = nil, on day: String = "2026-07-01") -> BoundaryInput {
        BoundaryInput(kind: .merge, sources: sources, newNames: names, receivingStreet: street, effectiveOn: CivilDate(day),
                      documentNo: "泰高新政发〔2026〕12号", documentTitle: "关于调整部分社区区划的批复")
    }

    @Test("a merge: two communities of one street; the same level; from two streets only with the receiving street named")
    func merges() {
        #expect(BoundaryRules.check(merge([a, b]), facts: facts, today: today).isEmpty)
        #expect(BoundaryRules.check(merge([a + "001", a + "002"]), facts: facts, today: today).isEmpty)
        #expect(fields(BoundaryRules.check(merge([a]), facts: facts, today: today)) == ["sources"])
        #expect(fields(BoundaryRules.check(merge([a, a + "001"]), facts: facts, today: today)) == ["sources"])
        #expect(fields(BoundaryRules.check(merge([a + "001", b + "001"]), facts: facts, today: today)) == ["sources"])
        #expect(fields(BoundaryRules.check(merge([a, "321271005099"]), facts: facts, today: today)) == ["sources"])
        #expect(fields(BoundaryRules.check(merge([a, a]), facts: facts, today: today)) == ["sources"])
        // Two streets: the receiving street is required and must be one of theirs.
        #expect(fields(BoundaryRules.check(merge([a, c]), facts: facts, today: today)) == ["receiving_street"])
        #expect(fields(BoundaryRules.check(merge([a, c], street: "321271003000"), facts: facts, today: today)) == ["receiving_street"])
        #expect(BoundaryRules.check(merge([a, c], street: "321271004000"), facts: facts, today: today).isEmpty)
    }

    @Test("names: one for a merge, not empty, not a live name of the street; dates: not past; the document required")
    func namesAndDates() {
        #expect(fields(BoundaryRules.check(merge([a, b], names: [" "]), facts: facts, today: today)) == ["new_names"])
        #expect(fields(BoundaryRules.check(merge([a, b], names: ["港城社区"]), facts: facts, today: today)) == ["new_names"])
        #expect(fields(BoundaryRules.check(merge([a, b], names: ["甲", "乙"]), facts: facts, today: today)) == ["new_names"])
        #expect(fields(BoundaryRules.check(merge([a, b], on: "2026-06-29"), facts: facts, today: today)) == ["effective_on"])
        #expect(BoundaryRules.check(merge([a, b], on: "2026-06-30"), facts: facts, today: today).isEmpty)
        var m = merge([a, b])
        m.documentNo = " "
        m.effectiveOn = nil
        #expect(fields(BoundaryRules.check(m, facts: facts, today: today)) == ["effective_on", "document_no"])
        #expect(fields(BoundaryRules.check(BoundaryInput(kind: nil, sources: [], effectiveOn: nil), facts: facts, today: today))
                == ["kind", "effective_on", "document_no", "document_title"])
        #expect(fields(BoundaryRules.checkApproval(effectiveOn: CivilDate("2026-06-01")!, today: today)) == ["effective_on"])
        #expect(BoundaryRules.checkApply(state: .approved, effectiveOn: today, today: today) == nil)
        #expect(BoundaryRules.checkApply(state: .draft, effectiveOn: today, today: today)?.field == "state")
        #expect(BoundaryRules.checkApply(state: .approved, effectiveOn: today.adding(days: 1), today: today)?.field == "effective_on")
    }

    @Test("a split: one community, two or more names, every building assigned, each new community with a building")
    func splits() {
        let b1 = UUID(), b2 = UUID(), b3 = UUID()
        var f = facts
        f.sourceBuildings = [b1, b2, b3]
        var s = BoundaryInput(kind: .split, sources: [a], newNames: ["东洲社区", "西洲社区"], buildings: [b1: 0, b2: 1, b3: 1],
                              effectiveOn: today, documentNo: "文号", documentTitle: "标题")
        #expect(BoundaryRules.check(s, facts: f, today: today).isEmpty)
        s.buildings = [b1: 0, b2: 1]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["buildings"])
        s.buildings = [b1: 0, b2: 0, b3: 0]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["buildings"])
        s.buildings = [b1: 0, b2: 1, b3: 2]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["buildings"])
        s.buildings = [b1: 0, b2: 1, b3: 1, UUID(): 0]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["buildings"])
        s.buildings = [b1: 0, b2: 1, b3: 1]
        s.newNames = ["东洲社区"]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)).contains("new_names"))
        s.newNames = ["东洲社区", "东洲社区"]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["new_names"])
        s.newNames = ["东洲社区", "西洲社区"]
        s.sources = [a + "001"]
        #expect(fields(BoundaryRules.check(s, facts: f, today: today)) == ["sources"])
    }

    @Test("a move: buildings of the source into a grid that exists and is another")
    func moves() {
        let b1 = UUID()
        var f = facts
        f.sourceBuildings = [b1]
        f.targetLevel = .grid
        var m = BoundaryInput(kind: .move, sources: [a + "001"], target: b + "001", buildings: [b1: 0], effectiveOn: today,
                              documentNo: "文号", documentTitle: "标题")
        #expect(BoundaryRules.check(m, facts: f, today: today).isEmpty)
        m.target = a + "001"
        #expect(fields(BoundaryRules.check(m, facts: f, today: today)) == ["target"])
        m.target = nil
        #expect(fields(BoundaryRules.check(m, facts: f, today: today)) == ["target"])
        m.target = b + "001"
        m.buildings = [UUID(): 0]
        #expect(fields(BoundaryRules.check(m, facts: f, today: today)) == ["buildings"])
        m.buildings = [:]
        #expect(fields(BoundaryRules.check(m, facts: f, today: today)) == ["buildings"])
        f.targetLevel = nil
        m.buildings = [b1: 0]
        #expect(fields(BoundaryRules.check(m, facts: f, today: today)) == ["target"])
    }

    @Test("new codes: the next numbers above every code ever used under the parent, retired ones included; villages 2xx")
    func codes() throws {
        let street = try DivisionCode("321271005000")
        let used: Set<String> = ["321271005001", "321271005012", "321271005201", "321271005012001"]
        #expect(BoundaryRules.newCodes(under: street, count: 2, used: used).map(\.value) == ["321271005013", "321271005014"])
        #expect(BoundaryRules.newCodes(under: street, count: 1, used: used, kind: .village).map(\.value) == ["321271005202"])
        #expect(BoundaryRules.newCodes(under: try DivisionCode("321271004000"), count: 1, used: [], kind: .village).map(\.value) == ["321271004201"])
        let community = try DivisionCode("321271005012")
        #expect(BoundaryRules.newCodes(under: community, count: 2, used: used).map(\.value) == ["321271005012002", "321271005012003"])
        #expect(BoundaryRules.newCodes(under: try DivisionCode("321271005013"), count: 1, used: used).map(\.value) == ["321271005013001"])
    }
}
