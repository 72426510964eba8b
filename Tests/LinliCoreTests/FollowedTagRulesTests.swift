import LinliCore
import Testing

@Suite("Tags that follow a register")
struct FollowedTagRulesTests {
    @Test("失业人员 and 残疾人 follow registers; the age tags are derived; the rest are typed")
    func kinds() {
        #expect(ResidentTag.unemployed.followedRecord == "失业登记")
        #expect(ResidentTag.disabled.followedRecord != nil && ResidentTag.partyMember.followedRecord == "党员信息登记")
        #expect(!ResidentTag.handTyped.contains(.unemployed) && !ResidentTag.handTyped.contains(.disabled) && !ResidentTag.handTyped.contains(.elderly))
        #expect(ResidentTag.handTyped.contains(.veteran) && ResidentTag.handTyped.contains(.livingAlone))
    }

    @Test("a hand edit replaces the typed tags and keeps the followed ones as they were")
    func handEdit() {
        #expect(ResidentTag.afterHandEdit(typed: [.veteran], current: [.unemployed, .partyMember]) == [.unemployed, .veteran, .partyMember])
        // Typing a followed tag neither adds it nor keeps one the person lacks.
        #expect(ResidentTag.afterHandEdit(typed: [.disabled, .veteran], current: []) == [.veteran])
        #expect(ResidentTag.afterHandEdit(typed: [], current: [.disabled, .lowIncome]) == [.disabled])
    }
}
