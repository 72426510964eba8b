import Foundation
import LinliCore
import Testing

@Suite("社区党建: rules")
struct PartyRulesTests {
    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }
    let today = CivilDate(year: 2026, month: 12, day: 7)!
    let street = "321271002000", community = "321271002001"

    @Test("the kind a community's membership calls for: 3 a branch, 50 a general branch, 100 a committee; fewer than 3 none")
    func kindBySize() {
        #expect(PartyRules.kindFor(members: 2) == nil)
        #expect(PartyRules.kindFor(members: 3) == .branch)
        #expect(PartyRules.kindFor(members: 49) == .branch)
        #expect(PartyRules.kindFor(members: 50) == .generalBranch)
        #expect(PartyRules.kindFor(members: 99) == .generalBranch)
        #expect(PartyRules.kindFor(members: 100) == .committee)
    }

    @Test("an organization: a work committee at a street without a parent; a branch at a community under its street's committee; a functional kind only on a group")
    func organizations() {
        #expect(PartyRules.check(PartyOrgInput(name: "街道社会工作党委", kind: .workCommittee, divisionCode: street), parentKind: nil, parentDivision: nil).isEmpty)
        #expect(fields(PartyRules.check(PartyOrgInput(name: "党委", kind: .workCommittee, divisionCode: community), parentKind: nil, parentDivision: nil))
                == ["division_code"])
        #expect(fields(PartyRules.check(PartyOrgInput(name: "", kind: nil), parentKind: nil, parentDivision: nil)) == ["name", "kind"])
        let branch = PartyOrgInput(name: "第一党支部", kind: .branch, parentId: UUID(), divisionCode: community)
        #expect(PartyRules.check(branch, parentKind: .workCommittee, parentDivision: street).isEmpty)
        #expect(PartyRules.check(branch, parentKind: .generalBranch, parentDivision: community).isEmpty)
        // A branch under a group, or in another street's community.
        #expect(fields(PartyRules.check(branch, parentKind: .group, parentDivision: community)) == ["parent_id"])
        #expect(fields(PartyRules.check(branch, parentKind: .workCommittee, parentDivision: "321271003000")) == ["division_code"])
        #expect(fields(PartyRules.check(PartyOrgInput(name: "支部", kind: .branch, divisionCode: community), parentKind: nil, parentDivision: nil)) == ["parent_id"])
        let group = PartyOrgInput(name: "法律服务党小组", kind: .group, functionalKind: .professional, parentId: UUID(), divisionCode: community)
        #expect(PartyRules.check(group, parentKind: .branch, parentDivision: community).isEmpty)
        #expect(fields(PartyRules.check(PartyOrgInput(name: "支部", kind: .branch, functionalKind: .talent, parentId: UUID(), divisionCode: community),
                                        parentKind: .workCommittee, parentDivision: street)) == ["functional_kind"])
        #expect(fields(PartyRules.check(PartyOrgInput(name: "小组", kind: .group, parentId: UUID(), divisionCode: "321271002002"),
                                        parentKind: .branch, parentDivision: community)) == ["division_code"])
    }

    @Test("a member: one organization, inside the tree or named elsewhere; joined at 18 or older and not in the future; 报到 after joining")
    func members() {
        let birth = CivilDate(year: 1980, month: 5, day: 10)!
        let org = UUID()
        #expect(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: CivilDate(year: 2005, month: 7, day: 1)), birthDate: birth, today: today).isEmpty)
        #expect(PartyRules.check(PartyMemberInput(residentId: UUID(), outsideOrg: "泰州市教育局机关党支部", joinedOn: CivilDate(year: 2005, month: 7, day: 1),
                                                  reportedOn: CivilDate(year: 2026, month: 3, day: 1)), birthDate: birth, today: today).isEmpty)
        // Two organizations at once, or none.
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, outsideOrg: "某单位党支部", joinedOn: CivilDate(year: 2005, month: 7, day: 1)),
                                        birthDate: birth, today: today)) == ["org_id"])
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), joinedOn: CivilDate(year: 2005, month: 7, day: 1)), birthDate: birth, today: today)) == ["org_id"])
        // Joined the day before the 18th birthday; on it is fine.
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: CivilDate(year: 1998, month: 5, day: 9)), birthDate: birth, today: today))
                == ["joined_on"])
        #expect(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: CivilDate(year: 1998, month: 5, day: 10)), birthDate: birth, today: today).isEmpty)
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: today.adding(days: 1)), birthDate: birth, today: today)) == ["joined_on"])
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: nil, orgId: org, joinedOn: nil), birthDate: birth, today: today)) == ["resident_id", "joined_on"])
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: CivilDate(year: 2005, month: 7, day: 1),
                                                         reportedOn: CivilDate(year: 2004, month: 1, day: 1)), birthDate: birth, today: today)) == ["reported_on"])
        let g = UUID()
        #expect(fields(PartyRules.check(PartyMemberInput(residentId: UUID(), orgId: org, joinedOn: CivilDate(year: 2005, month: 7, day: 1), groupIds: [g, g]),
                                        birthDate: birth, today: today)) == ["group_ids"])
        // 在职党员: expected to 报到 when their organization is not their community's.
        #expect(PartyRules.expectedToReport(orgCommunity: nil, livesIn: community))
        #expect(PartyRules.expectedToReport(orgCommunity: "321271002002", livesIn: community))
        #expect(!PartyRules.expectedToReport(orgCommunity: community, livesIn: community))
    }

    @Test("a centre needs a facility, a level, services and readable hours; a brand its organization, name, summary and a past start")
    func centresAndBrands() {
        let good = PartyCentreInput(facilityId: UUID(), level: .community, name: "党员服务站", services: [.education], openingHours: "周一至周五 08:30-17:00")
        #expect(PartyRules.check(good).isEmpty)
        #expect(fields(PartyRules.check(PartyCentreInput(facilityId: nil, level: nil, name: "", services: [], openingHours: "")))
                == ["facility_id", "level", "name", "services", "opening_hours"])
        var bad = good
        bad.openingHours = "看情况"
        #expect(fields(PartyRules.check(bad)) == ["opening_hours"])
        #expect(CentreLevel.street.division(of: "321271002001") == "321271002000" && CentreLevel.district.division(of: "321271002001") == "321271000000")
        #expect(PartyRules.check(PartyBrandInput(orgId: UUID(), name: "红色楼道", summary: "党员亮身份", startedOn: today), today: today).isEmpty)
        #expect(fields(PartyRules.check(PartyBrandInput(orgId: nil, name: nil, summary: nil, startedOn: today.adding(days: 1)), today: today))
                == ["org_id", "name", "summary", "started_on"])
    }
}
