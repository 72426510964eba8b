import Foundation
import LinliCore
import LinliData
import Vapor

/// A course as the API gives it; `trainees` and the rest count the caller's area only.
struct TrainingCourseDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var kind: TrainingKind
    var kindLabel: String
    var trade: String?
    var provider: String
    var areaCode: String
    var startsOn: String
    var endsOn: String
    var hours: Int
    var capacity: Int
    var enrolled: Int
    var version: Int

    init(_ c: TrainingCourseRecord) {
        id = c.id; name = c.name; kind = c.kind; kindLabel = c.kind.label; trade = c.trade; provider = c.provider; areaCode = c.areaCode
        startsOn = c.startsOn; endsOn = c.endsOn; hours = c.hours; capacity = c.capacity; enrolled = c.enrolled; version = c.version
    }
}

/// A trainee: the name and the masked ID number only.
struct TrainingEnrolmentDTO: Encodable, Sendable {
    var id: UUID
    var courseId: UUID
    var residentId: UUID
    var name: String
    var idNumberMasked: String
    var gridCode: String
    var enrolledOn: String
    var sessionsTotal: Int
    var sessionsPresent: Int
    /// 出勤率, whole percent.
    var attendanceRate: Int
    var result: TrainingResult?
    var resultOn: String?
    var certificate: TrainingCertificate?
    var certificateNumber: String?
    var followupDueOn: String?
    var followupOn: String?
    var followupEmployed: Bool?
    var followupEmployer: String?
    var version: Int

    init(_ e: TrainingEnrolmentRecord) {
        id = e.id; courseId = e.courseId; residentId = e.residentId; name = e.name; idNumberMasked = e.idMasked; gridCode = e.gridCode
        enrolledOn = e.enrolledOn; sessionsTotal = e.sessionsTotal; sessionsPresent = e.sessionsPresent; attendanceRate = e.attendanceRate
        result = e.result; resultOn = e.resultOn; certificate = e.certificate; certificateNumber = e.certificateNumber
        followupDueOn = e.followupDueOn; followupOn = e.followupOn; followupEmployed = e.followupEmployed; followupEmployer = e.followupEmployer
        version = e.version
    }
}

struct TrainingCourseFileDTO: Encodable, Sendable {
    var course: TrainingCourseDTO
    var trainees: [TrainingEnrolmentDTO]
}

/// `/api/v1/training`: 再就业培训 — courses, enrolment, attendance, completion and the follow-up six months on.
struct TrainingAPI {
    func boot(_ routes: Routes) {
        let t = routes.grouped("training")
        t.get("courses", needs: .permission(.trainingRead), use: list)
        t.post("courses", needs: .permission(.trainingCourses), use: open)
        t.get("courses", ":id", needs: .permission(.trainingRead), use: show)
        t.post("courses", ":id", "enrolments", needs: .permission(.trainingWrite), use: enrol)
        t.post("courses", ":id", "sessions", needs: .permission(.trainingWrite), use: session)
        t.get("enrolments", ":id", needs: .permission(.trainingRead), use: enrolment)
        t.post("enrolments", ":id", "completion", needs: .permission(.trainingWrite), use: complete)
        t.post("enrolments", ":id", "follow-up", needs: .permission(.trainingWrite), use: followUp)
        t.get("follow-ups", needs: .permission(.trainingRead), use: due)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<TrainingCourseDTO>> {
        let filter = TrainingCourseFilter(kind: try req.queryEnum("kind", TrainingKind.self),
                                          phase: try req.queryEnum("phase", TrainingCourseFilter.Phase.self))
        let page = try await req.training.courses(in: try req.narrowedScope(), filter: filter, page: try req.pageRequest())
        return JSONBody(PageDTO(page, TrainingCourseDTO.init))
    }

    func open(req: Request) async throws -> JSONBody<TrainingCourseDTO> {
        let i = try req.decodeJSON(TrainingService.CourseInput.self)
        return JSONBody(TrainingCourseDTO(try await req.training.openCourse(i.draft, by: req.trainingActor)), status: .created)
    }

    func show(req: Request) async throws -> JSONBody<TrainingCourseFileDTO> {
        let q = req.training, id = try req.pathUUID()
        guard let c = try await q.course(id, in: req.registryScope) else { throw RegistryError.notFound("培训班") }
        return JSONBody(TrainingCourseFileDTO(course: TrainingCourseDTO(c), trainees: try await q.enrolments(of: id, in: req.registryScope).map(TrainingEnrolmentDTO.init)))
    }

    struct EnrolInput: Decodable {
        var residentId: UUID?
        var idNumber: String?
    }

    func enrol(req: Request) async throws -> JSONBody<TrainingEnrolmentDTO> {
        let i = try req.decodeJSON(EnrolInput.self)
        let resident = try await TrainingService.resident(req, id: i.residentId, idNumber: i.idNumber)
        return JSONBody(TrainingEnrolmentDTO(try await req.training.enrol(resident: resident, in: try req.pathUUID(), by: req.trainingActor)), status: .created)
    }

    struct SessionInput: Decodable {
        var date: String?
        var present: [UUID]?
    }

    struct SessionDTO: Encodable, Sendable {
        var date: String
        var trainees: Int
        var present: Int
    }

    func session(req: Request) async throws -> JSONBody<SessionDTO> {
        let i = try req.decodeJSON(SessionInput.self)
        let present = Set(i.present ?? [])
        let n = try await req.training.recordSession(of: try req.pathUUID(), on: i.date, present: present, by: req.trainingActor)
        return JSONBody(SessionDTO(date: i.date ?? "", trainees: n, present: present.count))
    }

    func enrolment(req: Request) async throws -> JSONBody<TrainingEnrolmentDTO> {
        guard let e = try await req.training.enrolment(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("学员") }
        return JSONBody(TrainingEnrolmentDTO(e))
    }

    struct CompletionInput: Decodable {
        var result: String?
        var on: String?
        var certificate: String?
        var certificateNumber: String?
        var version: Int?
    }

    func complete(req: Request) async throws -> JSONBody<TrainingEnrolmentDTO> {
        let i = try req.decodeJSON(CompletionInput.self)
        return JSONBody(TrainingEnrolmentDTO(try await TrainingService.completion(req, id: try req.pathUUID(), result: i.result, on: i.on,
                                                                                  certificate: i.certificate, number: i.certificateNumber, version: i.version)))
    }

    struct FollowUpInput: Decodable {
        var on: String?
        var employed: Bool?
        var employer: String?
        var version: Int?
    }

    func followUp(req: Request) async throws -> JSONBody<TrainingEnrolmentDTO> {
        let i = try req.decodeJSON(FollowUpInput.self)
        let e = try await req.training.followUp(try req.pathUUID(), on: i.on, employed: i.employed, employer: i.employer,
                                                version: try requireVersion(i.version), by: req.trainingActor)
        return JSONBody(TrainingEnrolmentDTO(e))
    }

    func due(req: Request) async throws -> JSONBody<PageDTO<TrainingEnrolmentDTO>> {
        JSONBody(PageDTO(try await req.training.followUpsDue(in: try req.narrowedScope(), page: try req.pageRequest()), TrainingEnrolmentDTO.init))
    }
}
