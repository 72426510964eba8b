import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The register's writes: add and edit a worker, record a qualification, a year's training hours, an appraisal.
/// Each is one transaction with its audit entry. A worker outside the caller's scope is 404 (not found), so a
/// street officer cannot appraise another street's worker; a second appraisal of a year is 409 at `year`.
extension WorkersQueries {
    /// The division a worker serves, in the caller's area: a community, a street or the district.
    func division(_ raw: String?, scope: RegistryScope) async throws -> DivisionRecord {
        guard let code = raw?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw RegistryError.invalid([FieldError("division_code", "请选择所在村/社区（镇街、区工作人员选镇/街道或区）")])
        }
        guard let d = try await DivisionQueries(db).find(code: code), d.level != .grid, scope.contains(code: code) else {
            throw RegistryError.invalid([FieldError("division_code", "本辖区没有这个村/社区、镇/街道")])
        }
        return d
    }

    func checked(_ input: WorkerInput) throws -> (phone: String?, account: String?) {
        let errors = WorkerRules.check(input, today: today)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let phone = input.phone.map { $0.filter { $0 != " " } }.flatMap { $0.isEmpty ? nil : $0 }
        let account = input.accountUsername?.trimmedOrNil
        return (phone, account)
    }

    /// The account must exist and not be linked to another worker.
    func refuseAccount(_ username: String?, except id: UUID?, sql: any SQLDatabase) async throws {
        guard let username else { return }
        guard try await sql.select().column("id").from("accounts").where("username", .equal, SQLBind(username)).first() != nil else {
            throw RegistryError.invalid([FieldError("account", "平台上没有账号“\(username)”")])
        }
        var q = sql.select().column("name").from("workers").where("account_username", .equal, SQLBind(username))
        if let id { q = q.where("id", .notEqual, SQLBind(id)) }
        if let row = try await q.first() {
            throw RegistryError.conflict(FieldError("account", "账号“\(username)”已关联社区工作者“\(try row.decode(column: "name", as: String.self))”"))
        }
    }

    public func create(division raw: String?, _ input: WorkerInput, by actor: WorkersActor) async throws -> WorkerRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记社区工作者的权限") }
        let (phone, account) = try checked(input)
        let d = try await division(raw, scope: actor.scope)
        let sealed = try phone.map { try cipher.seal($0) }, name = input.name!.trimmed
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseAccount(account, except: nil, sql: sql)
            try await sql.insert(into: "workers")
                .columns("id", "name", "name_initials", "post", "employment", "division_code", "street_code", "title", "phone_cipher", "phone_masked",
                         "hired_on", "registration_no", "registered_on", "registration_valid_to", "qualification", "titled", "account_username",
                         "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(name), SQLBind(Pinyin.reading(ofName: name).initials), SQLBind(input.post!.rawValue),
                        SQLBind(input.employment!.rawValue), SQLBind(d.code), SQLBind(String(d.code.prefix(9))), SQLBind(input.title?.trimmedOrNil),
                        SQLBind(sealed), SQLBind(phone.map(Masking.phone)), SQLBind(input.hiredOn?.description), SQLBind(input.registrationNo?.trimmedOrNil),
                        SQLBind(input.registeredOn?.description), SQLBind(input.registrationValidTo?.description), SQLBind(String?.none),
                        SQLBind(input.title?.trimmedOrNil != nil), SQLBind(account), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(WorkersAudit.create, target: .worker(id), detail: ["division": d.code, "post": input.post!.rawValue])],
                                      by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// Edits an entry at the version the caller read.
    public func update(_ id: UUID, division raw: String?, _ input: WorkerInput, version: Int, by actor: WorkersActor) async throws -> WorkerRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有修改社区工作者的权限") }
        let w = try await require(id, in: actor.scope)
        // A version other than the stored one is stale before any arithmetic on it (a client may send Int.max).
        guard version == w.version else { throw RegistryError.staleVersion(current: w.version) }
        let (phone, account) = try checked(input)
        let d = try await division(raw, scope: actor.scope)
        let sealed = try phone.map { try cipher.seal($0) }, name = input.name!.trimmed, at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseAccount(account, except: id, sql: sql)
            let changed = try await sql.update("workers")
                .set("name", to: SQLBind(name)).set("name_initials", to: SQLBind(Pinyin.reading(ofName: name).initials))
                .set("post", to: SQLBind(input.post!.rawValue)).set("employment", to: SQLBind(input.employment!.rawValue))
                .set("division_code", to: SQLBind(d.code)).set("street_code", to: SQLBind(String(d.code.prefix(9))))
                .set("title", to: SQLBind(input.title?.trimmedOrNil)).set("titled", to: SQLBind(input.title?.trimmedOrNil != nil))
                .set("phone_cipher", to: SQLBind(sealed)).set("phone_masked", to: SQLBind(phone.map(Masking.phone)))
                .set("hired_on", to: SQLBind(input.hiredOn?.description)).set("registration_no", to: SQLBind(input.registrationNo?.trimmedOrNil))
                .set("registered_on", to: SQLBind(input.registeredOn?.description))
                .set("registration_valid_to", to: SQLBind(input.registrationValidTo?.description)).set("account_username", to: SQLBind(account))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: w.version) }
            try await AuditLog.append([AuditEvent(WorkersAudit.update, target: .worker(id))], by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// A 职业水平 certificate: once per level (409 at `level`); the worker's highest level follows in the same transaction.
    public func addQualification(_ id: UUID, level: QualificationLevel?, certificateNo: String?, obtainedOn: CivilDate?,
                                 by actor: WorkersActor) async throws -> [QualificationRecord] {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记职业水平证书的权限") }
        _ = try await require(id, in: actor.scope)
        let errors = WorkerRules.checkQualification(level: level, certificateNo: certificateNo, obtainedOn: obtainedOn, today: today)
        guard errors.isEmpty, let level, let obtainedOn else { throw RegistryError.invalid(errors) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let inserted = try await sql.raw("""
                INSERT INTO worker_qualifications (id, worker_id, level, certificate_no, obtained_on, recorded_by, created_at)
                VALUES (\(bind: UUID()), \(bind: id), \(bind: level.rawValue), \(bind: certificateNo!.trimmed), \(bind: obtainedOn.description),
                        \(bind: actor.audit.username), \(bind: at))
                ON CONFLICT (worker_id, level) DO NOTHING RETURNING level
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("level", "该工作者的“\(level.label)”证书已登记")) }
            let levels = try await sql.select().column("level").from("worker_qualifications").where("worker_id", .equal, SQLBind(id)).all()
                .compactMap { QualificationLevel(rawValue: try $0.decode(column: "level", as: String.self)) }
            try await sql.update("workers").set("qualification", to: SQLBind(levels.max()?.rawValue)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(WorkersAudit.qualification, target: .worker(id), detail: ["level": level.rawValue])], by: actor.audit, on: db)
        }
        return try await file(of: try await require(id, in: actor.scope), audit: nil).qualifications
    }

    /// A year's training hours: one row per worker and year, replaced when typed again.
    public func setTraining(_ id: UUID, year: Int?, hours: Int?, by actor: WorkersActor) async throws -> [TrainingRecord] {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有登记培训学时的权限") }
        _ = try await require(id, in: actor.scope)
        let errors = WorkerRules.checkTraining(year: year, hours: hours, today: today)
        guard errors.isEmpty, let year, let hours else { throw RegistryError.invalid(errors) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).raw("""
                INSERT INTO worker_training (worker_id, year, hours, recorded_by, updated_at)
                VALUES (\(bind: id), \(bind: year), \(bind: hours), \(bind: actor.audit.username), \(bind: at))
                ON CONFLICT (worker_id, year) DO UPDATE SET hours = excluded.hours, recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
                """).run()
            try await AuditLog.append([AuditEvent(WorkersAudit.training, target: .worker(id), detail: ["year": String(year), "hours": String(hours)])],
                                      by: actor.audit, on: db)
        }
        return try await sql.select().columns("year", "hours").from("worker_training").where("worker_id", .equal, SQLBind(id))
            .orderBy("year", .descending).all().map { try $0.decodeRecord(TrainingRecord.self) }
    }

    /// 年度考核 of a worker of the caller's area: the result from the scores' mean (a typed result must agree);
    /// once per year (409 at `year`).
    public func appraise(_ id: UUID, year: Int?, scores: [Int], result: AppraisalResult?, by actor: WorkersActor) async throws -> AppraisalRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有录入年度考核的权限") }
        _ = try await require(id, in: actor.scope)
        let (derived, errors) = AppraisalRules.check(year: year, scores: scores, result: result, today: today)
        guard errors.isEmpty, let derived, let year else { throw RegistryError.invalid(errors) }
        let mean = Int((AppraisalRules.mean(scores) * 10).rounded())
        let aid = UUID(), at = nowSeconds, text = scores.map(String.init).joined(separator: ",")
        try await db.writeTransaction { db in
            let inserted = try await SQLHelpers.sql(db).raw("""
                INSERT INTO worker_appraisals (id, worker_id, year, scores, mean_tenths, result, recorded_by, created_at)
                VALUES (\(bind: aid), \(bind: id), \(bind: year), \(bind: text), \(bind: mean), \(bind: derived.rawValue), \(bind: actor.audit.username), \(bind: at))
                ON CONFLICT (worker_id, year) DO NOTHING RETURNING year
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("year", "该工作者\(year)年度的考核已录入")) }
            try await AuditLog.append([AuditEvent(WorkersAudit.appraisal, target: .worker(id), detail: ["year": String(year), "result": derived.rawValue])],
                                      by: actor.audit, on: db)
        }
        return AppraisalRecord(id: aid, year: year, scores: text, meanTenths: mean, result: derived, recordedBy: actor.audit.username)
    }
}
