import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/care`: 居家养老 — the roll of elders (derived from the registry), assessments, plans, service
/// records, emergency calls, facilities and figures. Scoped and audited like the registry.
struct CareAPI {
    func boot(_ routes: Routes) {
        let care = routes.grouped("care")
        care.get("elders", needs: .permission(.careRead), use: roll)
        care.get("elders", ":id", needs: .permission(.careRead), use: file)
        care.post("elders", ":id", "assessments", needs: .permission(.careWrite), use: assess)
        care.put("elders", ":id", "plan", needs: .permission(.careWrite), use: savePlan)
        care.post("elders", ":id", "records", needs: .permission(.careWrite), use: addRecord)
        care.get("assessments", ":id", needs: .permission(.careFullView), use: fullAssessment)
        care.get("calls", needs: .permission(.careRead), use: calls)
        care.post("calls", needs: .permission(.careWrite), use: logCall)
        care.patch("calls", ":id", needs: .permission(.careWrite), use: actOnCall)
        care.get("facilities", needs: .permission(.careRead), use: facilities)
        care.post("facilities", needs: .permission(.careFacilities), use: createFacility)
        care.patch("facilities", ":id", needs: .permission(.careFacilities), use: updateFacility)
        care.get("figures", needs: .permission(.careRead), use: figures)
    }

    /// The caller's scope, or `division` inside it (404 outside).
    static func scope(_ req: Request) throws -> RegistryScope {
        try req.narrowedScope()
    }

    static func bool(_ req: Request, _ name: String) throws -> Bool {
        guard let raw = try req.queryString(name) else { return false }
        switch raw {
        case "true", "1": return true
        case "false", "0": return false
        default: throw ProblemError.badRequest(name, "参数 \(name) 应为 true 或 false")
        }
    }

    static func filter(_ req: Request) throws -> CareFilter {
        var f = CareFilter()
        f.gridCode = try req.queryDivisionCode("grid", level: .grid)?.value
        if let raw = try req.queryString("level") {
            if raw == "unassessed" { f.unassessed = true } else {
                guard let l = CareLevel(rawValue: raw) else {
                    throw ProblemError.badRequest("level", "参数 level 无效，可选值：\((CareLevel.allCases.map(\.rawValue) + ["unassessed"]).joined(separator: "、"))")
                }
                f.level = l
            }
        }
        f.flag = try req.queryEnum("flag", CareFlag.self)
        f.due = try bool(req, "due")
        f.missedVisit = try bool(req, "missed_visit")
        return f
    }

    func roll(req: Request) async throws -> JSONBody<PageDTO<CareElderDTO>> {
        try req.require(.careRead)
        let page = try await req.care.roll(in: try Self.scope(req), filter: try Self.filter(req), page: try req.pageRequest())
        let today = req.application.linli.today()
        return JSONBody(PageDTO(page) { CareElderDTO($0, today: today) })
    }

    /// An elder's care file: level and score (not the item scores), flags, assessments, plan, records, calls.
    func file(req: Request) async throws -> JSONBody<CareFileDTO> {
        try req.require(.careRead)
        let id = try req.pathUUID(), scope = req.registryScope, q = req.care
        guard let elder = try await q.inCare(id, in: scope) else { throw RegistryError.notFound("养老服务对象") }
        let today = req.application.linli.today()
        let calls = try await q.calls(in: scope, status: nil, resident: id, page: PageRequest(page: 1, perPage: 20)).items
        return JSONBody(CareFileDTO(elder: CareElderDTO(elder, today: today),
                                    assessments: try await q.assessments(of: id, in: scope).map(CareAssessmentDTO.init),
                                    plan: try await q.plan(of: id, in: scope).map(CarePlanDTO.init),
                                    records: try await q.records(of: id, in: scope).map(CareRecordDTO.init),
                                    calls: calls.map(CareCallDTO.init)))
    }

    struct AssessInput: Decodable {
        var scores: [String: Int]?
        var assessedOn: String?
        var note: String?
    }

    func assess(req: Request) async throws -> JSONBody<CareAssessmentDTO> {
        try req.require(.careWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(AssessInput.self)
        let a = try await req.care.assess(id, scores: i.scores, assessedOn: i.assessedOn, note: i.note, in: req.registryScope, by: req.auditActor)
        return JSONBody(CareAssessmentDTO(a), status: .created)
    }

    /// The item scores of one assessment: written to the audit log before they are shown.
    func fullAssessment(req: Request) async throws -> JSONBody<CareAssessmentDTO> {
        try req.require(.careFullView)
        guard case let (a, scores)? = try await req.care.fullAssessment(try req.pathUUID(), in: req.registryScope, by: req.auditActor) else {
            throw RegistryError.notFound("评估记录")
        }
        var dto = CareAssessmentDTO(a)
        dto.scores = scores.byCode
        return JSONBody(dto)
    }

    struct PlanServiceInput: Decodable {
        var service: String?
        var frequency: String?
        var providerKind: String?
        var providerName: String?
    }

    struct PlanInput: Decodable {
        var services: [PlanServiceInput]?
        var startsOn: String?
        var endsOn: String?
        var note: String?
        var version: Int?
        /// `under_60_reason` (the decoder's snake case reads it as `under60Reason`).
        var under60Reason: String?
    }

    func savePlan(req: Request) async throws -> Response {
        try req.require(.careWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(PlanInput.self)
        let draft = CarePlanDraft(services: i.services?.map { CarePlanService(service: $0.service ?? "", frequency: $0.frequency ?? "",
                                                                                providerKind: $0.providerKind ?? "", providerName: $0.providerName ?? "") },
                                  startsOn: i.startsOn, endsOn: i.endsOn, note: i.note, version: i.version, under60Reason: i.under60Reason)
        let p = try await req.care.savePlan(id, draft, in: req.registryScope, by: req.auditActor)
        return try JSONBody(CarePlanDTO(p), status: p.version == 1 ? .created : .ok).response()
    }

    struct RecordInput: Decodable {
        var service: String?
        var providedAt: Date?
        var durationMinutes: Int?
        var providerKind: String?
        var providerName: String?
        var feedback: String?
        var satisfaction: Int?
    }

    func addRecord(req: Request) async throws -> JSONBody<CareRecordDTO> {
        try req.require(.careWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(RecordInput.self)
        let r = try await req.care.addRecord(id, CareRecordDraft(service: i.service, providedAt: i.providedAt, durationMinutes: i.durationMinutes,
                                                                 providerKind: i.providerKind, providerName: i.providerName,
                                                                 feedback: i.feedback, satisfaction: i.satisfaction),
                                             in: req.registryScope, by: req.auditActor)
        return JSONBody(CareRecordDTO(r), status: .created)
    }

    // MARK: Calls

    func calls(req: Request) async throws -> JSONBody<PageDTO<CareCallDTO>> {
        try req.require(.careRead)
        let page = try await req.care.calls(in: try Self.scope(req), status: try req.queryEnum("status", CareCallStatus.self),
                                            open: try Self.bool(req, "open"), resident: try req.queryUUID("resident"), page: try req.pageRequest())
        return JSONBody(PageDTO(page, CareCallDTO.init))
    }

    struct CallInput: Decodable {
        var residentId: UUID?
        var receivedAt: Date?
        var assignedTo: String?
        var note: String?
    }

    func logCall(req: Request) async throws -> JSONBody<CareCallDTO> {
        try req.require(.careWrite)
        let i = try req.decodeJSON(CallInput.self)
        guard let rid = i.residentId else { throw RegistryError.invalid([FieldError("resident_id", "请选择呼叫的老人")]) }
        let c = try await req.care.logCall(resident: rid, receivedAt: i.receivedAt, assignedTo: i.assignedTo, note: i.note,
                                           in: req.registryScope, by: req.auditActor)
        return JSONBody(CareCallDTO(c), status: .created)
    }

    struct CallActionInput: Decodable {
        var action: String?
        var assignedTo: String?
        var note: String?
        var version: Int?
    }

    func actOnCall(req: Request) async throws -> JSONBody<CareCallDTO> {
        try req.require(.careWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(CallActionInput.self)
        guard let action = i.action.flatMap(CareCallAction.init(rawValue:)) else {
            throw RegistryError.invalid([FieldError("action", "操作应为 assign（派单）、respond（登记响应）或 close（办结）")])
        }
        let c = try await req.care.act(on: id, action: action, assignedTo: i.assignedTo, note: i.note, version: try requireVersion(i.version),
                                       in: req.registryScope, by: req.auditActor)
        return JSONBody(CareCallDTO(c))
    }

    // MARK: Facilities

    func facilities(req: Request) async throws -> JSONBody<[CareFacilityDTO]> {
        try req.require(.careRead)
        let community = try req.queryDivisionCode("community", level: .community)?.value
        return JSONBody(try await req.care.facilities(in: try Self.scope(req), community: community).map(CareFacilityDTO.init))
    }

    struct FacilityInput: Decodable {
        var name: String?
        var kind: String?
        var communityCode: String?
        var address: String?
        var floorArea: Double?
        var beds: Int?
        var nursingBeds: Int?
        var setting: String?
        var version: Int?
    }

    func draft(_ i: FacilityInput) -> CareFacilityDraft {
        CareFacilityDraft(name: i.name, kind: i.kind, communityCode: i.communityCode, address: i.address, floorArea: i.floorArea, beds: i.beds,
                          nursingBeds: i.nursingBeds, setting: i.setting, version: i.version)
    }

    func createFacility(req: Request) async throws -> JSONBody<CareFacilityDTO> {
        try req.require(.careFacilities)
        var d = draft(try req.decodeJSON(FacilityInput.self))
        d.version = nil
        return JSONBody(CareFacilityDTO(try await req.care.saveFacility(nil, d, in: req.registryScope, by: req.auditActor)), status: .created)
    }

    func updateFacility(req: Request) async throws -> JSONBody<CareFacilityDTO> {
        try req.require(.careFacilities)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(FacilityInput.self)
        _ = try requireVersion(i.version)
        return JSONBody(CareFacilityDTO(try await req.care.saveFacility(id, draft(i), in: req.registryScope, by: req.auditActor)))
    }

    func figures(req: Request) async throws -> JSONBody<CareFiguresDTO> {
        try req.require(.careRead)
        return JSONBody(CareFiguresDTO(try await req.care.figures(in: try Self.scope(req))))
    }
}

extension Request {
    var care: CareQueries {
        let linli = application.linli
        return CareQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }
}
