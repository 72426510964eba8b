/// 设施与服务圈's indicators: residents within each service circle and within reach of a few key kinds, and the
/// facilities per community. The plan sets no figure for them, so they are monitored.
public enum FacilitiesIndicators {
    static let clause = "科学规划和规范建设便民服务点,完善社区“10分钟”生活服务圈、卫生服务圈、文化服务圈"

    /// Kinds with an indicator of their own.
    public static let keyKinds: [FacilityKind] = [.market, .healthStation, .primarySchool, .elderlyStation, .cultureRoom]

    /// The keys of `IndicatorCounts.more` this capability fills (per community, from the coverage snapshot).
    public enum Key {
        public static let residents = "facilities.residents"
        public static let communities = "facilities.communities"
        public static let facilities = "facilities.count"
        /// Residents covered for a kind's code or a circle key (`circle10`).
        public static func covered(_ key: String) -> String { "facilities.covered.\(key)" }
    }

    public static let definitions: [IndicatorDefinition] = ServiceCircle.allCases.map { circle in
        IndicatorDefinition(code: "facilities.circle\(circle.rawValue)", name: "\(circle.label)覆盖居民占比", group: "设施与文化",
                            numerator: "所住楼栋在\(circle.label)各类设施服务半径内（直线距离×绕行系数）的居民", denominator: "有楼栋位置的在册居民",
                            unit: "%", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.covered("circle\(circle.rawValue)")], $0[Key.residents])
        }
    } + keyKinds.map { kind in
        IndicatorDefinition(code: "facilities.kind.\(kind.rawValue)", name: "\(kind.label)服务半径覆盖居民占比", group: "设施与文化",
                            numerator: "所住楼栋在最近\(kind.label)服务半径内的居民", denominator: "有楼栋位置的在册居民",
                            unit: "%", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.covered(kind.rawValue)], $0[Key.residents])
        }
    } + [
        IndicatorDefinition(code: "facilities.per_community", name: "村/社区平均服务设施数", group: "设施与文化",
                            numerator: "设施台账登记的服务设施", denominator: "村/社区数", unit: "处", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.facilities], $0[Key.communities], scale: 1)
        },
    ]
}
