import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/requests`: residents' requests and grid events, handled to the end with a visible trail.
struct RequestsAPI {
    let submitLimiter: RateLimiter

    func boot(_ routes: Routes) {
        routes.get("request-categories", needs: .open, use: categories)
        routes.patch("request-categories", ":code", needs: .permission(.categoriesManage), use: updateCategory)
        routes.get("departments", needs: .permission(.requestsRead), use: departments)
        let requests = routes.grouped("requests")
        requests.get(needs: .permission(.requestsRead), use: list)
        // Open to anyone (a resident's report); a signed-in account reports as itself.
        requests.on(.POST, needs: .anonymousOr(.requestsRead), body: .collect(maxSize: "64kb"), use: submit)
        requests.get("supervision", needs: .permission(.requestsSupervise), use: supervision)
        requests.get("figures", needs: .permission(.requestsRead), use: figures)
        // Not under /requests: a path of its own cannot be taken for a request's id by any method.
        routes.get("exports", "requests", needs: .permission(.requestsRead), use: export)
        requests.get(":id", needs: .permission(.requestsRead), use: show)
        // Photos ride with the step: a multipart body of up to six images of 5 MB.
        requests.on(.POST, ":id", "actions", needs: .permission(.requestsHandle), body: .collect(maxSize: "32mb"), use: act)
        requests.get(":id", "contact", needs: .permission(.requestsHandle), use: contact)
        requests.get(":id", "photos", ":photo", needs: .permission(.requestsRead), use: photo)
        // Open to anyone with the number and access code; refused otherwise as not found.
        let track = requests.grouped("track", ":number")
        track.get(needs: .open, use: trackShow)
        track.post("rating", needs: .open, use: trackRate)
        track.post("reopen", needs: .open, use: trackReopen)
    }

    // MARK: Categories

    func categories(req: Request) async throws -> JSONBody<[CategoryDTO]> {
        JSONBody(CategoryDTO.tree(try await req.requestQueries.categories(includeInactive: try req.queryBool("all") == true)))
    }

    struct CategoryInput: Decodable {
        var name: String?
        var limitHours: Int?
        var level: String?
        var departmentCode: String??
        var active: Bool?
        var version: Int?
    }

    func updateCategory(req: Request) async throws -> JSONBody<CategoryDTO> {
        try req.require(.categoriesManage)
        guard let code = req.parameters.get("code"), RequestCategoryDefinition.isValidCode(code) else {
            throw ProblemError.badRequest("code", "类别代码格式有误")
        }
        let i = try req.decodeJSON(CategoryInput.self)
        let patch = CategoryPatch(name: i.name, limitHours: i.limitHours, level: i.level, department: i.departmentCode, active: i.active,
                                  version: try requireVersion(i.version))
        return JSONBody(CategoryDTO(try await req.requestQueries.updateCategory(code: code, patch, by: req.auditActor)))
    }

    func departments(req: Request) async throws -> JSONBody<[DepartmentDefinition]> {
        try req.require(.requestsRead)
        return JSONBody(try await req.requestQueries.departments())
    }

    // MARK: Lists

    func list(req: Request) async throws -> JSONBody<PageDTO<RequestDTO>> {
        try req.require(.requestsRead)
        let filter = try Self.requestFilter(req)
        let now = req.nowSeconds
        let page = try await req.requestQueries.list(in: req.requestScope, filter: filter, now: now, page: try req.pageRequest())
        let names = try await RequestNames.load(req.requestQueries)
        return JSONBody(PageDTO(page) { RequestDTO($0, names: names, now: now) })
    }

    /// The list as .xlsx or .csv, with the same filters (`format=xlsx|csv`).
    func export(req: Request) async throws -> Response {
        try req.require(.requestsRead)
        return try await ListExport.requests(req, filter: try Self.requestFilter(req))
    }

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

    struct SupervisionDTO: Encodable, Sendable {
        var items: [RequestDTO]
        var total: Int
        var page: Int
        var perPage: Int
        var red: Int
        var yellow: Int
        var byCommunity: [Supervision.CommunityCards]
    }

    func supervision(req: Request) async throws -> JSONBody<SupervisionDTO> {
        try req.require(.requestsSupervise)
        let now = req.nowSeconds
        let s = try await req.requestQueries.supervision(in: req.requestScope, now: now, page: try req.pageRequest())
        let names = try await RequestNames.load(req.requestQueries)
        return JSONBody(SupervisionDTO(items: s.items.map { RequestDTO($0, names: names, now: now) }, total: s.total, page: s.page,
                                       perPage: s.perPage, red: s.red, yellow: s.yellow, byCommunity: s.byCommunity))
    }

    func figures(req: Request) async throws -> JSONBody<RequestFigures> {
        try req.require(.requestsRead)
        var scope = req.requestScope
        if let area = try req.queryDivisionCode("area") {
            guard case .area(let prefix) = scope, area.value.hasPrefix(prefix) else { throw RegistryError.notFound("区划") }
            scope = .area(prefix: area.scopePrefix)
        }
        return JSONBody(try await req.requestQueries.figures(in: scope))
    }

    // MARK: One request

    func show(req: Request) async throws -> JSONBody<RequestDTO> {
        try req.require(.requestsRead)
        let q = req.requestQueries
        guard let r = try await q.find(id: try req.pathUUID(), in: req.requestScope) else { throw RegistryError.notFound("事项") }
        return JSONBody(try await detail(r, req: req))
    }

    func detail(_ r: RequestRecord, req: Request, accessCode: String? = nil) async throws -> RequestDTO {
        let q = req.requestQueries
        var dto = RequestDTO(r, names: try await RequestNames.load(q), now: req.nowSeconds)
        dto.attach(steps: try await q.steps(of: r.id), photoBase: "/api/v1/requests/\(r.id.uuidString.lowercased())",
                   internalNotes: req.seesInternalNotes)
        dto.actions = Self.allowedActions(r, req: req).map(\.rawValue)
        dto.accessCode = accessCode
        return dto
    }

    /// The steps the caller may take on `r` now.
    static func allowedActions(_ r: RequestRecord, req: Request) -> [RequestAction] {
        let party = req.requestParty(for: r)
        return RequestWorkflow.actions(from: r.status).filter {
            RequestRules.allows($0, by: party, holder: r.holderCode, handler: r.handler, area: r.areaCode)
        }
    }

    struct SubmitInput: Decodable {
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

    /// Residents (signed in or not) and workers report. A reporter without an account gets an access code.
    func submit(req: Request) async throws -> JSONBody<RequestDTO> {
        let submitted = try await Self.submit(try req.decodeJSON(SubmitInput.self), req: req, limiter: submitLimiter)
        var dto = RequestDTO(submitted.request, names: try await RequestNames.load(req.requestQueries), now: req.nowSeconds)
        dto.accessCode = submitted.accessCode
        return JSONBody(dto, status: .created)
    }

    /// A report from the caller, as the API and the residents' portal take it: a signed-in account needs
    /// `requestsRead`, an anonymous reporter is rate-limited by address.
    static func submit(_ i: SubmitInput, req: Request, limiter: RateLimiter) async throws -> SubmittedRequest {
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

    struct ActionInput: Decodable {
        var action: String?
        /// Internal: the staff's own note, never shown to the reporter or the public.
        var note: String?
        /// Public: the answer to the reporter (tracking page, Open311).
        var reply: String?
        var handler: String?
        var version: Int?
        var photos: [File]?
    }

    /// One step of the workflow: JSON, or multipart/form-data when photos come with it.
    func act(req: Request) async throws -> JSONBody<RequestDTO> {
        try req.require(.requestsHandle)
        let id = try req.pathUUID()
        let input: ActionInput
        if req.headers.contentType == .formData {
            do { input = try req.content.decode(ActionInput.self) } catch let refused as ProblemError {
                throw refused
            } catch {
                throw ProblemError.badRequest("body", "表单格式有误（multipart/form-data：action、note、reply、handler、version、photos[]）")
            }
        } else {
            input = try req.decodeJSON(ActionInput.self)
        }
        let r = try await Self.takeStep(req, id: id, action: input.action, note: input.note, reply: input.reply, handler: input.handler,
                                        version: input.version, photos: input.photos ?? [])
        return JSONBody(try await detail(r, req: req))
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

    struct ContactDTO: Encodable, Sendable {
        var number: String
        var reporterName: String?
        var contact: String?
    }

    /// The reporter's full contact details, for the handler who calls back. Every view is audited.
    func contact(req: Request) async throws -> JSONBody<ContactDTO> {
        try req.require(.requestsHandle)
        let q = req.requestQueries
        guard let r = try await q.find(id: try req.pathUUID(), in: req.requestScope) else { throw RegistryError.notFound("事项") }
        let contact = try await Self.contact(of: r, req: req)
        return JSONBody(ContactDTO(number: r.number, reporterName: r.reporterName, contact: contact))
    }

    func photo(req: Request) async throws -> Response {
        try req.require(.requestsRead)
        return try await Self.photoResponse(req)
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

    // MARK: Following by number

    /// The request a number and an access code open, or the signed-in reporter's own.
    func tracked(_ req: Request, code: String?) async throws -> RequestRecord {
        try await Self.tracked(req, number: req.parameters.get("number"), code: code)
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

    func trackShow(req: Request) async throws -> JSONBody<TrackedRequestDTO> {
        let r = try await tracked(req, code: try req.queryString("code", maxLength: 20))
        let q = req.requestQueries
        return JSONBody(TrackedRequestDTO(r, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds))
    }

    struct FeedbackInput: Decodable {
        var code: String?
        var rating: Int?
        var comment: String?
        var note: String?
    }

    func trackRate(req: Request) async throws -> JSONBody<TrackedRequestDTO> {
        let i = try req.decodeJSON(FeedbackInput.self)
        let r = try await tracked(req, code: i.code)
        let q = req.requestQueries
        let rated = try await Self.rate(r, rating: i.rating, comment: i.comment, req: req)
        return JSONBody(TrackedRequestDTO(rated, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds))
    }

    func trackReopen(req: Request) async throws -> JSONBody<TrackedRequestDTO> {
        let i = try req.decodeJSON(FeedbackInput.self)
        let r = try await tracked(req, code: i.code)
        let q = req.requestQueries
        let reopened = try await Self.reopen(r, note: i.note, req: req)
        return JSONBody(TrackedRequestDTO(reopened, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds))
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
