/// 再就业培训's indicators: whether the training led to work, measured by the follow-up six months on.
public enum TrainingIndicators {
    public enum Key {
        /// Trainees who completed in the last twelve months.
        public static let completed = "training.completed_year"
        /// Completions whose six months are up (completed between 18 and 6 months ago): the follow-ups due.
        public static let followUpsDue = "training.followups_due"
        /// Of those, followed up.
        public static let followedUp = "training.followed_up"
        /// Of those, at work at the follow-up.
        public static let employed = "training.employed_6m"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "training.led_to_work", name: "培训后就业率", group: "就业援助",
                            numerator: "结业满6个月回访时已就业的人数", denominator: "结业满6个月的人数（6至18个月前结业）",
                            unit: "%", target: nil,
                            clause: "增强再就业培训针对性、实效性", needs: nil) {
            .ratio($0[Key.employed], $0[Key.followUpsDue])
        },
        IndicatorDefinition(code: "training.followed_up", name: "培训结业跟踪回访率", group: "就业援助",
                            numerator: "结业满6个月已回访的人数", denominator: "结业满6个月的人数（6至18个月前结业）",
                            unit: "%", target: nil,
                            clause: "增强再就业培训针对性、实效性", needs: nil) {
            .ratio($0[Key.followedUp], $0[Key.followUpsDue])
        },
        IndicatorDefinition(code: "training.completed_year", name: "近12个月培训结业人数", group: "就业援助",
                            numerator: "近12个月结业的学员", denominator: nil, unit: "人", target: nil,
                            clause: "增强再就业培训针对性、实效性", needs: nil) {
            .count($0[Key.completed])
        },
    ]
}
