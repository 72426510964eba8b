import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/residents`: the population registry.
struct ResidentsAPI {
    func boot(_ routes: Routes) {
        let residents = routes.grouped("residents")
        residents.get(needs: .permission(.registryRead), use: list)
        routes.get("exports", "residents", needs: .permission(.registryRead), use: export)
        residents.post(needs: .permission(.registryWrite), use: create)
        residents.get(":id", needs: .permission(.registryRead), use: show)
        residents.patch(":id", needs: .permission(.registryWrite), use: update)
        residents.get(":id", "events", needs: .permission(.registryRead), use: history)
        residents.post(":id", "events", needs: .permission(.registryWrite), use: recordEvent)
        residents.get(":id", "full", needs: .permission(.registryFullView), use: full)
    }

    /// Everyone in one's area (or `division` inside it) as .xlsx or .csv, numbers masked; audited.
    func export(req: Request) async throws -> Response {
        try req.require(.registryRead)
        let scope = try req.narrowedScope()
        return try await ListExport.residents(req, scope: scope)
    }

    /// Lists with filters, or searches when `q` is given (name, pinyin, initials or an ID number).
    func list(req: Request) async throws -> JSONBody<PageDTO<ResidentDTO>> {
        try req.require(.registryRead)
        let scope = try req.narrowedScope()
        var filter = ResidentFilter()
        filter.gridCode = try req.queryDivisionCode("grid", level: .grid)?.value
        filter.householdID = try req.queryUUID("household")
        filter.tag = try req.queryEnum("tag", ResidentTag.self)
        filter.ageMin = try req.queryInt("age_min", in: 0...150)
        filter.ageMax = try req.queryInt("age_max", in: 0...150)
        if let min = filter.ageMin, let max = filter.ageMax, min > max {
            throw ProblemError.badRequest("age_min", "age_min 不能大于 age_max")
        }
        filter.residenceStatus = try req.queryEnum("residence_status", ResidenceStatus.self)
        if let status = try req.queryString("life_status") {
            if status == "all" { filter.lifeStatus = nil } else {
                guard let s = LifeStatus(rawValue: status) else {
                    throw ProblemError.badRequest("life_status", "参数 life_status 无效，可选值：active、deceased、moved_out、all")
                }
                filter.lifeStatus = s
            }
        }
        let party = req.principal?.role.permissions.contains(.partyMembers) ?? false
        if filter.tag == .partyMember && !party { throw RegistryError.forbidden("党员信息仅限有党务权限的账号查看") }
        let page = try req.pageRequest()
        let queries = req.residents
        let result: ResultPage<ResidentRecord>
        if let q = try req.queryString("q", maxLength: 30) {
            switch ResidentQueries.classify(q) {
            case .success(let kind): result = try await queries.search(kind, in: scope, filter: filter, page: page)
            case .failure(let e): throw ProblemError.badRequest(e.field, e.message)
            }
        } else {
            result = try await queries.list(in: scope, filter: filter, page: page)
        }
        let today = req.application.linli.today()
        return JSONBody(PageDTO(result) { ResidentDTO($0, today: today, partyVisible: party) })
    }

    /// The most frequent read of all: answered from the read cache without a task hop when it can be.
    func show(req: Request) throws -> EventLoopFuture<Response> {
        try req.require(.registryRead)
        let id = try req.pathUUID(), scope = req.registryScope, today = req.application.linli.today()
        let party = req.principal?.role.permissions.contains(.partyMembers) ?? false
        @Sendable func respond(_ r: ResidentRecord) -> Response {
            let response = Response(status: .ok)
            response.headers.contentType = .json
            response.body = .init(buffer: ByteBuffer(bytes: ResidentDTO(r, today: today, partyVisible: party).json()))
            return response
        }
        if let hit = req.application.linli.residentCache?.get(id) {
            guard scope.contains(code: hit.gridCode) else { throw RegistryError.notFound("居民") }
            return req.eventLoop.makeSucceededFuture(respond(hit))
        }
        return req.eventLoop.makeFutureWithTask {
            guard let r = try await req.residents.find(id: id, in: scope) else { throw RegistryError.notFound("居民") }
            return respond(r)
        }
    }

    func create(req: Request) async throws -> JSONBody<ResidentDTO> {
        try req.require(.registryWrite)
        let i = try req.decodeJSON(ResidentCreateInput.self)
        let draft = ResidentDraft(name: i.name, idNumber: i.idNumber, phone: i.phone, householdID: i.householdId, relation: i.relation,
                                  residenceStatus: i.residenceStatus, tags: i.tags, origin: i.origin, occurredOn: i.occurredOn, note: i.note)
        let r = try await req.residents.create(draft, in: req.registryScope, by: req.auditActor)
        return JSONBody(ResidentDTO(r, today: req.application.linli.today()), status: .created)
    }

    func update(req: Request) async throws -> JSONBody<ResidentDTO> {
        try req.require(.registryWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(ResidentUpdateInput.self)
        let patch = ResidentPatch(name: i.name, idNumber: i.idNumber, phone: i.phone, relation: i.relation,
                                  residenceStatus: i.residenceStatus, tags: i.tags, note: i.note, version: try requireVersion(i.version))
        let r = try await req.residents.update(id: id, patch, in: req.registryScope, by: req.auditActor)
        return JSONBody(ResidentDTO(r, today: req.application.linli.today()))
    }

    func history(req: Request) async throws -> JSONBody<[ResidentEventDTO]> {
        try req.require(.registryRead)
        let party = req.principal?.role.permissions.contains(.partyMembers) ?? false
        guard let events = try await req.residents.history(of: try req.pathUUID(), in: req.registryScope)?
            .filter({ ResidentTag.historyShown(changes: $0.changes, partyMembers: party) }) else {
            throw RegistryError.notFound("居民")
        }
        return JSONBody(events.map(ResidentEventDTO.init))
    }

    func recordEvent(req: Request) async throws -> JSONBody<ResidentDTO> {
        try req.require(.registryWrite)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(ResidentEventInput.self)
        guard let kind = i.kind.flatMap(ResidentEventKind.init(rawValue:)), [.move, .death, .moveOut].contains(kind) else {
            throw RegistryError.invalid([FieldError("kind", "变动类型应为 move（户间迁移）、death（死亡）或 move_out（迁出）")])
        }
        let change = ResidentChange(kind: kind, occurredOn: i.occurredOn, toHouseholdID: i.toHouseholdId, relation: i.relation,
                                    note: i.note, version: try requireVersion(i.version))
        let r = try await req.residents.record(change, for: id, in: req.registryScope, by: req.auditActor)
        return JSONBody(ResidentDTO(r, today: req.application.linli.today()), status: .created)
    }
}

struct FullNumbersDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var idNumber: String
    var phone: String?
}

extension ResidentsAPI {
    /// The full ID and phone numbers: an explicit "show", each one in the audit log.
    func full(req: Request) async throws -> JSONBody<FullNumbersDTO> {
        try req.require(.registryFullView)
        guard let r = try await req.residents.fullNumbers(of: try req.pathUUID(), in: req.registryScope, by: req.auditActor) else {
            throw RegistryError.notFound("居民")
        }
        return JSONBody(FullNumbersDTO(id: r.record.id, name: r.record.name, idNumber: r.idNumber, phone: r.phone))
    }
}

extension Request {
    var residents: ResidentQueries {
        ResidentQueries(db, cipher: application.linli.cipher, today: application.linli.today(), cache: application.linli.residentCache)
    }
}
