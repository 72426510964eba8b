import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/volunteers`: 志愿者 — the roll (registration and agreement), teams, activities with sign-ups, check-in
/// and verified hours, corrections, certificates; a resident's own (`me`: link to the registry, register, sign,
/// sign up, check in by code); the public check of a certificate's code.
struct VolunteersAPI {
    func boot(_ routes: Routes) {
        let v = routes.grouped("volunteers")
        v.get(needs: .permission(.volunteersRead), use: list)
        v.post(needs: .permission(.volunteersWrite), use: register)
        v.get("roll.xlsx", needs: .permission(.volunteersWrite), use: export)
        v.get(":id", needs: .permission(.volunteersRead), use: file)
        v.post(":id", "steps", needs: .permission(.volunteersWrite), use: step)
        v.post(":id", "corrections", needs: .permission(.volunteersActivities), use: correct)
        v.post(":id", "certificates", needs: .permission(.volunteersActivities), use: certificate)
        v.get("teams", needs: .permission(.volunteersRead), use: teams)
        v.post("teams", needs: .permission(.volunteersWrite), use: createTeam)
        v.post("teams", ":id", "members", needs: .permission(.volunteersWrite), use: addMember)
        v.get("activities", needs: .permission(.volunteersRead), use: activities)
        v.post("activities", needs: .permission(.volunteersActivities), use: createActivity)
        v.get("activities", ":id", needs: .permission(.volunteersRead), use: activity)
        v.post("activities", ":id", "signups", needs: .permission(.volunteersActivities), use: signUp)
        v.post("activities", ":id", "cancel", needs: .permission(.volunteersActivities), use: cancelActivity)
        v.post("signups", ":id", "check", needs: .permission(.volunteersActivities), use: check)
        v.post("signups", ":id", "verify", needs: .permission(.volunteersActivities), use: verify)
        v.get("me", needs: .permission(.volunteersRegister), use: me)
        v.post("me", "link", needs: .permission(.volunteersRegister), use: link)
        v.post("me", needs: .permission(.volunteersRegister), use: registerSelf)
        v.post("me", "sign", needs: .permission(.volunteersRegister), use: signSelf)
        v.post("me", "withdraw", needs: .permission(.volunteersRegister), use: withdrawSelf)
        v.post("me", "signups", needs: .permission(.volunteersRegister), use: signUpSelf)
        v.post("me", "check", needs: .permission(.volunteersRegister), use: checkSelf)
        v.get("certificates", ":code", needs: .open, use: publicCertificate)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<VolunteerDTO>> {
        var f = VolunteersQueries.Filter()
        f.state = try req.queryEnum("state", VolunteerState.self)
        f.skill = try req.queryEnum("skill", VolunteerSkill.self)
        f.search = try req.queryString("q", maxLength: 20)
        let page = try await req.volunteers.volunteers(in: try req.narrowedScope(), filter: f, page: try req.pageRequest())
        return JSONBody(PageDTO(page, VolunteerDTO.init))
    }

    func register(req: Request) async throws -> JSONBody<VolunteerDTO> {
        let b = try req.decodeJSON(VolunteersService.RegistrationBody.self)
        let v = try await req.volunteers.register(resident: b.residentId, try VolunteersService.registration(b, today: req.application.linli.today()),
                                                  as: .worker, by: req.volunteersActor)
        return JSONBody(VolunteerDTO(v), status: .created)
    }

    func export(req: Request) async throws -> Response { try await VolunteersService.export(req) }

    func file(req: Request) async throws -> JSONBody<VolunteerFileDTO> {
        let q = req.volunteers
        guard let v = try await q.volunteer(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("志愿者") }
        let years = try await q.minutesByYear(of: v.id).map { YearHoursDTO(year: $0.year, hours: Double($0.minutes) / 60) }
        return JSONBody(VolunteerFileDTO(volunteer: VolunteerDTO(v), hours: try await q.hours(of: v.id).map(VolunteerHoursDTO.init), hoursByYear: years))
    }

    func step(req: Request) async throws -> JSONBody<VolunteerDTO> {
        let b = try req.decodeJSON(VolunteersService.StepBody.self)
        let v = try await req.volunteers.step(try req.pathUUID(), try VolunteersService.step(b.step), version: try requireVersion(b.version),
                                              signature: .paper, on: try VolunteersService.date(b.date, field: "date"), by: req.volunteersActor)
        return JSONBody(VolunteerDTO(v))
    }

    func correct(req: Request) async throws -> JSONBody<VolunteerCorrectionDTO> {
        let b = try req.decodeJSON(VolunteersService.CorrectionBody.self)
        let minutes = try Self.minutes(b.hours)
        let c = try await req.volunteers.correct(volunteer: try req.pathUUID(), minutes: minutes, reason: b.reason,
                                                 servedOn: try VolunteersService.date(b.servedOn, field: "served_on"), activity: b.activityId,
                                                 by: req.volunteersActor)
        return JSONBody(VolunteerCorrectionDTO(volunteerId: c.volunteerId, change: Double(c.minutes) / 60), status: .created)
    }

    func certificate(req: Request) async throws -> JSONBody<VolunteerCertificateDTO> {
        JSONBody(VolunteerCertificateDTO(try await req.volunteers.issueCertificate(volunteer: try req.pathUUID(), by: req.volunteersActor)), status: .created)
    }

    func teams(req: Request) async throws -> JSONBody<PageDTO<VolunteerTeamDTO>> {
        JSONBody(PageDTO(try await req.volunteers.teams(in: try req.narrowedScope(), page: try req.pageRequest()), VolunteerTeamDTO.init))
    }

    func createTeam(req: Request) async throws -> JSONBody<VolunteerTeamDTO> {
        let b = try req.decodeJSON(VolunteersService.TeamBody.self)
        let kind = try VolunteersService.values(b.kind.map { [$0] }, VolunteerTeamKind.self, field: "kind", label: \.label).first
        let skill = try VolunteersService.values(b.skill.map { [$0] }, VolunteerSkill.self, field: "skill", label: \.label).first
        let t = try await req.volunteers.createTeam(name: b.name, kind: kind, skill: skill, organizationID: b.organizationId, leader: b.leaderId,
                                                    community: b.communityCode, by: req.volunteersActor)
        return JSONBody(VolunteerTeamDTO(t), status: .created)
    }

    struct MemberBody: Decodable { var volunteerId: UUID? }

    func addMember(req: Request) async throws -> JSONBody<VolunteerTeamDTO> {
        let b = try req.decodeJSON(MemberBody.self)
        return JSONBody(VolunteerTeamDTO(try await req.volunteers.addMember(team: try req.pathUUID(), volunteer: b.volunteerId, by: req.volunteersActor)),
                        status: .created)
    }

    func activities(req: Request) async throws -> JSONBody<PageDTO<VolunteerActivityDTO>> {
        let page = try await req.volunteers.activities(in: try req.narrowedScope(), upcoming: try req.queryBool("upcoming") ?? false, page: try req.pageRequest())
        let organizer = req.volunteersActor.mayRun
        return JSONBody(PageDTO(page) { VolunteerActivityDTO($0, showCode: organizer) })
    }

    func createActivity(req: Request) async throws -> JSONBody<VolunteerActivityDTO> {
        let a = try await req.volunteers.createActivity(try VolunteersService.activity(try req.decodeJSON(VolunteersService.ActivityBody.self)),
                                                        by: req.volunteersActor)
        return JSONBody(VolunteerActivityDTO(a, showCode: true), status: .created)
    }

    func activity(req: Request) async throws -> JSONBody<VolunteerActivityFileDTO> {
        let q = req.volunteers
        guard let a = try await q.activity(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("志愿活动") }
        return JSONBody(VolunteerActivityFileDTO(activity: VolunteerActivityDTO(a, showCode: req.volunteersActor.mayRun),
                                                 signups: try await q.signups(of: a.id).map(VolunteerSignupDTO.init)))
    }

    struct CancelBody: Decodable { var reason: String? }

    /// Hours sent as a number: minutes, or 422 at `hours` for a number no one served.
    static func minutes(_ hours: Double?) throws -> Int? {
        guard let hours else { return nil }
        guard let m = VolunteerRules.minutes(fromHours: hours) else { throw RegistryError.invalid([FieldError("hours", "时长应为不超过十万小时的数字")]) }
        return m
    }

    func cancelActivity(req: Request) async throws -> JSONBody<VolunteerActivityDTO> {
        let b = try req.decodeJSON(CancelBody.self)
        let a = try await req.volunteers.cancel(activity: try req.pathUUID(), reason: b.reason, by: req.volunteersActor)
        return JSONBody(VolunteerActivityDTO(a, showCode: true))
    }

    func signUp(req: Request) async throws -> JSONBody<VolunteerSignupDTO> {
        let b = try req.decodeJSON(MemberBody.self)
        return JSONBody(VolunteerSignupDTO(try await req.volunteers.signUp(activity: try req.pathUUID(), volunteer: b.volunteerId, by: req.volunteersActor)),
                        status: .created)
    }

    func check(req: Request) async throws -> JSONBody<VolunteerSignupDTO> {
        JSONBody(VolunteerSignupDTO(try await req.volunteers.check(signup: try req.pathUUID(), by: req.volunteersActor)))
    }

    struct VerifyBody: Decodable { var hours: Double? }

    func verify(req: Request) async throws -> JSONBody<VolunteerVerifyDTO> {
        let b = try req.decodeJSON(VerifyBody.self)
        let (s, credit) = try await req.volunteers.verify(signup: try req.pathUUID(), minutes: try Self.minutes(b.hours), by: req.volunteersActor)
        return JSONBody(VolunteerVerifyDTO(signup: VolunteerSignupDTO(s), change: Double(credit.minutes) / 60))
    }

    // MARK: The resident's own

    struct MeDTO: Encodable, Sendable {
        var linked: Bool
        var volunteer: VolunteerDTO?
    }

    func me(req: Request) async throws -> JSONBody<MeDTO> {
        let own = try await VolunteersService.ownVolunteer(req)
        return JSONBody(MeDTO(linked: own.resident != nil, volunteer: own.volunteer.map(VolunteerDTO.init)))
    }

    struct LinkBody: Decodable {
        var name: String?
        var idNumber: String?
    }

    func link(req: Request) async throws -> JSONBody<MeDTO> {
        let b = try req.decodeJSON(LinkBody.self)
        let p = try req.requireSignedIn()
        guard VolunteersService.linkLimiter.allow(p.account.id.uuidString, now: req.application.linli.now()) else {
            throw ProblemError(status: .tooManyRequests, detail: "核验次数过多，请10分钟后再试")
        }
        let r = try await req.accountLink.link(account: p.account.id, name: b.name, idNumber: b.idNumber, scope: req.registryScope, by: req.auditActor)
        return JSONBody(MeDTO(linked: true, volunteer: try await req.volunteers.volunteer(resident: r.id).map(VolunteerDTO.init)))
    }

    /// The linked resident, or 409 asking for 实名核验 first.
    static func linkedResident(_ req: Request) async throws -> ResidentRecord {
        guard let r = try await VolunteersService.ownVolunteer(req).resident else {
            throw RegistryError.conflictingState("请先完成实名核验（姓名和公民身份号码）")
        }
        return r
    }

    static func ownVolunteer(_ req: Request) async throws -> VolunteerRecord {
        guard let v = try await VolunteersService.ownVolunteer(req).volunteer else { throw RegistryError.conflictingState("您还没有注册为志愿者") }
        return v
    }

    /// The resident's own registration, in their own community (the registry's scope of the person, not the account's).
    func registerSelf(req: Request) async throws -> JSONBody<VolunteerDTO> {
        let b = try req.decodeJSON(VolunteersService.RegistrationBody.self)
        let r = try await Self.linkedResident(req)
        var actor = req.volunteersActor
        actor.scope = RegistryScope(validatedCode: r.gridCode)
        var input = try VolunteersService.registration(b, today: req.application.linli.today())
        input.registration.registeredOn = req.application.linli.today()
        let v = try await req.volunteers.register(resident: r.id, input, as: .selfOnPortal, by: actor)
        return JSONBody(VolunteerDTO(v), status: .created)
    }

    func signSelf(req: Request) async throws -> JSONBody<VolunteerDTO> {
        let b = try req.decodeJSON(VolunteersService.StepBody.self)
        let v = try await Self.ownVolunteer(req)
        let signed = try await req.volunteers.step(v.id, .sign, version: try requireVersion(b.version), signature: .portal, by: req.volunteersActor,
                                                   ownResident: v.residentId)
        return JSONBody(VolunteerDTO(signed))
    }

    /// 退出: the resident leaves the volunteers themself (their hours and certificates stay on the record).
    func withdrawSelf(req: Request) async throws -> JSONBody<VolunteerDTO> {
        let b = try req.decodeJSON(VolunteersService.StepBody.self)
        let v = try await Self.ownVolunteer(req)
        let left = try await req.volunteers.step(v.id, .withdraw, version: try requireVersion(b.version), by: req.volunteersActor, ownResident: v.residentId)
        return JSONBody(VolunteerDTO(left))
    }

    struct SignUpBody: Decodable { var activityId: UUID? }

    func signUpSelf(req: Request) async throws -> JSONBody<VolunteerSignupDTO> {
        let b = try req.decodeJSON(SignUpBody.self)
        let v = try await Self.ownVolunteer(req)
        guard let activityID = b.activityId, try await req.volunteers.activity(activityID, in: RegistryScope(validatedCode: v.communityCode)) != nil else {
            throw RegistryError.invalid([FieldError("activity_id", "请选择本社区的志愿活动")])
        }
        let s = try await req.volunteers.signUp(activity: activityID, volunteer: v.id, own: true, by: req.volunteersActor)
        return JSONBody(VolunteerSignupDTO(s), status: .created)
    }

    struct CodeBody: Decodable { var code: String? }

    func checkSelf(req: Request) async throws -> JSONBody<VolunteerSignupDTO> {
        let b = try req.decodeJSON(CodeBody.self)
        let v = try await Self.ownVolunteer(req)
        let (s, _) = try await req.volunteers.checkByCode(b.code, volunteer: v.id, by: req.volunteersActor)
        return JSONBody(VolunteerSignupDTO(s))
    }

    func publicCertificate(req: Request) async throws -> JSONBody<VolunteerCertificateDTO> {
        guard let code = req.parameters.get("code"), let c = try await req.volunteers.certificate(code: code) else { throw RegistryError.notFound("志愿服务记录证明") }
        return JSONBody(VolunteerCertificateDTO(c))
    }
}
