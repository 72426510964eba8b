import Foundation
import LinliCore

public struct ReportFormRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var seriesId: UUID
    public var versionNo: Int
    public var taskId: UUID
    public var departmentCode: String
    public var title: String
    public var referenceDate: String
    public var dueDate: String
    /// JSON: `[ReportField]`.
    public var fields: String
    public var fieldCount: Int
    public var automaticCount: Int
    public var status: String
    public var version: Int
    public var createdBy: String
    public var createdAt: Int64

    public var fieldList: [ReportField] { (try? JSONDecoder().decode([ReportField].self, from: Data(fields.utf8))) ?? [] }
    public var isCurrent: Bool { status == "current" }
    public var reference: CivilDate? { CivilDate(referenceDate) }
    /// Percent of the fields the platform fills.
    public var automaticShare: Double { fieldCount == 0 ? 0 : Double(automaticCount) * 100 / Double(fieldCount) }
}

public struct ReportReturnRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var formId: UUID
    public var communityCode: String
    public var status: ReturnStatus
    /// JSON: `[String?]`, one per field of the form.
    public var answers: String
    public var automaticFields: Int
    public var comment: String?
    public var version: Int
    public var updatedBy: String
    public var updatedAt: Int64
    public var submittedBy: String?
    public var submittedAt: Int64?

    public var valueList: [String?] { (try? JSONDecoder().decode([String?].self, from: Data(answers.utf8))) ?? [] }
}

/// Who acts: the audit identity, the registry scope (communities), the department of a department account
/// (nil for the others), and what the role may do.
public struct ReportsActor: Sendable {
    public let audit: AuditActor
    public let scope: RegistryScope
    public let department: String?
    public let mayDesign: Bool
    public let mayFill: Bool
    public let mayReveal: Bool

    public init(audit: AuditActor, scope: RegistryScope, department: String?, mayDesign: Bool, mayFill: Bool, mayReveal: Bool) {
        self.audit = audit
        self.scope = scope
        self.department = department
        self.mayDesign = mayDesign
        self.mayFill = mayFill
        self.mayReveal = mayReveal
    }

    /// The communities of `form` this actor may see: all of them for the department that owns it; those in
    /// scope for the others.
    public func communities(of form: [String], department owner: String) -> [String] {
        if let department { return department == owner ? form : [] }
        return form.filter { scope.contains(code: $0) }
    }
}

enum ReportsJSON {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(v)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
