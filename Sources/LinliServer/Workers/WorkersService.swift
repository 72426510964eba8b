import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社工队伍's queries for this request.
    var workers: WorkersQueries {
        let linli = application.linli
        return WorkersQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var workersActor: WorkersActor {
        let p = principal?.role.permissions ?? []
        return WorkersActor(audit: auditActor, scope: registryScope, mayManage: p.contains(.workersManage), mayGrades: p.contains(.workersGrades))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum WorkersService {
    struct WorkerBody: Decodable {
        var name: String?
        var post: String?
        var employment: String?
        var divisionCode: String?
        var title: String?
        var phone: String?
        var hiredOn: String?
        var registrationNo: String?
        var registeredOn: String?
        var registrationValidTo: String?
        var account: String?
        var version: Int?
    }

    struct QualificationBody: Decodable { var level: String?; var certificateNo: String?; var obtainedOn: String? }
    struct TrainingBody: Decodable { var year: Int?; var hours: Int? }
    struct AppraisalBody: Decodable { var year: Int?; var scores: [Int]?; var result: String? }
    struct ReserveBody: Decodable { var level: String?; var reason: String?; var listedOn: String? }
    struct RemovalBody: Decodable { var reason: String? }
    struct ScaleBody: Decodable { var grades: [String: [Int]]?; var steps: [String: Int]? }

    static func date(_ raw: String?, _ field: String) throws -> CivilDate? { try OrganizationsService.date(raw, field) }

    static func choice<T: RawRepresentable & CaseIterable>(_ raw: String?, _ field: String, label: (T) -> String) throws -> T? where T.RawValue == String {
        try OrganizationsService.choice(raw, field, label: label)
    }

    static func input(_ b: WorkerBody) throws -> WorkerInput {
        WorkerInput(name: b.name, post: try choice(b.post, "post", label: { (p: WorkerPost) in p.label }),
                    employment: try choice(b.employment, "employment", label: { (e: EmploymentForm) in e.label }), title: b.title, phone: b.phone,
                    hiredOn: try date(b.hiredOn, "hired_on"), registrationNo: b.registrationNo, registeredOn: try date(b.registeredOn, "registered_on"),
                    registrationValidTo: try date(b.registrationValidTo, "registration_valid_to"), accountUsername: b.account)
    }

    static func create(_ req: Request, _ b: WorkerBody) async throws -> WorkerRecord {
        try await req.workers.create(division: b.divisionCode, try input(b), by: req.workersActor)
    }

    static func update(_ req: Request, id: UUID, _ b: WorkerBody) async throws -> WorkerRecord {
        try await req.workers.update(id, division: b.divisionCode, try input(b), version: try requireVersion(b.version), by: req.workersActor)
    }

    static func qualification(_ req: Request, id: UUID, _ b: QualificationBody) async throws -> [QualificationRecord] {
        try await req.workers.addQualification(id, level: try choice(b.level, "level", label: { (l: QualificationLevel) in l.label }),
                                               certificateNo: b.certificateNo, obtainedOn: try date(b.obtainedOn, "obtained_on"), by: req.workersActor)
    }

    static func appraisal(_ req: Request, id: UUID, _ b: AppraisalBody) async throws -> AppraisalRecord {
        try await req.workers.appraise(id, year: b.year, scores: b.scores ?? [], result: try choice(b.result, "result", label: { (r: AppraisalResult) in r.label }),
                                       by: req.workersActor)
    }

    static func reserve(_ req: Request, id: UUID, _ b: ReserveBody) async throws -> ReserveRecord {
        try await req.workers.addReserve(id, level: try choice(b.level, "level", label: { (l: ReserveLevel) in l.label }), reason: b.reason,
                                         on: try date(b.listedOn, "listed_on") ?? req.application.linli.today(), by: req.workersActor)
    }

    /// The scale as typed: classes and reasons by their codes; an unknown one is named.
    static func scale(_ b: ScaleBody) throws -> PayScale {
        var grades: [PostClass: [Int]] = [:], steps: [GradeStepReason: Int] = [:]
        for (k, v) in b.grades ?? [:] {
            guard let c = PostClass(rawValue: k) else { throw RegistryError.invalid([FieldError("grades", "岗位类别可选：\(PostClass.allCases.map(\.rawValue).joined(separator: "、"))")]) }
            grades[c] = v
        }
        for (k, v) in b.steps ?? [:] {
            guard let r = GradeStepReason(rawValue: k) else { throw RegistryError.invalid([FieldError("steps", "调整事由可选：\(GradeStepReason.allCases.map(\.rawValue).joined(separator: "、"))")]) }
            steps[r] = v
        }
        return PayScale(grades: grades, steps: steps)
    }

    /// A worker in the caller's area.
    static func find(_ req: Request, id: UUID) async throws -> WorkerRecord {
        guard let w = try await req.workers.worker(id, in: req.registryScope) else { throw RegistryError.notFound("社区工作者") }
        return w
    }

    /// The record linked to the signed-in account.
    static func own(_ req: Request) async throws -> WorkerRecord {
        guard let username = req.principal?.account.username, let w = try await req.workers.worker(account: username) else {
            throw RegistryError.notFound("与您的账号关联的社区工作者记录")
        }
        return w
    }

    /// The roster's filter from the query (`q`, `post`, `employment`, `qualified`, `expiring`).
    static func filter(_ req: Request) throws -> WorkerFilter {
        WorkerFilter(text: try req.queryString("q", maxLength: 30), post: try req.queryEnum("post", WorkerPost.self),
                     employment: try req.queryEnum("employment", EmploymentForm.self), qualified: try req.queryBool("qualified"),
                     expiring: try req.queryBool("expiring") ?? false)
    }

    /// The roster of the caller's area as .xlsx (audited).
    static func export(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actor = req.workersActor
        actor.scope = try req.narrowedScope()
        try await req.workers.export(try filter(req), to: path, by: actor)
        return ListExport.download(path: path, name: "社区工作者花名册.xlsx", format: "xlsx")
    }

    /// The year of the figures: `year` within 2000…this year, last year by default (appraisals are of a past year).
    static func year(_ req: Request) throws -> Int {
        let today = req.application.linli.today()
        return try req.queryInt("year", in: 2000...today.year) ?? today.year - 1
    }
}
