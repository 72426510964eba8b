/// The level of an administrative division in the district's hierarchy.
public enum DivisionLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case district, street, community, grid

    /// The name the UI shows.
    public var label: String {
        switch self {
        case .district: return "区"
        case .street: return "镇/街道"
        case .community: return "村/社区"
        case .grid: return "网格"
        }
    }

    public var depth: Int { DivisionLevel.allCases.firstIndex(of: self)! }
    public var child: DivisionLevel? { depth + 1 < DivisionLevel.allCases.count ? DivisionLevel.allCases[depth + 1] : nil }
    public static func < (a: DivisionLevel, b: DivisionLevel) -> Bool { a.depth < b.depth }
}

/// Whether a 村/社区-level division is a village (村民委员会) or an urban community (居民委员会).
public enum CommunityKind: String, Codable, Sendable, CaseIterable {
    case village = "村"
    case community = "社区"
}

/// An official division code: the 12-digit statistical division code (统计用区划代码: 6-digit county
/// code of GB/T 2260, 3-digit township, 3-digit village) and, below a community, the 15-digit grid code
/// (the community's code + 3 digits).
///
/// Because the codes nest, a division's subtree is every code that starts with its `scopePrefix`.
public struct DivisionCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let value: String
    public let level: DivisionLevel

    public enum Problem: Error, Equatable, Sendable {
        case format, level
        public var message: String {
            switch self {
            case .format: return "区划代码应为12位数字（网格为15位）"
            case .level: return "区划代码的层级无效"
            }
        }
    }

    public init(_ text: String) throws(Problem) {
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .format }
        switch text.utf8.count {
        case 12:
            let county = text.prefix(6), township = text.dropFirst(6).prefix(3), village = text.suffix(3)
            guard county.suffix(2) != "00" else { throw .level }
            if township == "000" {
                guard village == "000" else { throw .level }
                level = .district
            } else {
                level = village == "000" ? .street : .community
            }
        case 15:
            guard text.dropFirst(6).prefix(3) != "000", text.dropFirst(9).prefix(3) != "000",
                  text.suffix(3) != "000" else { throw .level }
            level = .grid
        default:
            throw .format
        }
        value = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    public var description: String { value }
    public static func < (a: DivisionCode, b: DivisionCode) -> Bool { a.value < b.value }

    /// Every code in this division's subtree (itself included) starts with this prefix.
    public var scopePrefix: String {
        switch level {
        case .district: return String(value.prefix(6))
        case .street: return String(value.prefix(9))
        case .community: return value
        case .grid: return value
        }
    }

    /// The enclosing division's code, nil for the district.
    public var parent: DivisionCode? {
        switch level {
        case .district: return nil
        case .street: return try? DivisionCode(String(value.prefix(6)) + "000000")
        case .community: return try? DivisionCode(String(value.prefix(9)) + "000")
        case .grid: return try? DivisionCode(String(value.prefix(12)))
        }
    }

    /// True when `other` lies in this division's subtree (or is this division).
    public func contains(_ other: DivisionCode) -> Bool {
        other.value.hasPrefix(scopePrefix) && other.level >= level
    }

    /// The code of the `number`-th child (1-based) of this division. For communities, villages take
    /// the statistical range 2xx and urban communities 0xx–1xx.
    public func child(_ number: Int, kind: CommunityKind? = nil) -> DivisionCode? {
        let n: Int
        switch level {
        case .street: n = kind == .village ? 200 + number : number
        default: n = number
        }
        guard (1...999).contains(n) else { return nil }
        let s = String(n), three = String(repeating: "0", count: 3 - s.count) + s
        switch level {
        case .district: return try? DivisionCode(String(value.prefix(6)) + three + "000")
        case .street: return try? DivisionCode(String(value.prefix(9)) + three)
        case .community: return try? DivisionCode(value + three)
        case .grid: return nil
        }
    }
}
