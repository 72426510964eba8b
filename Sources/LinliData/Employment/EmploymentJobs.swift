import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 公益性岗位: posts of the communities and their placements. A post's places are held by the placements whose
/// `until_on` is not past; placing someone is checked under the table's lock, so two placements into the last
/// place cannot both pass.
extension EmploymentQueries {
    var postSelect: SQLSelectBuilder {
        sql.select().columns(SQLColumn("id", table: "p"), SQLColumn("title", table: "p"), SQLColumn("employer", table: "p"),
                             SQLColumn("community_code", table: "p"), SQLColumn("street_code", table: "p"), SQLColumn("hours_per_week", table: "p"),
                             SQLColumn("monthly_allowance", table: "p"), SQLColumn("places", table: "p"), SQLColumn("version", table: "p"))
            .column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("employment_posts"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.inner,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "p"))
    }

    /// A page of the posts of an area (the community's code is under the scope), each with its places held today.
    public func posts(in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<EmploymentPostRecord> {
        var items = try await postSelect.wherePrefix("p.community_code", String(scope.prefix.prefix(12)), sqlite: sqlite)
            .orderBy(SQLColumn("community_code", table: "p")).orderBy(SQLColumn("title", table: "p")).orderBy(SQLColumn("id", table: "p"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(EmploymentPostRecord.self) }
        let filled = try await filled(items.map(\.id))
        for i in items.indices { items[i].filled = filled[items[i].id] ?? 0 }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_posts")
            .wherePrefix("community_code", String(scope.prefix.prefix(12)), sqlite: sqlite))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    func filled(_ posts: [UUID]) async throws -> [UUID: Int] {
        guard !posts.isEmpty else { return [:] }
        var out: [UUID: Int] = [:]
        for row in try await sql.select().column("post_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_placements")
            .where("post_id", .in, SQLBind.group(posts)).where("until_on", .greaterThanOrEqual, SQLBind(today.description)).groupBy("post_id").all() {
            out[try row.decode(column: "post_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    public func post(_ id: UUID, in scope: RegistryScope) async throws -> EmploymentPostRecord? {
        guard var p = try await postSelect.where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first()?.decodeRecord(EmploymentPostRecord.self),
              p.communityCode.hasPrefix(String(scope.prefix.prefix(12))) else { return nil }
        p.filled = try await filled([id])[id] ?? 0
        return p
    }

    func requirePost(_ id: UUID, in scope: RegistryScope) async throws -> EmploymentPostRecord {
        guard let p = try await post(id, in: scope) else { throw RegistryError.notFound("公益性岗位") }
        return p
    }

    var placementSelect: SQLSelectBuilder {
        sql.select().columns(SQLColumn("id", table: "x"), SQLColumn("post_id", table: "x"), SQLColumn("registration_id", table: "x"),
                             SQLColumn("resident_id", table: "x"), SQLColumn("start_on", table: "x"), SQLColumn("end_on", table: "x"),
                             SQLColumn("until_on", table: "x"), SQLColumn("ended_reason", table: "x"), SQLColumn("monthly_allowance", table: "x"),
                             SQLColumn("version", table: "x"), SQLColumn("name", table: "r"), SQLColumn("id_masked", table: "r"))
            .column(SQLColumn("title", table: "p"), as: "post_title").column(SQLColumn("employer", table: "p"))
            .from(SQLAlias(SQLIdentifier("employment_placements"), as: SQLIdentifier("x")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "x"))
            .join(SQLAlias(SQLIdentifier("employment_posts"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("post_id", table: "x"))
    }

    public func placements(ofPost id: UUID) async throws -> [EmploymentPlacementRecord] {
        try await placementSelect.where(SQLColumn("post_id", table: "x"), .equal, SQLBind(id))
            .orderBy(SQLOrderBy(expression: SQLColumn("until_on", table: "x"), direction: SQLDirection.descending)).limit(500).all()
            .map { try $0.decodeRecord(EmploymentPlacementRecord.self) }
    }

    public func placements(ofResident id: UUID) async throws -> [EmploymentPlacementRecord] {
        try await placementSelect.where(SQLColumn("resident_id", table: "x"), .equal, SQLBind(id))
            .orderBy(SQLOrderBy(expression: SQLColumn("start_on", table: "x"), direction: SQLDirection.descending)).all()
            .map { try $0.decodeRecord(EmploymentPlacementRecord.self) }
    }

    /// A post of a community in scope: places at least one, the allowance not negative.
    public func createPost(_ i: PostInput, by actor: EmploymentActor) async throws -> EmploymentPostRecord {
        guard actor.mayJobs else { throw RegistryError.forbidden("您没有开发公益性岗位的权限") }
        var errors = PublicWelfareRules.checkPost(title: i.title, employer: i.employer, hoursPerWeek: i.hoursPerWeek, allowance: i.monthlyAllowance,
                                                  places: i.places)
        let community = i.communityCode?.trimmingCharacters(in: .whitespaces) ?? ""
        let known = community.count == 12 && actor.scope.contains(code: community)
            ? try await sql.select().column("code").from(Division.schema).where("code", .equal, SQLBind(community)).first() != nil : false
        if !known { errors.append(FieldError("community_code", "请选择本辖区的村/社区")) }
        guard errors.isEmpty, let title = i.title?.trimmingCharacters(in: .whitespaces), let employer = i.employer?.trimmingCharacters(in: .whitespaces),
              let hours = i.hoursPerWeek, let allowance = i.monthlyAllowance, let places = i.places
        else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "employment_posts")
                .columns("id", "title", "employer", "community_code", "street_code", "hours_per_week", "monthly_allowance", "places", "created_by", "version", "created_at")
                .values(SQLBind(id), SQLBind(String(title.prefix(100))), SQLBind(String(employer.prefix(100))), SQLBind(community),
                        SQLBind(String(community.prefix(9)) + "000"), SQLBind(hours), SQLBind(allowance), SQLBind(places), SQLBind(actor.audit.username),
                        SQLBind(1), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(EmploymentAudit.post, target: .employmentPost(id), detail: ["places": String(places)])],
                                      by: actor.audit, on: db)
        }
        return try await requirePost(id, in: actor.scope)
    }

    /// 安置: a designated 就业困难人员 with an open registration into a post with a free place, from a day that has
    /// come to an end within the district's term. The registration ends (公益性岗位安置) and the 失业人员 tag is cleared
    /// in the same transaction.
    public func place(post postID: UUID, resident: UUID?, start: String?, end: String?, by actor: EmploymentActor) async throws -> EmploymentPlacementRecord {
        guard actor.mayJobs else { throw RegistryError.forbidden("您没有安置公益性岗位的权限") }
        let post = try await requirePost(postID, in: actor.scope)
        var errors = FieldErrors()
        guard let resident else { throw RegistryError.invalid([FieldError("resident_id", "请选择安置的就业困难人员")]) }
        let registration = try await registrationSelect.where(SQLColumn("resident_id", table: "e"), .equal, SQLBind(resident))
            .where(SQLColumn("status", table: "e"), .equal, SQLBind(RegistrationStatus.open.rawValue)).first()?.decodeRecord(EmploymentRegistrationRecord.self)
        let (startDay, e1) = EmploymentRules.checkPastDay(start, field: "start_on", label: "上岗日期", today: today)
        for e in e1 { errors.add(e) }
        var endDay: CivilDate?
        if let raw = end?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let d = CivilDate(raw) { endDay = d } else { errors.add("end_on", "结束日期应为日期（YYYY-MM-DD）") }
        } else { errors.add("end_on", "请填写安置结束日期") }
        let term = try await termMonths().months
        if let s = startDay, let e = endDay { for x in PublicWelfareRules.checkTerm(start: s, end: e, termMonths: term) { errors.add(x) } }
        let from = (startDay ?? self.today).description
        if let current = try await placements(ofResident: resident).first(where: { $0.untilOn >= from }) {
            throw RegistryError.conflict(FieldError("resident_id", "该居民已在公益性岗位“\(current.postTitle ?? "")”安置（至\(current.untilOn)），同一时间只能安置一个岗位"))
        }
        if let r = registration {
            if !actor.scope.contains(code: r.gridCode) { errors.add("resident_id", "本辖区没有该居民的失业登记") } else if !r.designated {
                errors.add("resident_id", "该居民尚未认定为就业困难人员")
            } else if let s = startDay, let reg = CivilDate(r.registeredOn), s < reg { errors.add("start_on", "上岗日期不能早于失业登记日期（\(reg)）") }
        } else { errors.add("resident_id", "该居民没有在册的失业登记，须先登记并认定为就业困难人员") }
        guard errors.isEmpty, let registration, let startDay, let endDay else { throw RegistryError.invalid(errors.errors) }
        let id = UUID(), at = nowSeconds, today = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE employment_placements IN SHARE ROW EXCLUSIVE MODE").run() }
            let base = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_placements")
                .where("until_on", .greaterThanOrEqual, SQLBind(startDay.description))
            if try await SQLHelpers.count(base.where("resident_id", .equal, SQLBind(resident))) > 0 {
                throw RegistryError.conflict(FieldError("resident_id", "该居民已在公益性岗位安置，同一时间只能安置一个岗位"))
            }
            let held = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("employment_placements")
                .where("until_on", .greaterThanOrEqual, SQLBind(startDay.description)).where("post_id", .equal, SQLBind(postID)))
            if held >= post.places { throw RegistryError.conflict(FieldError("post_id", "该岗位\(post.places)个名额已满")) }
            try await sql.insert(into: "employment_placements")
                .columns("id", "post_id", "registration_id", "resident_id", "grid_code", "street_code", "start_on", "end_on", "until_on", "monthly_allowance",
                         "placed_by", "version", "created_at")
                .values(SQLBind(id), SQLBind(postID), SQLBind(registration.id), SQLBind(resident), SQLBind(registration.gridCode),
                        SQLBind(post.streetCode), SQLBind(startDay.description), SQLBind(endDay.description), SQLBind(endDay.description),
                        SQLBind(post.monthlyAllowance), SQLBind(actor.audit.username), SQLBind(1), SQLBind(at)).run()
            let days = CivilDate(registration.registeredOn).map { startDay.dayNumber - $0.dayNumber } ?? 0
            try await Self.bump(registration.id, version: registration.version, db: db) { $0.set("status", to: SQLBind(RegistrationStatus.exited.rawValue))
                .set("exit_reason", to: SQLBind(EmploymentExitReason.publicWelfare.rawValue)).set("exit_on", to: SQLBind(startDay.description))
                .set("exit_employer", to: SQLBind(post.employer)).set("exit_days", to: SQLBind(days)).set("updated_at", to: SQLBind(at)) }
            try await FollowedTags.set(.unemployed, present: false, on: resident, today: today, on: db)
            try await AuditLog.append([AuditEvent(EmploymentAudit.place, target: .employmentPost(postID), detail: ["placement": id.uuidString.lowercased()])],
                                      by: actor.audit, on: db)
        }
        guard let placed = try await placements(ofPost: postID).first(where: { $0.id == id }) else { throw RegistryError.notFound("安置记录") }
        return placed
    }

    /// A placement ended before its term (辞职、解除): the place is free from the next day.
    public func endPlacement(_ id: UUID, on raw: String?, reason: String?, version: Int, by actor: EmploymentActor) async throws -> EmploymentPlacementRecord {
        guard actor.mayJobs else { throw RegistryError.forbidden("您没有办理公益性岗位的权限") }
        guard let p = try await placementSelect.where(SQLColumn("id", table: "x"), .equal, SQLBind(id)).first()?.decodeRecord(EmploymentPlacementRecord.self),
              try await post(p.postId, in: actor.scope) != nil else { throw RegistryError.notFound("安置记录") }
        var errors = FieldErrors()
        let (day, e) = EmploymentRules.checkPastDay(raw, field: "ended_on", label: "离岗日期", today: today, notBefore: CivilDate(p.startOn), notBeforeLabel: "上岗日期")
        for x in e { errors.add(x) }
        if let day, let end = CivilDate(p.untilOn), end < day { errors.add("ended_on", "离岗日期不能晚于安置结束日期（\(end)）") }
        let reason = Self.text(reason, "ended_reason", "离岗原因", max: 200, required: true, into: &errors)
        guard errors.isEmpty, let day else { throw RegistryError.invalid(errors.errors) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let v = try await sql.select().column("version").from("employment_placements").where("id", .equal, SQLBind(id)).first()?
                .decode(column: "version", as: Int.self) ?? 0
            guard v == version else { throw RegistryError.staleVersion(current: v) }
            try await sql.update("employment_placements").set("until_on", to: SQLBind(day.description)).set("ended_reason", to: SQLBind(reason))
                .set("version", to: SQLBind(v + 1)).where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(EmploymentAudit.endPlacement, target: .employmentPost(p.postId), detail: ["placement": id.uuidString.lowercased()])],
                                      by: actor.audit, on: db)
        }
        return try await placements(ofPost: p.postId).first { $0.id == id } ?? p
    }

    // MARK: The allowance roll

    /// Everyone of a street in a placement in `year`-`month`, with the month's allowance: whole months whole, a part
    /// month by its days (`PublicWelfareRules.allowance`). One indexed range on the street's placements.
    public func allowanceRoll(street: String, year: Int, month: Int, in scope: RegistryScope) async throws -> [AllowanceLine] {
        guard scope.contains(code: street) else { throw RegistryError.notFound("街道") }
        let first = CivilDate(year: year, month: month, day: 1)!, last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
        return try await placementSelect.column(SQLColumn("community_code", table: "p"))
            .where(SQLColumn("street_code", table: "x"), .equal, SQLBind(street))
            .where(SQLColumn("until_on", table: "x"), .greaterThanOrEqual, SQLBind(first.description))
            .where(SQLColumn("start_on", table: "x"), .lessThanOrEqual, SQLBind(last.description))
            .orderBy(SQLColumn("community_code", table: "p")).orderBy(SQLColumn("title", table: "p")).orderBy(SQLColumn("name", table: "r")).all()
            .compactMap { row in
                let p = try row.decodeRecord(EmploymentPlacementRecord.self)
                guard let from = CivilDate(p.startOn), let to = CivilDate(p.untilOn) else { return nil }
                let a = PublicWelfareRules.allowance(monthly: p.monthlyAllowance, from: from, to: to, year: year, month: month)
                return AllowanceLine(name: p.name ?? "", idMasked: p.idMasked ?? "", communityCode: try row.decode(column: "community_code", as: String.self),
                                     postTitle: p.postTitle ?? "", employer: p.employer ?? "", startOn: p.startOn, untilOn: p.untilOn,
                                     monthlyAllowance: p.monthlyAllowance, days: a.days, amount: a.amount)
            }
    }

    /// The roll as .xlsx at `path`, the export audited.
    public func exportRoll(street: String, year: Int, month: Int, to path: String, by actor: EmploymentActor) async throws -> Int {
        guard actor.mayJobs || actor.mayConfigure else { throw RegistryError.forbidden("您没有导出岗位补贴名册的权限") }
        let lines = try await allowanceRoll(street: street, year: year, month: month, in: actor.scope)
        let w = try XLSXWriter(path: path, sheetName: "岗位补贴", columnWidths: [10, 22, 14, 20, 24, 12, 12, 10, 8, 10])
        try w.header(["姓名", "公民身份号码", "村/社区", "岗位", "用人单位", "上岗日期", "安置至", "月补贴（元）", "天数", "本月补贴（元）"])
        for l in lines {
            try w.row([.text(l.name), .text(l.idMasked), .text(l.communityCode), .text(l.postTitle), .text(l.employer), .text(l.startOn), .text(l.untilOn),
                       .number(Double(l.monthlyAllowance)), .number(Double(l.days)), .number(Double(l.amount))])
        }
        try w.row([.text("合计"), .text(""), .text(""), .text(""), .text(""), .text(""), .text(""), .text(""), .text(""),
                   .number(Double(lines.reduce(0) { $0 + $1.amount }))])
        try w.close()
        let monthText = String(format: "%04d-%02d", year, month)
        try await AuditLog.record(AuditEvent(EmploymentAudit.roll, target: .employmentRoll(street, monthText), detail: ["rows": String(lines.count)]),
                                  by: actor.audit, on: db, now: now())
        return lines.count
    }
}
