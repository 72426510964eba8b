import FluentKit
import Foundation
import LinliCore
import SQLKit

extension EmploymentQueries {
    /// The resident in scope, alive and on the registry, with what the designation rules need.
    struct Person {
        var id: UUID
        var household: UUID
        var grid: String
        var birth: CivilDate
        var sex: Sex
        var tags: String
    }

    func person(_ id: UUID?, in scope: RegistryScope) async throws -> Person {
        guard let id else { throw RegistryError.invalid([FieldError("resident_id", "请选择登记的居民")]) }
        guard let row = try await sql.select().columns("id", "household_id", "grid_code", "birth_date", "sex", "tags", "life_status").from(Resident.schema)
            .where("id", .equal, SQLBind(id)).first(),
            scope.contains(code: try row.decode(column: "grid_code", as: String.self)),
            try row.decode(column: "life_status", as: String.self) == LifeStatus.active.rawValue,
            let birth = CivilDate(try row.decode(column: "birth_date", as: String.self)),
            let sex = Sex(rawValue: try row.decode(column: "sex", as: String.self))
        else { throw RegistryError.invalid([FieldError("resident_id", "本辖区人口登记中没有这位在册居民")]) }
        return Person(id: id, household: try row.decode(column: "household_id", as: UUID.self), grid: try row.decode(column: "grid_code", as: String.self),
                      birth: birth, sex: sex, tags: try row.decode(column: "tags", as: String.self))
    }

    /// The facts the designation rules read: the registry's tag, the household's 低保 case, whether every member of
    /// working age is registered (`registering`: the person about to be, counted as registered).
    func facts(_ p: Person, registeredOn: CivilDate, registering: Bool, db: any Database) async throws -> EmploymentFacts {
        let sql = SQLHelpers.sql(db)
        let dibao = try await sql.select().column("id").from("assistance_cases").where("household_id", .equal, SQLBind(p.household))
            .where("kind", .equal, SQLBind(AssistanceKind.dibao.rawValue)).where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)).first() != nil
        // Working age on today: born after (today − 60 years) and on or before (today − 16 years).
        let youngest = today.yearsEarlier(EmploymentRules.minimumAge).description, oldest = today.yearsEarlier(EmploymentRules.maximumAge + 1).description
        let working = try await sql.select().column("id").from(Resident.schema).where("household_id", .equal, SQLBind(p.household))
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).where("birth_date", .lessThanOrEqual, SQLBind(youngest))
            .where("birth_date", .greaterThan, SQLBind(oldest)).all().map { try $0.decode(column: "id", as: UUID.self) }
        let registered = Set(try await sql.select().column("resident_id").from("employment_registrations")
            .where("household_id", .equal, SQLBind(p.household)).where("status", .equal, SQLBind(RegistrationStatus.open.rawValue)).all()
            .map { try $0.decode(column: "resident_id", as: UUID.self) })
        let zero = !working.isEmpty && working.allSatisfy { registered.contains($0) || (registering && $0 == p.id) }
        return EmploymentFacts(birth: p.birth, sex: p.sex, disabledTag: p.tags.split(separator: ",").contains("disabled"), registeredOn: registeredOn,
                               dibaoHousehold: dibao, zeroEmploymentHousehold: zero)
    }

    static func text(_ raw: String?, _ field: String, _ label: String, max: Int, required: Bool, into errors: inout FieldErrors) -> String? {
        let t = raw?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let t, !t.isEmpty else {
            if required { errors.add(field, "请填写\(label)") }
            return nil
        }
        if t.count > max { errors.add(field, "\(label)最多\(max)个字") }
        return t
    }

    /// 失业登记: a resident of working age in scope, one open registration each (409 naming `resident_id`). With
    /// categories it is designated at once. The 失业人员 tag follows, in the same transaction as the audit entry.
    public func register(_ i: RegistrationInput, by actor: EmploymentActor) async throws -> EmploymentRegistrationRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理失业登记的权限") }
        let p = try await person(i.residentId, in: actor.scope)
        var errors = FieldErrors()
        let (day, dayErrors) = EmploymentRules.checkPastDay(i.registeredOn, field: "registered_on", label: "登记日期", today: today)
        for e in dayErrors { errors.add(e) }
        if let day { for e in EmploymentRules.checkAge(birth: p.birth, on: day) { errors.add(e) } }
        let reason = Self.text(i.reason, "reason", "失业原因", max: 200, required: true, into: &errors)
        let lastJob = Self.text(i.lastJob, "last_job", "原工作单位和岗位", max: 200, required: false, into: &errors)
        let skills = Self.text(i.skills, "skills", "技能特长", max: 200, required: false, into: &errors)
        let wishes = Self.text(i.wishes, "wishes", "就业意愿", max: 200, required: false, into: &errors)
        let note = Self.text(i.categoryNote, "category_note", "认定说明", max: 200, required: false, into: &errors)
        if let day, !i.categories.isEmpty {
            let f = try await facts(p, registeredOn: day, registering: true, db: db)
            for e in EmploymentRules.checkDesignation(i.categories, note: note, facts: f, today: today) { errors.add(e) }
        }
        guard errors.isEmpty, let day, let reason else { throw RegistryError.invalid(errors.errors) }
        let id = UUID(), at = nowSeconds, today = today
        let categories = DifficultyCategory.stored(i.categories)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE employment_registrations IN SHARE ROW EXCLUSIVE MODE").run() }
            if let open = try await sql.select().column("registered_on").from("employment_registrations").where("resident_id", .equal, SQLBind(p.id))
                .where("status", .equal, SQLBind(RegistrationStatus.open.rawValue)).first() {
                throw RegistryError.conflict(FieldError("resident_id", "该居民已有在册的失业登记（\(try open.decode(column: "registered_on", as: String.self))登记），请在原登记上办理"))
            }
            try await sql.insert(into: "employment_registrations")
                .columns("id", "resident_id", "household_id", "grid_code", "community_code", "street_code", "registered_on", "reason", "last_job", "skills",
                         "wishes", "designated", "categories", "category_note", "designated_on", "status", "last_contact_on", "registered_by", "version",
                         "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(p.id), SQLBind(p.household), SQLBind(p.grid), SQLBind(String(p.grid.prefix(12))), SQLBind(String(p.grid.prefix(9)) + "000"),
                        SQLBind(day.description), SQLBind(reason), SQLBind(lastJob), SQLBind(skills), SQLBind(wishes), SQLBind(!categories.isEmpty),
                        SQLBind(categories), SQLBind(note), SQLBind(categories.isEmpty ? nil : today.description), SQLBind(RegistrationStatus.open.rawValue),
                        SQLBind(day.description), SQLBind(actor.audit.username), SQLBind(1), SQLBind(at), SQLBind(at))
                .run()
            try await FollowedTags.set(.unemployed, present: true, on: p.id, today: today, on: db)
            try await AuditLog.append([AuditEvent(EmploymentAudit.register, target: .employmentRegistration(id),
                                                  detail: categories.isEmpty ? [:] : ["categories": categories])], by: actor.audit, on: db)
        }
        return try await requireRegistration(id, in: actor.scope)
    }

    /// 就业困难人员认定 on an open registration: the categories its facts support today.
    public func designate(_ id: UUID, categories: [DifficultyCategory], note: String?, version: Int, by actor: EmploymentActor) async throws -> EmploymentRegistrationRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有认定就业困难人员的权限") }
        let r = try await requireRegistration(id, in: actor.scope)
        guard r.status == .open else { throw RegistryError.conflictingState("该失业登记已退出，不能再认定") }
        let p = try await person(r.residentId, in: actor.scope)
        var errors = FieldErrors()
        let note = Self.text(note, "category_note", "认定说明", max: 200, required: false, into: &errors)
        let f = try await facts(p, registeredOn: CivilDate(r.registeredOn) ?? today, registering: false, db: db)
        for e in EmploymentRules.checkDesignation(categories, note: note, facts: f, today: today) { errors.add(e) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let stored = DifficultyCategory.stored(categories), at = nowSeconds, today = today
        try await db.writeTransaction { db in
            try await Self.bump(id, version: version, db: db) { $0.set("designated", to: SQLBind(true)).set("categories", to: SQLBind(stored))
                .set("category_note", to: SQLBind(note)).set("designated_on", to: SQLBind(today.description)).set("updated_at", to: SQLBind(at)) }
            try await AuditLog.append([AuditEvent(EmploymentAudit.designate, target: .employmentRegistration(id), detail: ["categories": stored])],
                                      by: actor.audit, on: db)
        }
        return try await requireRegistration(id, in: actor.scope)
    }

    /// Updates a registration at the version the caller read: 409 when someone changed it since.
    static func bump(_ id: UUID, version: Int, db: any Database, _ set: (SQLUpdateBuilder) -> SQLUpdateBuilder) async throws {
        let sql = SQLHelpers.sql(db)
        let row = try await sql.select().column("version").from("employment_registrations").where("id", .equal, SQLBind(id)).first()
        let current = try row?.decode(column: "version", as: Int.self) ?? 0
        guard current == version else { throw RegistryError.staleVersion(current: current) }
        try await set(sql.update("employment_registrations")).set("version", to: SQLBind(current + 1)).where("id", .equal, SQLBind(id)).run()
    }

    /// A contact (走访、电话 …): it keeps the registration out of the overdue list for 30 days.
    public func contact(_ id: UUID, on raw: String?, way: ContactWay?, content: String?, by actor: EmploymentActor) async throws -> EmploymentContactRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记联系记录的权限") }
        let r = try await requireRegistration(id, in: actor.scope)
        guard r.status == .open else { throw RegistryError.conflictingState("该失业登记已退出") }
        var errors = FieldErrors()
        let (day, e) = EmploymentRules.checkPastDay(raw, field: "contacted_on", label: "联系日期", today: today, notBefore: CivilDate(r.registeredOn),
                                                    notBeforeLabel: "登记日期")
        for x in e { errors.add(x) }
        if way == nil { errors.add("way", "请选择联系方式") }
        let text = Self.text(content, "content", "联系内容", max: 500, required: true, into: &errors)
        guard errors.isEmpty, let day, let way, let text else { throw RegistryError.invalid(errors.errors) }
        let record = EmploymentContactRecord(id: UUID(), contactedOn: day.description, way: way, content: text, recordedBy: actor.audit.username)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "employment_contacts").columns("id", "registration_id", "contacted_on", "way", "content", "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(id), SQLBind(record.contactedOn), SQLBind(way.rawValue), SQLBind(text), SQLBind(record.recordedBy), SQLBind(at))
                .run()
            try await Self.touch(id, day, db: db)
            try await AuditLog.append([AuditEvent(EmploymentAudit.contact, target: .employmentRegistration(id), detail: ["way": way.rawValue])],
                                      by: actor.audit, on: db)
        }
        return record
    }

    /// The latest contact day, never moved back by a contact recorded late.
    static func touch(_ id: UUID, _ day: CivilDate, db: any Database) async throws {
        try await SQLHelpers.sql(db).update("employment_registrations").set("last_contact_on", to: SQLBind(day.description))
            .where("id", .equal, SQLBind(id)).where("last_contact_on", .lessThan, SQLBind(day.description)).run()
    }

    /// A job referral (推荐就业): employer, post, result. It counts as a contact.
    public func refer(_ id: UUID, on raw: String?, employer: String?, post: String?, result: ReferralResult?, by actor: EmploymentActor) async throws -> EmploymentReferralRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记推荐记录的权限") }
        let r = try await requireRegistration(id, in: actor.scope)
        guard r.status == .open else { throw RegistryError.conflictingState("该失业登记已退出") }
        var errors = FieldErrors()
        let (day, e) = EmploymentRules.checkPastDay(raw, field: "referred_on", label: "推荐日期", today: today, notBefore: CivilDate(r.registeredOn),
                                                    notBeforeLabel: "登记日期")
        for x in e { errors.add(x) }
        let employer = Self.text(employer, "employer", "用人单位", max: 100, required: true, into: &errors)
        let post = Self.text(post, "post", "推荐岗位", max: 100, required: true, into: &errors)
        guard errors.isEmpty, let day, let employer, let post else { throw RegistryError.invalid(errors.errors) }
        let record = EmploymentReferralRecord(id: UUID(), referredOn: day.description, employer: employer, post: post, result: result ?? .pending,
                                              recordedBy: actor.audit.username)
        let at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "employment_referrals")
                .columns("id", "registration_id", "referred_on", "employer", "post", "result", "recorded_by", "created_at")
                .values(SQLBind(record.id), SQLBind(id), SQLBind(record.referredOn), SQLBind(employer), SQLBind(post), SQLBind(record.result.rawValue),
                        SQLBind(record.recordedBy), SQLBind(at)).run()
            try await Self.touch(id, day, db: db)
            try await AuditLog.append([AuditEvent(EmploymentAudit.referral, target: .employmentRegistration(id), detail: ["result": record.result.rawValue])],
                                      by: actor.audit, on: db)
        }
        return record
    }

    /// 退出登记: why and when (not before the registration, not in the future); employed says where. The 失业人员 tag
    /// is cleared in the same transaction.
    public func exit(_ id: UUID, reason: EmploymentExitReason?, on raw: String?, employer: String?, note: String?, version: Int,
                     by actor: EmploymentActor) async throws -> EmploymentRegistrationRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理退出登记的权限") }
        let r = try await requireRegistration(id, in: actor.scope)
        guard r.status == .open else { throw RegistryError.conflictingState("该失业登记已退出") }
        var errors = FieldErrors()
        if reason == nil || reason == .publicWelfare {
            errors.add("exit_reason", "请选择退出原因：\(EmploymentExitReason.typed.map(\.label).joined(separator: "、"))（公益性岗位安置在岗位中办理）")
        }
        let registered = CivilDate(r.registeredOn)
        let (day, e) = EmploymentRules.checkPastDay(raw, field: "exit_on", label: "退出日期", today: today, notBefore: registered, notBeforeLabel: "登记日期")
        for x in e { errors.add(x) }
        let employer = Self.text(employer, "exit_employer", "就业单位", max: 100, required: reason == .employed, into: &errors)
        let note = Self.text(note, "exit_note", "备注", max: 200, required: false, into: &errors)
        guard errors.isEmpty, let reason, let day else { throw RegistryError.invalid(errors.errors) }
        let at = nowSeconds, today = today, resident = r.residentId
        let days = registered.map { day.dayNumber - $0.dayNumber } ?? 0
        try await db.writeTransaction { db in
            try await Self.bump(id, version: version, db: db) { $0.set("status", to: SQLBind(RegistrationStatus.exited.rawValue))
                .set("exit_reason", to: SQLBind(reason.rawValue)).set("exit_on", to: SQLBind(day.description)).set("exit_employer", to: SQLBind(employer))
                .set("exit_note", to: SQLBind(note)).set("exit_days", to: SQLBind(days)).set("updated_at", to: SQLBind(at)) }
            try await FollowedTags.set(.unemployed, present: false, on: resident, today: today, on: db)
            try await AuditLog.append([AuditEvent(EmploymentAudit.exit, target: .employmentRegistration(id), detail: ["reason": reason.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await requireRegistration(id, in: actor.scope)
    }
}
