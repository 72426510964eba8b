import LinliCore
import Testing

@Suite("四位一体: a coordination meeting's parties")
struct CoordinationRulesTests {
    let full = CoordinationSetting(company: "恒泰物业服务有限公司", quasi: false, ownersCommittee: true)
    let bare = CoordinationSetting(company: nil, quasi: false, ownersCommittee: false)

    func input(_ names: [CoordinationParty: String]) -> CoordinationInput {
        CoordinationInput(title: "停车难协调", agenda: "议程", heldOn: CivilDate("2026-06-01"), place: "社区会议室", attendees: names)
    }

    @Test("a compound with a company and a committee in its term expects all four; one missing is named at its field")
    func four() {
        #expect(full.expected == CoordinationParty.allCases)
        let all: [CoordinationParty: String] = [.residentsCommittee: "李主任", .propertyManager: "王经理", .ownersCommittee: "赵主任", .police: "陈警官"]
        #expect(CoordinationRules.check(input(all), full).isEmpty)
        var noOwners = all
        noOwners[.ownersCommittee] = "  "
        let e = CoordinationRules.check(input(noOwners), full)
        #expect(e.map(\.field) == ["owners_committee"] && e[0].message.contains("业主委员会"))
        var noManager = all
        noManager[.propertyManager] = nil
        #expect(CoordinationRules.check(input(noManager), full).first?.message.contains("恒泰物业服务有限公司") == true)
    }

    @Test("an unmanaged compound without a committee expects the residents' committee and the police; naming a manager or a committee is refused")
    func two() {
        #expect(bare.expected == [.residentsCommittee, .police])
        #expect(CoordinationRules.check(input([.residentsCommittee: "李主任", .police: "陈警官"]), bare).isEmpty)
        let e = CoordinationRules.check(input([.residentsCommittee: "李主任", .police: "陈警官", .propertyManager: "王经理", .ownersCommittee: "赵主任"]), bare)
        #expect(e.map(\.field) == ["property_manager", "owners_committee"])
        #expect(CoordinationRules.check(input([:]), bare).map(\.field) == ["residents_committee", "police"])
    }

    @Test("准物业管理 sends the community's property staff; an attendee over 40 characters is refused")
    func quasi() {
        let q = CoordinationSetting(company: nil, quasi: true, ownersCommittee: false)
        #expect(q.expected == [.residentsCommittee, .propertyManager, .police])
        #expect(CoordinationRules.check(input([.residentsCommittee: "李主任", .police: "陈警官"]), q).first?.message.contains("准物业") == true)
        let long = String(repeating: "张", count: 41)
        #expect(CoordinationRules.check(input([.residentsCommittee: long, .propertyManager: "社区物业站", .police: "陈警官"]), q).map(\.field) == ["residents_committee"])
        let lines = CoordinationRules.lines(input([.residentsCommittee: "李主任", .propertyManager: "社区物业站", .police: "陈警官"]), q, compound: "幸福里")
        #expect(lines.units == ["准物业管理：社区物业站"] && lines.officials == ["居委会：李主任", "社区民警：陈警官"])
    }
}
