/// 社区党建's indicators, for the calendar year of the day they are computed for. Members count where they live
/// (the community of their grid), whatever organization they belong to.
public enum PartyIndicators {
    static let clause = "深化社区党建"
    static let clauseGroups = "推进社区功能型党小组建设"
    static let clauseService = "强化党员干部参与社区服务"

    public enum Key {
        /// Party members living in the division.
        public static let members = "party.members"
        /// Of them, those whose organization is not their community's (在职党员, members of other organizations).
        public static let expected = "party.expected"
        /// Of those, the ones who have 报到 in the community where they live.
        public static let reported = "party.reported"
        /// Members with verified party-member service this year.
        public static let served = "party.served"
        /// Minutes of verified party-member service this year.
        public static let minutes = "party.minutes"
        /// 功能型党小组 in the division.
        public static let functionalGroups = "party.functional_groups"
        /// Communities in the division (the denominator of groups per community).
        public static let communities = "party.communities"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "party.reported_share", name: "在职党员到社区报到率", group: "社区党建",
                            numerator: "组织关系不在居住社区、已到居住社区报到的党员", denominator: "组织关系不在居住社区的党员", unit: "%",
                            target: nil, clause: clause, needs: nil) { .ratio($0[Key.reported], $0[Key.expected]) },
        IndicatorDefinition(code: "party.served_share", name: "党员参与社区服务率", group: "社区党建",
                            numerator: "本年有党员志愿服务时长的党员", denominator: "居住在本辖区的党员", unit: "%",
                            target: nil, clause: clauseService, needs: nil) { .ratio($0[Key.served], $0[Key.members]) },
        IndicatorDefinition(code: "party.functional_groups_per_community", name: "每个社区功能型党小组数", group: "社区党建",
                            numerator: "功能型党小组（专业型、特长型、社会型、中心型）", denominator: "社区数", unit: "个",
                            target: nil, clause: clauseGroups, needs: nil) { .ratio($0[Key.functionalGroups], $0[Key.communities], scale: 1) },
        IndicatorDefinition(code: "party.service_hours", name: "党员志愿服务时长", group: "社区党建",
                            numerator: "本年经核实的党员志愿服务时长", denominator: nil, unit: "小时",
                            target: nil, clause: clauseService, needs: nil) { .count($0[Key.minutes] / 60) },
    ]
}
