import Foundation
import LinliCore
import LinliData

struct AdmissionTaskDTO: Encodable, Sendable {
    var id: UUID
    var departmentCode: String
    var departmentName: String?
    var kind: AdmissionTaskKind
    var kindLabel: String
    var title: String
    var content: String
    var basis: String
    var status: AdmissionStatus
    var statusLabel: String
    var reach: AdmissionReach
    var streetCode: String?
    var communityCount: Int?
    var frequency: AdmissionFrequency
    var validFrom: String
    var validTo: String
    var staff: String
    var fundsFen: Int64
    var power: String
    var note: String?
    var reviewedBy: String?
    var decidedBy: String?
    var decidedOn: String?
    var version: Int
    var createdBy: String

    init(_ t: AdmissionTaskRecord, departments: [String: String] = [:], communityCount: Int? = nil, staff showStaff: Bool = true) {
        id = t.id; departmentCode = t.departmentCode; departmentName = departments[t.departmentCode]; kind = t.kind; kindLabel = t.kind.label
        title = t.title; content = t.content; basis = t.basis; status = t.status; statusLabel = t.status.label; reach = t.reach; streetCode = t.streetCode
        self.communityCount = communityCount; frequency = t.frequency; validFrom = t.validFrom; validTo = t.validTo; staff = t.staff; fundsFen = t.fundsFen
        power = t.power; note = t.note; reviewedBy = showStaff ? t.reviewedBy : nil; decidedBy = showStaff ? t.decidedBy : nil; decidedOn = t.decidedOn
        version = t.version; createdBy = showStaff ? t.createdBy : ""
    }
}

struct AdmissionStepDTO: Encodable, Sendable {
    var action: AdmissionAction
    var actionLabel: String
    var note: String?
    var by: String
    var at: Int64

    init(_ s: AdmissionStepRecord) { action = s.action; actionLabel = s.action.label; note = s.note; by = s.byUser; at = s.at }
}

struct AdmissionTaskFileDTO: Encodable, Sendable {
    var task: AdmissionTaskDTO
    var communities: [String]
    var steps: [AdmissionStepDTO]
}

struct AdmissionPushDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var departmentCode: String
    var title: String
    var pushedOn: String
    var channel: AdmissionChannel
    var channelLabel: String
    var note: String
    var recordedBy: String

    init(_ p: AdmissionPushRecord) {
        id = p.id; communityCode = p.communityCode; departmentCode = p.departmentCode; title = p.title; pushedOn = p.pushedOn; channel = p.channel
        channelLabel = p.channel.label; note = p.note; recordedBy = p.recordedBy
    }
}

struct AdmissionFundsDTO: Encodable, Sendable {
    var id: UUID
    var taskId: UUID
    var communityCode: String
    var year: Int
    var amountFen: Int64
    var receivedOn: String

    init(_ f: AdmissionFundsRecord) {
        id = f.id; taskId = f.taskId; communityCode = f.communityCode; year = f.year; amountFen = f.amountFen; receivedOn = f.receivedOn
    }
}

struct AdmissionCommunityTaskDTO: Encodable, Sendable {
    var task: AdmissionTaskDTO
    var promisedFen: Int64
    var arrivedFen: Int64
    var fundsExecuted: Bool?
}

struct AdmissionCommunityDTO: Encodable, Sendable {
    var communityCode: String
    var communityName: String
    var tasks: [AdmissionCommunityTaskDTO]
    var checksAndPlaques: Int
    var unadmittedRefused: Int
}

struct AdmissionDepartmentDTO: Encodable, Sendable {
    var code: String
    var name: String
    var admitted: Int
    var refused: Int
    var pending: Int
    var unadmitted: Int

    init(_ f: AdmissionDepartmentFigures) { code = f.code; name = f.name; admitted = f.admitted; refused = f.refused; pending = f.pending; unadmitted = f.unadmitted }
}
