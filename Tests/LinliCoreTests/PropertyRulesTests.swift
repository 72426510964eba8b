import Foundation
import LinliCore
import Testing

@Suite("Property: rules")
struct PropertyRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }
    /// A valid code (the check character computed) and the same with a wrong check character.
    static let code = CreditCode.complete("91321271PM0001000")!
    static var wrongCheck: String {
        let good = code.last!
        let other = CreditCode.alphabet.first { $0 != good }!
        return String(code.dropLast()) + String(other)
    }

    @Test("a compound: a name, a year built not in the future, at least one building and none twice")
    func compound() {
        let a = UUID(), b = UUID()
        #expect(PropertyRules.check(CompoundInput(name: "幸福里", yearBuilt: 1995, old: true, buildingIds: [a, b]), today: today).isEmpty)
        #expect(fields(PropertyRules.check(CompoundInput(name: " ", buildingIds: []), today: today)) == ["name", "buildings"])
        #expect(fields(PropertyRules.check(CompoundInput(name: "幸福里", yearBuilt: 2027, buildingIds: [a]), today: today)) == ["year_built"])
        #expect(fields(PropertyRules.check(CompoundInput(name: "幸福里", yearBuilt: 1899, buildingIds: [a]), today: today)) == ["year_built"])
        #expect(fields(PropertyRules.check(CompoundInput(name: "幸福里", buildingIds: [a, a]), today: today)) == ["buildings"])
    }

    @Test("a company: the shared credit-code rule — a wrong check character is refused at credit_code with the expected one named")
    func company() throws {
        #expect(PropertyRules.check(CompanyInput(name: "恒泰物业服务有限公司", creditCode: Self.code)).isEmpty)
        #expect(PropertyRules.check(CompanyInput(name: "恒泰物业服务有限公司", creditCode: Self.code.lowercased())).isEmpty)
        let wrong = PropertyRules.check(CompanyInput(name: "恒泰物业服务有限公司", creditCode: Self.wrongCheck))
        #expect(fields(wrong) == ["credit_code"])
        #expect(try #require(wrong.first).message.contains("校验码不符（第18位应为\(Self.code.last!)）"))
        #expect(fields(PropertyRules.check(CompanyInput(name: "", creditCode: nil))) == ["name", "credit_code"])
    }

    @Test("a contract: its end after its start (else ends_on), a fee within bounds, at least one service")
    func contract() {
        let ok = ContractInput(companyId: UUID(), startsOn: CivilDate("2026-01-01"), endsOn: CivilDate("2028-12-31"), fee: 1.2, services: [.cleaning, .security],
                               staff: 8, roomArea: 60)
        #expect(PropertyRules.check(ok).isEmpty)
        var k = ok
        k.endsOn = CivilDate("2025-12-31")
        #expect(fields(PropertyRules.check(k)) == ["ends_on"])
        k.endsOn = k.startsOn
        #expect(fields(PropertyRules.check(k)) == ["ends_on"])
        k = ok
        k.fee = -1; k.services = []; k.staff = 5000; k.roomArea = .nan
        #expect(fields(PropertyRules.check(k)) == ["fee", "services", "staff", "room_area"])
        k = ok
        k.companyId = nil; k.fee = nil
        #expect(fields(PropertyRules.check(k)) == ["company_id", "fee"])
    }

    @Test("management: a contract in force makes it a company's; else the community's services make it 准物业管理; else nobody")
    func mode() {
        #expect(PropertyRules.mode(contractInForce: true, quasiServices: [.cleaning]) == .company)
        #expect(PropertyRules.mode(contractInForce: false, quasiServices: [.cleaning]) == .quasi)
        #expect(PropertyRules.mode(contractInForce: false, quasiServices: []) == .unmanaged)
        let s = CivilDate("2026-01-01")!, e = CivilDate("2026-06-30")!
        #expect(PropertyRules.inForce(startsOn: s, endsOn: e, on: today))
        #expect(!PropertyRules.inForce(startsOn: s, endsOn: e, on: today.adding(days: 1)))
        #expect(PropertyRules.overlaps((s, e), (e, e.adding(days: 10))))
        #expect(!PropertyRules.overlaps((s, e), (e.adding(days: 1), e.adding(days: 10))))
    }

    @Test("services are stored as codes in a fixed order; the company's department and account are named from its code")
    func names() {
        #expect(PropertyService.encode([.parking, .cleaning]) == "cleaning,parking")
        #expect(PropertyService.decode("cleaning,parking,bogus") == [.cleaning, .parking])
        #expect(PropertyService.decode(nil).isEmpty)
        #expect(PropertyRules.departmentCode(creditCode: Self.code.lowercased()) == "WY" + Self.code)
        #expect(PropertyRules.username(creditCode: Self.code) == "wy." + Self.code.lowercased())
        #expect(PropertyRules.username(creditCode: Self.code).count <= 32)
    }
}
