import Foundation

/// What a form's field asks for: a measure of the catalogue (filled by the platform), a number or a text the
/// community types, or a list of people from a list measure.
public enum ReportFieldKind: String, Sendable, Codable, CaseIterable {
    case measure
    case number
    case text
    case list

    public var label: String {
        switch self {
        case .measure: "平台自动填报"
        case .number: "社区填写（数字）"
        case .text: "社区填写（文字）"
        case .list: "名单（平台自动生成）"
        }
    }

    /// Filled by the platform, not typed.
    public var automatic: Bool { self == .measure || self == .list }
}

/// A field of a form: the department's own column header and what fills it. The order of the fields is the
/// department's column order.
public struct ReportField: Sendable, Codable, Equatable {
    public var header: String
    public var kind: ReportFieldKind
    public var measure: String?
    public var filters: [String: String]

    public init(header: String, kind: ReportFieldKind, measure: String? = nil, filters: [String: String] = [:]) {
        self.header = header
        self.kind = kind
        self.measure = measure
        self.filters = filters
    }

    public var query: MeasureQuery? { measure.map { MeasureQuery(measure: $0, filters: filters) } }
}

/// A form as the department gives it.
public struct ReportFormInput: Sendable {
    public var title: String?
    public var referenceDate: CivilDate?
    public var dueDate: CivilDate?
    public var fields: [ReportField]?

    public init(title: String?, referenceDate: CivilDate?, dueDate: CivilDate?, fields: [ReportField]?) {
        self.title = title
        self.referenceDate = referenceDate
        self.dueDate = dueDate
        self.fields = fields
    }
}

/// The state of a community's return: a draft, submitted, or sent back (退回) for correction.
public enum ReturnStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case submitted
    case returned

    public var label: String {
        switch self {
        case .draft: "填报中"
        case .submitted: "已报送"
        case .returned: "已退回"
        }
    }
}

public enum ReturnAction: String, Sendable, CaseIterable {
    case save, submit, sendBack
}

public enum ReportRules {
    public static let titleMax = 100
    public static let headerMax = 60
    public static let fieldsMax = 60
    public static let textMax = 500
    public static let commentMax = 500
    /// A typed number: whole, within ±10^12 (money in yuan, people, events …).
    public static let numberBound: Int64 = 1_000_000_000_000

    /// The status a return moves to, or nil when the action is not allowed from `status` (nil: not started).
    public static let transitions: [ReturnStatus?: [ReturnAction: ReturnStatus]] = [
        nil: [.save: .draft, .submit: .submitted],
        .draft: [.save: .draft, .submit: .submitted],
        .submitted: [.sendBack: .returned],
        .returned: [.save: .returned, .submit: .submitted],
    ]

    public static func next(_ status: ReturnStatus?, _ action: ReturnAction) -> ReturnStatus? { transitions[status]?[action] }

    /// Errors of a form: title, dates (the due date not before the reference date, both within the task's
    /// period), and each field's header and kind. The measures are checked against the catalogue by `measureCheck`.
    public static func check(_ input: ReportFormInput, period: ClosedRange<CivilDate>?,
                             measureCheck: (MeasureQuery, String) -> [FieldError],
                             kindOf: (String) -> MeasureDefinition.Kind?) -> [FieldError] {
        var errors: [FieldError] = []
        let title = input.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty { errors.append(FieldError("title", "请填写报表名称")) }
        else if title.count > titleMax { errors.append(FieldError("title", "报表名称最多\(titleMax)个字")) }
        guard let ref = input.referenceDate else { return errors + [FieldError("reference_date", "请填写统计日期")] + checkFields(input.fields, measureCheck, kindOf) }
        if let due = input.dueDate {
            if due < ref { errors.append(FieldError("due_date", "报送截止日期不能早于统计日期")) }
            if let period, !period.contains(due) { errors.append(FieldError("due_date", "报送截止日期应在准入事项的有效期（\(period.lowerBound)至\(period.upperBound)）内")) }
        } else {
            errors.append(FieldError("due_date", "请填写报送截止日期"))
        }
        return errors + checkFields(input.fields, measureCheck, kindOf)
    }

    static func checkFields(_ fields: [ReportField]?, _ measureCheck: (MeasureQuery, String) -> [FieldError],
                            _ kindOf: (String) -> MeasureDefinition.Kind?) -> [FieldError] {
        guard let fields, !fields.isEmpty else { return [FieldError("fields", "报表至少要有一栏")] }
        guard fields.count <= fieldsMax else { return [FieldError("fields", "一张报表最多\(fieldsMax)栏")] }
        var errors: [FieldError] = [], seen = Set<String>()
        for (i, f) in fields.enumerated() {
            let at = "fields[\(i)]"
            let header = f.header.trimmingCharacters(in: .whitespacesAndNewlines)
            if header.isEmpty { errors.append(FieldError("\(at).header", "请填写第\(i + 1)栏的栏目名称")) }
            else if header.count > headerMax { errors.append(FieldError("\(at).header", "栏目名称最多\(headerMax)个字")) }
            else if !seen.insert(header).inserted { errors.append(FieldError("\(at).header", "栏目“\(header)”重复")) }
            switch f.kind {
            case .measure, .list:
                guard let q = f.query else { errors.append(FieldError("\(at).measure", "请选择第\(i + 1)栏对应的数据项")); continue }
                let found = measureCheck(q, at)
                errors += found
                if found.isEmpty, let kind = kindOf(q.measure), (kind == .list) != (f.kind == .list) {
                    errors.append(FieldError("\(at).measure", f.kind == .list ? "名单栏应选择名单类数据项" : "名单类数据项只能用于名单栏"))
                }
            case .number, .text:
                if f.measure != nil || !f.filters.isEmpty { errors.append(FieldError("\(at).measure", "社区填写的栏目不对应数据项")) }
            }
        }
        return errors
    }

    /// A typed value for a field the community fills: a whole number within the bound, or a text; empty is
    /// allowed while saving and refused on submitting.
    public static func checkTyped(_ value: String?, field: ReportField, index: Int, submitting: Bool) -> FieldError? {
        let at = "values[\(index)]"
        let v = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if v.isEmpty { return submitting ? FieldError(at, "请填写“\(field.header)”") : nil }
        switch field.kind {
        case .number:
            guard v.count <= 14, let n = Int64(v), n > -numberBound, n < numberBound else { return FieldError(at, "“\(field.header)”应为整数") }
            return nil
        case .text:
            return v.count > textMax ? FieldError(at, "“\(field.header)”最多\(textMax)个字") : nil
        case .measure, .list:
            return FieldError(at, "“\(field.header)”由平台自动填报，不能修改")
        }
    }

    /// The share of a form's fields filled by the platform, in percent (0 for no fields).
    public static func automaticShare(_ fields: [ReportField]) -> Double {
        fields.isEmpty ? 0 : Double(fields.filter { $0.kind.automatic }.count) * 100 / Double(fields.count)
    }
}
