import Foundation
import LinliCore
import LinliData

/// A case as lists and the file show it: no incomes, assets or health.
struct AssistanceCaseDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var kind: AssistanceKind
    var kindLabel: String
    var stage: AssistanceStage
    var stageLabel: String
    var householdId: UUID
    var householdNumber: String?
    var applicantId: UUID
    var applicantName: String?
    var gridCode: String
    var area: AssistanceArea
    var members: Int
    /// 元：monthly for 低保, 特困 and the subsidies, once for the others.
    var amount: Int
    var monthly: Bool
    var acceptedOn: String
    var dueOn: String
    var overdue: Bool
    var decidedOn: String?
    var noticeFrom: String?
    var noticeTo: String?
    var approvalLevel: ApprovalLevel
    var grantedFirst: Bool
    var firstMonth: String?
    var nextRecheckOn: String?
    var recheckDue: Bool
    var endedOn: String?
    var reason: String?
    var actions: [AssistanceAction]
    var version: Int

    init(_ c: AssistanceCaseRecord, today: CivilDate) {
        id = c.id; number = c.number; kind = c.kind; kindLabel = c.kind.label; stage = c.stage; stageLabel = c.stage.label
        householdId = c.householdId; householdNumber = c.householdNumber; applicantId = c.applicantId; applicantName = c.applicantName
        gridCode = c.gridCode; area = c.area; members = c.members; amount = c.amount; monthly = c.kind.isMonthly; acceptedOn = c.acceptedOn
        dueOn = c.dueOn; overdue = c.stage.isPending && c.dueOn < today.description; decidedOn = c.decidedOn; noticeFrom = c.noticeFrom
        noticeTo = c.noticeTo; approvalLevel = c.approvalLevel; grantedFirst = c.grantedFirst; firstMonth = c.firstMonth
        nextRecheckOn = c.nextRecheckOn
        recheckDue = c.stage == .approved && (c.nextRecheckOn.map { $0 <= today.description } ?? false)
        endedOn = c.endedOn; reason = c.reason
        actions = AssistanceWorkflow.actions(kind: c.kind, from: c.stage, grantedFirst: c.grantedFirst); version = c.version
    }
}

struct AssistanceMemberDTO: Encodable, Sendable {
    var residentId: UUID
    var name: String
    var idNumberMasked: String
    var birthDate: String
    var relation: HouseholdRelation
    var lifeStatus: LifeStatus
    init(_ m: AssistanceMemberRecord) {
        residentId = m.residentId; name = m.name; idNumberMasked = m.idMasked; birthDate = m.birthDate; relation = m.relation; lifeStatus = m.lifeStatus
    }
}

struct AssistanceStepDTO: Encodable, Sendable {
    var action: AssistanceAction
    var actionLabel: String
    var fromStage: AssistanceStage
    var toStage: AssistanceStage
    var actor: String
    var at: Date
    var doneOn: String
    var note: String?
    var detail: [String: String]?
    init(_ s: AssistanceStepRecord) {
        action = s.action; actionLabel = s.action.label; fromStage = s.fromStage; toStage = s.toStage; actor = s.actor
        at = Date(timeIntervalSince1970: TimeInterval(s.at)); doneOn = s.doneOn; note = s.note
        detail = s.detail.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }
}

struct AssistanceAttachmentDTO: Encodable, Sendable {
    var id: UUID
    var label: String
    var contentType: String
    var size: Int
    init(_ a: AssistanceAttachmentRecord) { id = a.id; label = a.label; contentType = a.contentType; size = a.size }
}

struct AssistanceRecheckDTO: Encodable, Sendable {
    var dueOn: String
    var doneOn: String
    var outcome: RecheckOutcome
    var oldAmount: Int
    var newAmount: Int
    var reason: String?
    var doneBy: String
    init(_ r: AssistanceRecheckRecord) {
        dueOn = r.dueOn; doneOn = r.doneOn; outcome = r.outcome; oldAmount = r.oldAmount; newAmount = r.newAmount; reason = r.reason; doneBy = r.doneBy
    }
}

struct AssistanceObjectionDTO: Encodable, Sendable {
    var id: UUID
    var caseId: UUID
    var caseNumber: String?
    var lodgedAt: Date
    var text: String
    var status: ObjectionStatus
    var handledBy: String?
    var handlingNote: String?
    init(_ o: AssistanceObjectionRecord) {
        id = o.id; caseId = o.caseId; caseNumber = o.caseNumber; lodgedAt = Date(timeIntervalSince1970: TimeInterval(o.lodgedAt)); text = o.text
        status = o.status; handledBy = o.handledBy; handlingNote = o.handlingNote
    }
}

/// A case's file: the case, its members (masked), steps, attachments, re-checks and objections.
struct AssistanceFileDTO: Encodable, Sendable {
    var `case`: AssistanceCaseDTO
    var members: [AssistanceMemberDTO]
    var steps: [AssistanceStepDTO]
    var attachments: [AssistanceAttachmentDTO]
    var rechecks: [AssistanceRecheckDTO]
    var objections: [AssistanceObjectionDTO]
    /// A member died or moved out: the case is up for review.
    var reviewNeeded: Bool
}

/// The declaration of a case, in yuan: the full view (audited).
struct DeclaredFactsDTO: Codable, Sendable {
    struct Income: Codable, Sendable {
        var source: IncomeSource?
        var period: IncomePeriod?
        var amount: Double?
    }
    struct Member: Codable, Sendable {
        var residentId: String?
        var age: Int?
        var labourCapacity: LabourCapacity?
        var disabilityGrade: Int?
        var illness: String?
        var incomes: [Income]?
        var monthlyIncome: Double?
    }
    struct Assets: Codable, Sendable {
        var deposits: Double?
        var vehicles: Int?
        var dwellings: Int?
    }
    var members: [Member]?
    var assets: Assets?
    var monthlyIncome: Double?
    var hasAbleSupporter: Bool?
    var emergency: String?
    var expense: Double?
    var requested: Double?

    init(_ f: DeclaredFacts) {
        members = f.members.map { m in
            Member(residentId: m.residentId, age: m.age, labourCapacity: m.labourCapacity, disabilityGrade: m.disabilityGrade, illness: m.illness,
                   incomes: m.incomes.map { Income(source: $0.source, period: $0.period, amount: Double($0.amount) / 100) },
                   monthlyIncome: Double(m.monthlyIncome) / 100)
        }
        assets = Assets(deposits: Double(f.assets.deposits) / 100, vehicles: f.assets.vehicles, dwellings: f.assets.dwellings)
        monthlyIncome = Double(f.monthlyIncome) / 100; hasAbleSupporter = f.hasAbleSupporter; emergency = f.emergency
        expense = Double(f.expense) / 100; requested = Double(f.requested) / 100
    }

    /// As typed, checked for what cannot be a number of yuan; the rules check the rest.
    func facts() throws -> DeclaredFacts {
        var errors = FieldErrors()
        func fen(_ v: Double?, _ field: String) -> Int {
            guard let v else { return 0 }
            guard let f = Money.fen(yuan: v) else { errors.add(field, "金额应为不小于0的数"); return 0 }
            return f
        }
        let members = (members ?? []).enumerated().map { i, m in
            DeclaredMember(residentId: m.residentId ?? "", age: 0, labourCapacity: m.labourCapacity ?? .full, disabilityGrade: m.disabilityGrade,
                           illness: m.illness?.trimmedOrNil.map { String($0.prefix(200)) },
                           incomes: (m.incomes ?? []).enumerated().map { j, inc in
                               DeclaredIncome(source: inc.source ?? .other, period: inc.period ?? .month,
                                              amount: fen(inc.amount, "members[\(i)].incomes[\(j)].amount"))
                           })
        }
        let a = assets
        if (a?.vehicles ?? 0) < 0 || (a?.dwellings ?? 0) < 0 { errors.add("assets", "车辆、住房数量不能为负数") }
        let f = DeclaredFacts(members: members,
                              assets: DeclaredAssets(deposits: fen(a?.deposits, "assets.deposits"), vehicles: a?.vehicles ?? 0, dwellings: a?.dwellings ?? 0),
                              statedMonthlyIncome: fen(monthlyIncome, "monthly_income"), hasAbleSupporter: hasAbleSupporter ?? false,
                              emergency: emergency?.trimmedOrNil.map { String($0.prefix(500)) },
                              expense: fen(expense, "expense"), requested: fen(requested, "requested"))
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        return f
    }
}

struct AssistanceNoticeDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var kind: AssistanceKind
    var kindLabel: String
    var name: String
    var members: Int
    var amount: Int
    var noticeFrom: String
    var noticeTo: String
    init(_ n: AssistanceNoticeRecord) {
        id = n.id; number = n.number; kind = n.kind; kindLabel = n.kind.label; name = n.maskedName; members = n.members; amount = n.amount
        noticeFrom = n.noticeFrom; noticeTo = n.noticeTo
    }
}

struct AssistanceStandardDTO: Codable, Sendable {
    var year: Int
    var area: AssistanceArea
    var dibao: Int
    var tekun: Int
    var disabilityLiving: Int
    var disabilityCare: Int
    var floor: Int
    var temporaryCap: Int
    var medicalPercent: Int
    var version: Int?
    var updatedBy: String?
    init(_ r: AssistanceStandardRecord) {
        year = r.year; area = r.area; dibao = r.dibao; tekun = r.tekun; disabilityLiving = r.disabilityLiving; disabilityCare = r.disabilityCare
        floor = r.floor; temporaryCap = r.temporaryCap; medicalPercent = r.medicalPercent; version = r.version; updatedBy = r.updatedBy
    }
    var standard: AssistanceStandard {
        AssistanceStandard(year: year, area: area, dibao: dibao, tekun: tekun, disabilityLiving: disabilityLiving, disabilityCare: disabilityCare,
                           floor: floor, temporaryCap: temporaryCap, medicalPercent: medicalPercent)
    }
}
