import Foundation
import LinliCore
import LinliData
import Vapor

/// The requests' service layer: what the API handlers and the pages (console and portal) both do, each
/// call scoped to the caller. Handlers decode and map to DTOs; pages render; neither calls the other.
enum RequestService {
    /// The list's filters from the query string.
    static func requestFilter(_ req: Request) throws -> RequestFilter {
        var filter = RequestFilter()
        if let raw = try req.queryString("status", maxLength: 200) {
            for s in raw.split(separator: ",") {
                guard let v = RequestStatus(rawValue: String(s)) else {
                    throw ProblemError.badRequest("status", "参数 status 无效，可选值：\(RequestStatus.allCases.map(\.rawValue).joined(separator: "、"))")
                }
                filter.statuses.append(v)
            }
        }
        if let c = try req.queryString("category", maxLength: 12) {
            guard RequestCategoryDefinition.isValidCode(c) else { throw ProblemError.badRequest("category", "参数 category 应为类别代码") }
            filter.category = c
        }
        filter.level = try req.queryEnum("level", HandlingLevel.self)
        filter.area = try req.queryDivisionCode("area")?.scopePrefix
        filter.card = try req.queryEnum("card", DeadlineCard.self)
        return filter
    }

    /// The steps the caller may take on `r` now.
    static func allowedActions(_ r: RequestRecord, req: Request) -> [RequestAction] {
        let party = req.requestParty(for: r)
        return RequestWorkflow.actions(from: r.status).filter {
            RequestRules.allows($0, by: party, holder: r.holderCode, handler: r.handler, area: r.areaCode)
        }
    }

    /// A report as the API and the portal take it.
    struct Submission: Decodable {
        var categoryCode: String?
        var description: String?
        var buildingId: UUID?
        var latitude: Double?
        var longitude: Double?
        var address: String?
        var attributes: [String: String]?
        var name: String?
        var phone: String?
    }

    /// A report from the caller, as the API and the residents' portal take it: a signed-in account needs
    /// `requestsRead`, an anonymous reporter is rate-limited by address.
    static func submit(_ i: Submission, req: Request, limiter: RateLimiter) async throws -> SubmittedRequest {
        let principal = req.principal
        if let p = principal, !p.role.permissions.contains(.requestsRead) {
            throw ProblemError(status: .forbidden, detail: "\(p.role.label)不能上报事项")
        }
        if principal == nil, !limiter.allow(req.clientAddress, now: req.application.linli.now()) {
            throw ProblemError(status: .tooManyRequests, detail: "提交过于频繁，请稍后再试")
        }
        let channel = principal.map { [.gridWorker, .communityWorker].contains($0.role) ? "patrol" : "web" } ?? "web"
        let draft = RequestDraft(categoryCode: i.categoryCode, description: i.description, buildingID: i.buildingId, latitude: i.latitude,
                                 longitude: i.longitude, address: i.address, attributes: i.attributes ?? [:],
                                 reporterName: i.name ?? principal?.account.displayName, phone: i.phone, channel: channel)
        return try await req.requestQueries.submit(draft, reporter: req.auditActor, accountID: principal?.account.id, now: req.nowSeconds)
    }

    /// One step by the caller on a request of their scope (the API's actions and the console's forms).
    static func takeStep(_ req: Request, id: UUID, action raw: String?, note: String?, reply: String?, handler: String?, version: Int?,
                         photos files: [File]) async throws -> RequestRecord {
        guard let raw, let action = RequestAction(rawValue: raw) else {
            throw RegistryError.invalid([FieldError("action", "操作无效，可选：\(RequestAction.allCases.filter { $0 != .reopen }.map(\.rawValue).joined(separator: "、"))")])
        }
        let photos = files.map { PhotoUpload(data: Array($0.data.readableBytesView), filename: $0.filename) }
        let q = req.requestQueries
        guard let current = try await q.find(id: id, in: req.requestScope) else { throw RegistryError.notFound("事项") }
        let step = RequestStepInput(action: action, note: note, reply: reply, handler: handler, version: try requireVersion(version), photos: photos)
        return try await q.act(on: current, step, by: req.requestParty(for: current), actor: req.auditActor, now: req.nowSeconds)
    }

    /// The reporter's full contact, the view audited.
    static func contact(of r: RequestRecord, req: Request) async throws -> String? {
        let contact = try await req.requestQueries.contact(of: r)
        try await AuditLog.record(AuditEvent(RequestAudit.contactView, target: .request(r.seq)), by: req.auditActor, on: req.db,
                                  now: req.application.linli.now())
        return contact
    }

    /// A step's photo, of a request in the caller's scope (`:id`, `:photo`).
    static func photoResponse(_ req: Request) async throws -> Response {
        let q = req.requestQueries
        guard let r = try await q.find(id: try req.pathUUID(), in: req.requestScope) else { throw RegistryError.notFound("事项") }
        let photoID = try req.pathUUID("photo")
        guard let p = try await q.photos(of: r.id).first(where: { $0.id == photoID }) else { throw RegistryError.notFound("照片") }
        let response = Response(status: .ok, body: .init(data: try q.photoStore.read(p)))
        response.headers.replaceOrAdd(name: .contentType, value: p.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }

    static func tracked(_ req: Request, number: String?, code: String?) async throws -> RequestRecord {
        guard let number, number.count <= 12, let value = Int64(number) else {
            throw ProblemError.badRequest("number", "事项编号应为数字")
        }
        let q = req.requestQueries
        // A wrong code and a missing number look alike: numbers cannot be probed.
        let unknown = RegistryError.notFound("事项（请核对编号和查询码）")
        let found = try await q.find(number: number, in: .everything)
        if let r = found, let me = req.principal?.account.id, r.reporterAccountId == me { return r }
        // Without a code nothing is being guessed (and nothing is opened).
        guard let code, !code.isEmpty else { throw unknown }
        let guardian = req.application.trackingGuard, address = req.clientAddress, now = req.application.linli.now()
        let key = String(value)
        try guardian.check(number: key, address: address, now: now)
        guard let r = found, try await q.accessCodeMatches(code, request: r) else {
            guardian.failed(number: key, address: address, now: now)
            throw unknown
        }
        return r
    }

    /// The reporter's rating of a request opened by number and code (or their own).
    static func rate(_ r: RequestRecord, rating: Int?, comment: String?, req: Request) async throws -> RequestRecord {
        guard let score = rating else { throw RegistryError.invalid([FieldError("rating", "请选择1至5分")]) }
        return try await req.requestQueries.rate(id: r.id, score: score, comment: comment, actor: req.reporterActor(r), in: .everything,
                                                 now: req.nowSeconds)
    }

    /// The reporter reopens a request opened by number and code (or their own).
    static func reopen(_ r: RequestRecord, note: String?, req: Request) async throws -> RequestRecord {
        let party = RequestParty(role: req.principal?.role, division: req.principal?.account.divisionCode ?? "", isReporter: true)
        return try await req.requestQueries.act(on: r, RequestStepInput(action: .reopen, note: note, version: r.version), by: party,
                                                actor: req.reporterActor(r), now: req.nowSeconds)
    }
}

extension Request {
    var requestQueries: RequestQueries {
        let config = application.linli
        return RequestQueries(db, cipher: config.cipher, photos: application.requestQueries.photoStore)
    }

    var nowSeconds: Int64 { Int64(application.linli.now().timeIntervalSince1970) }

    /// The requests the caller sees: officers and workers their area, a department what is dispatched
    /// to it, a resident what they reported.
    var requestScope: RequestScope {
        guard let p = principal else { return .nothing }
        switch p.role {
        case .gridWorker, .communityWorker, .streetOfficer, .districtOfficer:
            return .area(prefix: RegistryScope(validatedCode: p.account.divisionCode).prefix)
        case .department: return p.account.departmentCode.map { .department($0) } ?? .nothing
        case .resident: return .reporter(p.account.id)
        default: return .nothing
        }
    }

    /// Staff's internal notes are for those who handle requests; a resident reading their own request sees only replies.
    var seesInternalNotes: Bool { principal?.role.permissions.contains(.requestsHandle) == true }

    func requestParty(for r: RequestRecord) -> RequestParty {
        guard let p = principal else { return RequestParty(role: nil, division: "") }
        return RequestParty(role: p.role, division: p.account.divisionCode, department: p.account.departmentCode,
                            isReporter: r.reporterAccountId == p.account.id)
    }

    /// An anonymous reporter acting with their access code is recorded as the request's reporter.
    func reporterActor(_ r: RequestRecord) -> AuditActor {
        if principal != nil { return auditActor }
        return AuditActor(id: nil, username: "(reporter of \(r.number))", role: "reporter", ip: clientAddress)
    }
}
