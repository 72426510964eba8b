import Foundation
import LinliCore
import Testing

@Suite("Housing: rules")
struct HousingRulesTests {
    let today = CivilDate(year: 2026, month: 6, day: 30)!
    let settings = HousingSettings()

    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }

    @Test("a dwelling: number and use required; floor, area and rooms within bounds")
    func dwelling() {
        #expect(HousingRules.check(DwellingInput(number: "3-502", floor: 5, area: 89.5, rooms: 3, use: .own)).isEmpty)
        #expect(fields(HousingRules.check(DwellingInput(number: " ", use: nil))) == ["number", "use"])
        #expect(fields(HousingRules.check(DwellingInput(number: "1", floor: 300, area: 0, rooms: 0, use: .vacant))) == ["floor", "area", "rooms"])
        #expect(fields(HousingRules.check(DwellingInput(number: "1", area: -.infinity, use: .vacant))) == ["area"])
        #expect(fields(HousingRules.check(DwellingInput(number: "1", area: .nan, use: .vacant))) == ["area"])
    }

    @Test("a rental: a contract ending before (or on) the day it starts is refused at ends_on; the landlord a resident or an outside owner with a phone")
    func rental() {
        let a = UUID(), b = UUID()
        let ok = RentalInput(landlordName: "王建华", landlordPhone: "13812345678", startsOn: CivilDate("2026-01-01"), endsOn: CivilDate("2026-12-31"),
                             rentBand: .from1000, tenantIds: [a])
        #expect(HousingRules.check(ok).isEmpty)
        var r = ok
        r.endsOn = CivilDate("2025-12-31")
        #expect(fields(HousingRules.check(r)) == ["ends_on"])
        r.endsOn = r.startsOn
        #expect(fields(HousingRules.check(r)) == ["ends_on"])
        r = ok
        r.landlordName = nil; r.landlordPhone = nil
        #expect(fields(HousingRules.check(r)) == ["landlord_name", "landlord_phone"])
        r.landlordResidentId = b
        #expect(HousingRules.check(r).isEmpty)
        r.tenantIds = [b]
        #expect(fields(HousingRules.check(r)) == ["tenants"])
        r.tenantIds = [a, a]
        #expect(fields(HousingRules.check(r)) == ["tenants"])
        #expect(fields(HousingRules.check(RentalInput(startsOn: nil, endsOn: nil, rentBand: nil, tenantIds: [])))
                == ["landlord_name", "landlord_phone", "starts_on", "ends_on", "rent_band", "tenants"])
    }

    @Test("群租: 4 tenants in 18 m² is 4.5 m² each, below the 5 m² limit; 3 are 6 m² each; an unknown area is not judged; the limit is the district's")
    func groupRental() {
        #expect(HousingRules.isGroupRental(tenants: 4, area: 18, settings: settings))
        #expect(!HousingRules.isGroupRental(tenants: 3, area: 18, settings: settings))
        #expect(!HousingRules.isGroupRental(tenants: 4, area: 20, settings: settings))
        #expect(!HousingRules.isGroupRental(tenants: 9, area: nil, settings: settings))
        #expect(HousingRules.isGroupRental(tenants: 3, area: 18, settings: HousingSettings(minAreaPerTenant: 8)))
    }

    @Test("checks: due the interval after the last one (or the contract's start); overdue the day after; each kind its own interval")
    func checks() {
        let start = CivilDate("2026-01-01")!
        #expect(HousingRules.checkDue(last: nil, startsOn: start, kind: .fire, settings: settings) == CivilDate("2026-04-01"))
        #expect(HousingRules.checkDue(last: CivilDate("2026-05-01"), startsOn: start, kind: .gas, settings: settings) == CivilDate("2026-10-28"))
        let last: [SafetyCheckKind: CivilDate] = [.fire: CivilDate("2026-04-01")!, .gas: CivilDate("2026-01-01")!, .ebike: CivilDate("2026-04-01")!]
        #expect(HousingRules.checksOnTime(last: last, startsOn: start, settings: settings, today: CivilDate("2026-06-30")!))
        #expect(!HousingRules.checksOnTime(last: last, startsOn: start, settings: settings, today: CivilDate("2026-07-01")!))
        #expect(HousingRules.overdueBefore(.fire, settings: settings, today: today) == CivilDate("2026-04-01"))
        #expect(fields(HousingSettings.check(minAreaPerTenant: 0, checkEvery: [.gas: 3])) == ["min_area_per_tenant", "check_every"])
        #expect(fields(HousingRules.checkSafety(kind: nil, checkedOn: CivilDate("2026-07-01"), findings: " ", startsOn: start, today: today))
                == ["kind", "checked_on", "findings"])
    }

    @Test("居住证: a floating tenant is due 180 days after moving in, until a permit is recorded; registered residents never")
    func permit() {
        let moved = CivilDate("2026-01-01")!
        #expect(!HousingRules.residencePermitDue(status: .floating, movedInOn: moved, permitOn: nil, today: CivilDate("2026-06-29")!))
        #expect(HousingRules.residencePermitDue(status: .floating, movedInOn: moved, permitOn: nil, today: CivilDate("2026-06-30")!))
        #expect(!HousingRules.residencePermitDue(status: .floating, movedInOn: moved, permitOn: CivilDate("2026-06-01"), today: today))
        #expect(!HousingRules.residencePermitDue(status: .registered, movedInOn: moved, permitOn: nil, today: today))
    }

    @Test("a unit: the credit code checked by the shared rule (check character), name and kind required")
    func unit() {
        let body = "91321271MA1000001"
        let code = body + String(CreditCode.checkCharacter(body)!)
        #expect(HousingRules.check(UnitInput(name: "恒通商贸有限公司", creditCode: code, kind: .enterprise, employees: 12)).isEmpty)
        let wrong = body + (code.last == "0" ? "1" : "0")
        #expect(fields(HousingRules.check(UnitInput(name: "恒通", creditCode: wrong, kind: .enterprise))) == ["credit_code"])
        #expect(fields(HousingRules.check(UnitInput(name: "", creditCode: "", kind: nil, contactPhone: "123", employees: -1)))
                == ["name", "credit_code", "kind", "contact_phone", "employees"])
    }
}
