/// 社区生活's indicators: venues opened to residents (and units' venues, the plan's 免费开放), hours booked this
/// year, activities held and their attendance, 普法 events.
public enum LifeIndicators {
    static let clause = "积极推进辖区单位文体科普设施向社区居民免费开放"
    static let legalClause = "切实抓好社区普法工作"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        public static let venues = "life.venues_open"
        public static let unitVenues = "life.unit_venues_open"
        public static let minutesYear = "life.minutes_booked_year"
        public static let activitiesYear = "life.activities_held_year"
        public static let attendanceYear = "life.attendance_year"
        public static let legalYear = "life.legal_events_year"
        public static let awardHouseholdsYear = "life.award_households_year"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "life.venues", name: "向居民开放的文体场地", group: "社区文化", numerator: "登记并开放预约的场地（社区自有和辖区单位开放）",
                            denominator: nil, unit: "处", target: nil, clause: clause, needs: nil) { .count($0[Key.venues]) },
        IndicatorDefinition(code: "life.unit_venues", name: "辖区单位向居民开放的场地", group: "社区文化", numerator: "辖区单位登记开放、可预约的文体科普场地",
                            denominator: nil, unit: "处", target: nil, clause: clause, needs: nil) { .count($0[Key.unitVenues]) },
        IndicatorDefinition(code: "life.hours_booked_year", name: "本年场地预约时长", group: "社区文化", numerator: "本年1月1日以来场地预约的小时数（取消的不计）",
                            denominator: nil, unit: "小时", target: nil, clause: clause, needs: nil) { .count($0[Key.minutesYear] / 60) },
        IndicatorDefinition(code: "life.activities_year", name: "本年举办的社区文体活动", group: "社区文化", numerator: "本年举办并登记签到的文化、体育、科普、普法活动",
                            denominator: nil, unit: "场", target: nil, clause: "开发和开展一批富有地域特色的社区文化活动项目", needs: nil) { .count($0[Key.activitiesYear]) },
        IndicatorDefinition(code: "life.attendance_year", name: "本年参加社区活动人次", group: "社区文化", numerator: "本年举办的活动签到人次（含现场参加）",
                            denominator: nil, unit: "人次", target: nil, clause: "开发和开展一批富有地域特色的社区文化活动项目", needs: nil) { .count($0[Key.attendanceYear]) },
        IndicatorDefinition(code: "life.legal_events_year", name: "本年社区普法活动", group: "社区文化", numerator: "本年举办的社区普法宣传教育活动",
                            denominator: nil, unit: "场", target: nil, clause: legalClause, needs: nil) { .count($0[Key.legalYear]) },
        IndicatorDefinition(code: "life.award_households_year", name: "本年评为文明家庭、学习型家庭的家庭", group: "社区文化",
                            numerator: "本年度评选中评为文明家庭或学习型家庭的家庭（公示后评定）", denominator: nil, unit: "户", target: nil,
                            clause: "开展文明家庭创建活动", needs: nil) { .count($0[Key.awardHouseholdsYear]) },
    ]
}
