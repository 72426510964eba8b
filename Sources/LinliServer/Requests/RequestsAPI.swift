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
        let filter = try RequestService.requestFilter(req)
        let now = req.nowSeconds
        let page = try await req.requestQueries.list(in: req.requestScope, filter: filter, now: now, page: try req.pageRequest())
        let names = try await RequestNames.load(req.requestQueries)
        return JSONBody(PageDTO(page) { RequestDTO($0, names: names, now: now) })
    }

    /// The list as .xlsx or .csv, with the same filters (`format=xlsx|csv`).
    func export(req: Request) async throws -> Response {
        try req.require(.requestsRead)
        return try await ListExport.requests(req, filter: try RequestService.requestFilter(req))
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
        dto.actions = RequestService.allowedActions(r, req: req).map(\.rawValue)
        dto.accessCode = accessCode
        return dto
    }

    /// Residents (signed in or not) and workers report. A reporter without an account gets an access code.
    func submit(req: Request) async throws -> JSONBody<RequestDTO> {
        let submitted = try await RequestService.submit(try req.decodeJSON(RequestService.Submission.self), req: req, limiter: submitLimiter)
        var dto = RequestDTO(submitted.request, names: try await RequestNames.load(req.requestQueries), now: req.nowSeconds)
        dto.accessCode = submitted.accessCode
        return JSONBody(dto, status: .created)
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
        let r = try await RequestService.takeStep(req, id: id, action: input.action, note: input.note, reply: input.reply, handler: input.handler,
                                        version: input.version, photos: input.photos ?? [])
        return JSONBody(try await detail(r, req: req))
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
        let contact = try await RequestService.contact(of: r, req: req)
        return JSONBody(ContactDTO(number: r.number, reporterName: r.reporterName, contact: contact))
    }

    func photo(req: Request) async throws -> Response {
        try req.require(.requestsRead)
        return try await RequestService.photoResponse(req)
    }

    // MARK: Following by number

    /// The request a number and an access code open, or the signed-in reporter's own.
    func tracked(_ req: Request, code: String?) async throws -> RequestRecord {
        try await RequestService.tracked(req, number: req.parameters.get("number"), code: code)
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
        let rated = try await RequestService.rate(r, rating: i.rating, comment: i.comment, req: req)
        return JSONBody(TrackedRequestDTO(rated, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds))
    }

    func trackReopen(req: Request) async throws -> JSONBody<TrackedRequestDTO> {
        let i = try req.decodeJSON(FeedbackInput.self)
        let r = try await tracked(req, code: i.code)
        let q = req.requestQueries
        let reopened = try await RequestService.reopen(r, note: i.note, req: req)
        return JSONBody(TrackedRequestDTO(reopened, steps: try await q.steps(of: r.id), names: try await RequestNames.load(q), now: req.nowSeconds))
    }
}
