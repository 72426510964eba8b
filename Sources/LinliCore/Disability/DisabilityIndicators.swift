/// 助残康复's indicators: whether new card holders are assessed ("出现一个、扶助一个") and receive rehabilitation.
public enum DisabilityIndicators {
    static let clause = "完善社区助残服务体系，坚持“出现一个、扶助一个，扶助一个、解决一个”的宗旨，建立以先进康复技术为指导，机构康复、社区康复、家庭康复相互依托的残疾人康复服务机制"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Active card holders (living residents with a card not revoked).
        public static let holders = "disability.holders"
        public static let assessed = "disability.assessed"
        public static let inRehab = "disability.in_rehab"
        public static let overdue = "disability.assessment_overdue"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "disability.holders", name: "持证残疾人数", group: "助残康复", numerator: "持有效残疾人证的在册居民数",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.holders]) },
        IndicatorDefinition(code: "disability.assessed", name: "残疾人需求评估率", group: "助残康复", numerator: "做过需求评估的持证残疾人数",
                            denominator: "持证残疾人数", unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) {
            .ratio($0[Key.assessed], $0[Key.holders])
        },
        IndicatorDefinition(code: "disability.in_rehab", name: "残疾人康复服务覆盖率", group: "助残康复",
                            numerator: "近12个月接受过机构、社区或家庭康复服务的持证残疾人数", denominator: "持证残疾人数", unit: "%", target: nil,
                            clause: clause, needs: nil) { .ratio($0[Key.inRehab], $0[Key.holders]) },
        IndicatorDefinition(code: "disability.assessment_overdue", name: "逾期未评估的新持证人数", group: "助残康复",
                            numerator: "登记残疾人证超过30天仍未做需求评估的人数", denominator: nil, unit: "人", target: .init(.atMost, 0),
                            clause: clause, needs: nil) { .count($0[Key.overdue]) },
    ]
}
