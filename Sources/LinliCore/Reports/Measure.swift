/// The measure catalogue of report-once (一表通): what the platform can answer for a form's field.
/// Each capability contributes its measures through the capability kit; a form's automatic field names a
/// measure by its id and gives the filters that measure takes. Mapping a field is data, not code: adding a
/// measure to a capability makes it usable by every form.

/// A measure: a count or a sum over a capability's records, or a list of people, per community, as of a date.
public struct MeasureDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A number of records (people, households, requests …).
        case count
        /// A sum of an amount (yuan kept in fen, hours …), in `unit`.
        case sum
        /// A list of people, one row each, with `columns`.
        case list
    }

    /// `capability.measure`, e.g. `registry.residents`; stable, stored in forms.
    public let id: String
    /// The label a department sees when it maps a field (Chinese).
    public let label: String
    public let kind: Kind
    /// 人, 户, 件, 元, 小时 …
    public let unit: String
    /// The filters it takes; anything else is refused.
    public let filters: [MeasureFilter]
    /// For a list measure: its columns in order.
    public let columns: [MeasureColumn]
    /// How the number is worked out, shown next to the field (Chinese, one sentence).
    public let note: String

    public init(id: String, label: String, kind: Kind, unit: String, filters: [MeasureFilter] = [], columns: [MeasureColumn] = [], note: String = "") {
        self.id = id
        self.label = label
        self.kind = kind
        self.unit = unit
        self.filters = filters
        self.columns = columns
        self.note = note
    }

    /// The capability that contributes it (the part before the first dot).
    public var capability: String { String(id.prefix { $0 != "." }) }
}

/// A filter a measure takes: one of a set of values, a whole number in a range, or yes/no.
public struct MeasureFilter: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case choice([MeasureChoice])
        case integer(ClosedRange<Int>)
        case flag
    }

    public let name: String
    public let label: String
    public let kind: Kind

    public init(_ name: String, _ label: String, _ kind: Kind) {
        self.name = name
        self.label = label
        self.kind = kind
    }

    /// The value given for this filter, checked: nil when it is valid.
    public func check(_ value: String) -> String? {
        switch kind {
        case .choice(let choices):
            return choices.contains { $0.value == value } ? nil : "“\(label)”只能取：\(choices.map(\.label).joined(separator: "、"))"
        case .integer(let range):
            guard let n = Int(value), range.contains(n) else { return "“\(label)”应为 \(range.lowerBound) 至 \(range.upperBound) 的整数" }
            return nil
        case .flag:
            return value == "true" || value == "false" ? nil : "“\(label)”只能为 true 或 false"
        }
    }
}

public struct MeasureChoice: Sendable, Equatable {
    public let value: String
    public let label: String
    public init(_ value: String, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// A column of a list measure. Sensitive columns (ID numbers, phones, health, income) are masked unless the
/// reader's permission allows the full list, and a full list is audited.
public struct MeasureColumn: Sendable, Equatable {
    public let key: String
    public let label: String
    public let sensitive: Bool
    public init(_ key: String, _ label: String, sensitive: Bool = false) {
        self.key = key
        self.label = label
        self.sensitive = sensitive
    }
}

/// Checking a field's mapping against the catalogue.
public enum MeasureRules {
    /// Errors for a field that names `measureId` with `filters`, reported at `field` (e.g. `fields[3].measure`).
    public static func check(measureId: String, filters: [String: String], catalogue: [MeasureDefinition], field: String) -> [FieldError] {
        guard let m = catalogue.first(where: { $0.id == measureId }) else {
            return [FieldError("\(field).measure", "没有这个数据项：\(measureId)")]
        }
        var errors: [FieldError] = []
        for (name, value) in filters.sorted(by: { $0.key < $1.key }) {
            guard let f = m.filters.first(where: { $0.name == name }) else {
                errors.append(FieldError("\(field).filters.\(name)", "“\(m.label)”不接受筛选条件 \(name)"))
                continue
            }
            if let message = f.check(value) { errors.append(FieldError("\(field).filters.\(name)", message)) }
        }
        return errors
    }
}

/// A field's mapping: a measure and the filters given to it.
public struct MeasureQuery: Sendable, Hashable, Codable {
    public let measure: String
    public let filters: [String: String]
    public init(measure: String, filters: [String: String] = [:]) {
        self.measure = measure
        self.filters = filters
    }
}
