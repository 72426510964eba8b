/// The indicators of the plan (泰州医药高新区社区建设与管理"十三五"专项规划) and of the platform's own
/// work: every capability's, in the order of the capability list (the server builds it).
public struct IndicatorCatalog: Sendable {
    public let all: [IndicatorDefinition]
    private let byCode: [String: IndicatorDefinition]

    public init(_ definitions: [IndicatorDefinition]) {
        all = definitions
        byCode = Dictionary(definitions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func definition(_ code: String) -> IndicatorDefinition? { byCode[code] }
}
