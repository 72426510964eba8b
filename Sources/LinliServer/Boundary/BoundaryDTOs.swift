import Foundation
import LinliCore
import LinliData

struct BoundaryOrderDTO: Encodable, Sendable {
    var id: UUID
    var kind: BoundaryKind
    var kindLabel: String
    var state: BoundaryState
    var stateLabel: String
    var summary: String
    var sources: [String]
    var newNames: [String]
    var receivingStreet: String?
    var target: String?
    var buildings: [String: Int]
    var effectiveOn: String
    var documentNo: String
    var documentTitle: String
    /// The codes given, once applied: retired code → successor, and the new divisions.
    var codes: [String: String]?
    var created: [String]?
    var createdBy: String
    var approvedBy: String?
    var version: Int

    init(_ o: BoundaryOrderRecord, names: [String: String]) {
        id = o.id; kind = o.kind; kindLabel = o.kind.label; state = o.state; stateLabel = o.state.label; summary = o.summary(names: names)
        sources = o.sources; newNames = o.newNames; receivingStreet = o.receivingStreet; target = o.target
        buildings = Dictionary(uniqueKeysWithValues: o.buildings.map { ($0.key.uuidString, $0.value) })
        effectiveOn = o.effectiveOn.description; documentNo = o.documentNo; documentTitle = o.documentTitle
        codes = o.plan?.codes; created = o.plan?.created.map(\.code); createdBy = o.createdBy; approvedBy = o.approvedBy; version = o.version
    }
}

struct BoundaryFiguresDTO: Encodable, Sendable {
    var code: String, name: String
    var residents: Int, households: Int, elders: Int, openRequests: Int, careRoll: Int, buildings: Int, grids: Int
    init(_ f: BoundaryFigures) {
        code = f.code; name = f.name; residents = f.residents; households = f.households; elders = f.elders; openRequests = f.openRequests
        careRoll = f.careRoll; buildings = f.buildings; grids = f.grids
    }
}

struct BoundaryPreviewDTO: Encodable, Sendable {
    struct NewDivisionDTO: Encodable, Sendable { var code: String; var name: String; var level: DivisionLevel; var parentCode: String; var predecessors: [String] }
    var before: [BoundaryFiguresDTO]
    var after: [BoundaryFiguresDTO]
    var created: [NewDivisionDTO]
    var codes: [String: String]
    var millis: Int

    init(_ p: BoundaryPreview, millis: Int) {
        before = p.before.map(BoundaryFiguresDTO.init); after = p.after.map(BoundaryFiguresDTO.init)
        created = p.plan.created.map { NewDivisionDTO(code: $0.code, name: $0.name, level: $0.level, parentCode: $0.parentCode, predecessors: $0.predecessors) }
        codes = p.plan.codes; self.millis = millis
    }
}

struct DivisionHistoryDTO: Encodable, Sendable {
    var recordKind: String, recordId: UUID, oldCode: String, newCode: String, orderId: UUID, effectiveOn: String, documentNo: String
    init(_ e: DivisionHistoryEntry) {
        recordKind = e.recordKind; recordId = e.recordId; oldCode = e.oldCode; newCode = e.newCode; orderId = e.orderId; effectiveOn = e.effectiveOn
        documentNo = e.documentNo
    }
}

struct RetiredDivisionDTO: Encodable, Sendable {
    var code: String, name: String, level: DivisionLevel, retiredOn: String, successorCode: String?, orderId: UUID?
    init(_ r: RetiredDivision) { code = r.code; name = r.name; level = r.level; retiredOn = r.retiredOn; successorCode = r.successorCode; orderId = r.orderId }
}

struct AccountFlagDTO: Encodable, Sendable {
    var id: UUID, accountId: UUID, username: String, oldCode: String, newCode: String, orderId: UUID
    init(_ f: AccountFlag) { id = f.id; accountId = f.accountId; username = f.username; oldCode = f.oldCode; newCode = f.newCode; orderId = f.orderId }
}
