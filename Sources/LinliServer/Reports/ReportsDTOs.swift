import Foundation
import LinliCore
import LinliData

struct MeasureFilterDTO: Encodable, Sendable {
    var name: String
    var label: String
    var kind: String
    var choices: [String]?
    var min: Int?
    var max: Int?

    init(_ f: MeasureFilter) {
        name = f.name; label = f.label
        switch f.kind {
        case .choice(let c): kind = "choice"; choices = c.map(\.value)
        case .integer(let r): kind = "integer"; min = r.lowerBound; max = r.upperBound
        case .flag: kind = "flag"
        }
    }
}

struct MeasureDTO: Encodable, Sendable {
    var id: String
    var label: String
    var kind: String
    var unit: String
    var filters: [MeasureFilterDTO]
    var columns: [String]
    var note: String

    init(_ d: MeasureDefinition) {
        id = d.id; label = d.label; kind = d.kind.rawValue; unit = d.unit; filters = d.filters.map(MeasureFilterDTO.init); columns = d.columns.map(\.label); note = d.note
    }
}

struct ReportFieldDTO: Encodable, Sendable {
    var header: String
    var kind: ReportFieldKind
    var automatic: Bool
    var measure: String?
    var filters: [String: String]?

    init(_ f: ReportField) { header = f.header; kind = f.kind; automatic = f.kind.automatic; measure = f.measure; filters = f.kind.automatic ? f.filters : nil }
}

struct ReportFormDTO: Encodable, Sendable {
    var id: UUID
    var seriesId: UUID
    var versionNo: Int
    var taskId: UUID
    var departmentCode: String
    var title: String
    var referenceDate: String
    var dueDate: String
    var status: String
    var fields: [ReportFieldDTO]
    var automaticShare: Double
    var communities: [String]?
    var version: Int

    init(_ f: ReportFormRecord, communities: [String]? = nil) {
        id = f.id; seriesId = f.seriesId; versionNo = f.versionNo; taskId = f.taskId; departmentCode = f.departmentCode; title = f.title
        referenceDate = f.referenceDate; dueDate = f.dueDate; status = f.status; fields = f.fieldList.map(ReportFieldDTO.init)
        automaticShare = (f.automaticShare * 10).rounded() / 10; self.communities = communities; version = f.version
    }
}

struct ReportReturnDTO: Encodable, Sendable {
    var formId: UUID
    var communityCode: String
    var communityName: String?
    var status: String
    var statusLabel: String
    var values: [String?]
    var comment: String?
    var version: Int?
    var submittedBy: String?
    var submittedAt: Int64?

    init(form: UUID, community: String, name: String?, saved: ReportReturnRecord?, values: [String?]) {
        formId = form; communityCode = community; communityName = name; status = saved?.status.rawValue ?? "not_started"
        statusLabel = saved?.status.label ?? "未填报"; self.values = values; comment = saved?.comment; version = saved?.version
        submittedBy = saved?.submittedBy; submittedAt = saved?.submittedAt
    }
}

struct ReportTableDTO: Encodable, Sendable {
    var form: ReportFormDTO
    var columns: [String]
    var rows: [ReportReturnDTO]
    var submitted: Int
}

struct ReportListDTO: Encodable, Sendable {
    var header: String
    var columns: [String]
    var rows: [[String]]
    var masked: Bool
}
