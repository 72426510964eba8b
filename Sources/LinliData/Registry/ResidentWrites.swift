import FluentKit
import Foundation
import LinliCore
import SQLKit

extension ResidentQueries {
    /// Checks a draft against every rule and, when all pass, writes the person, their tags and the event
    /// that put them on the registry in one transaction.
    public func create(_ draft: ResidentDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> ResidentRecord {
        var errors = FieldErrors()
        var name = ""
        switch ResidentRules.checkName(draft.name) {
        case .success(let n): name = n
        case .failure(let e): errors.add(e)
        }
        var citizenID: CitizenID?
        do { citizenID = try CitizenID(draft.idNumber ?? "", today: today) } catch { errors.add("id_number", error.message) }
        var phone: String?
        if let p = draft.phone, !p.isEmpty {
            switch ResidentRules.checkPhone(p) {
            case .success(let v): phone = v
            case .failure(let e): errors.add(e)
            }
        }
        let relation = parse(HouseholdRelation.self, draft.relation, field: "relation", label: "与户主关系", errors: &errors)
        let status = parse(ResidenceStatus.self, draft.residenceStatus ?? ResidenceStatus.registered.rawValue,
                           field: "residence_status", label: "户籍类型", errors: &errors)
        let tags = parseTags(draft.tags ?? [], keeping: [], errors: &errors)
        let origin = draft.origin ?? ResidentEventKind.registered.rawValue
        let kind = ResidentEventKind(rawValue: origin)
        if kind == nil || ![.registered, .birth, .moveIn].contains(kind!) {
            errors.add("origin", "登记方式应为 registered（建档）、birth（出生）或 move_in（迁入）")
        }
        var occurredOn = today
        if let text = draft.occurredOn {
            if let d = CivilDate(text) { occurredOn = d } else { errors.add("occurred_on", "日期格式应为 YYYY-MM-DD") }
        } else if kind == .birth, let id = citizenID {
            occurredOn = id.birthDate
        }
        if occurredOn > today { errors.add("occurred_on", "日期不能晚于今天") }
        if let id = citizenID, occurredOn < id.birthDate { errors.add("occurred_on", "日期不能早于出生日期") }
        if kind == .birth, let id = citizenID, id.birthDate.adding(days: 366) < today {
            errors.add("origin", "出生登记只适用于一岁以内的新生儿")
        }
        if let note = draft.note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        var household: HouseholdRecord?
        if let hid = draft.householdID {
            household = try await HouseholdQueries(db).find(id: hid, in: scope)
            if household == nil { errors.add("household_id", "户不存在或不在您的管辖范围内") }
        } else {
            errors.add("household_id", "请选择所在户")
        }
        guard errors.isEmpty, let citizenID, let household, let relation, let status, let kind else {
            throw RegistryError.invalid(errors.errors)
        }

        let index = cipher.blindIndex(citizenID.value)
        let reading = Pinyin.reading(ofName: name)
        let id = UUID()
        let row = try ResidentRow(
            id: id, name: name, namePinyin: reading.full, nameInitials: reading.initials,
            idCipher: cipher.seal(citizenID.value), idIndex: index, idMasked: Masking.citizenID(citizenID.value),
            birthDate: citizenID.birthDate.description, sex: citizenID.sex.rawValue,
            phoneCipher: phone.map { try cipher.seal($0) }, phoneMasked: phone.map(Masking.phone),
            householdId: household.id, relation: relation.rawValue, residenceStatus: status.rawValue,
            lifeStatus: LifeStatus.active.rawValue, gridCode: household.gridCode,
            tags: tags.map(\.rawValue).joined(separator: ","), version: 1)
        let event = EventRow(residentId: id, kind: kind.rawValue, occurredOn: occurredOn.description,
                             toHouseholdId: household.id, note: draft.note)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from(Resident.schema)
                .where("id_index", .in, cipher.blindIndexes(citizenID.value)).first() != nil {
                throw RegistryError.conflict(FieldError("id_number", "该公民身份号码已登记"))
            }
            if relation == .head { try await ResidentQueries.checkNoOtherHead(household.id, except: id, on: db) }
            try await sql.insert(into: Resident.schema).model(row, keyEncodingStrategy: .convertToSnakeCase).run()
            try await ResidentQueries.insertTags(tags, for: id, on: db)
            try await sql.insert(into: ResidentEvent.schema).model(event, keyEncodingStrategy: .convertToSnakeCase).run()
            try await AuditLog.append([AuditEvent(RegistryAudit.residentCreate, target: .resident(id),
                                                  detail: ["origin": kind.rawValue, "household": household.number])], by: actor, on: db)
        }
        return try await find(id: id, in: scope)!
    }

    /// Applies a patch if `version` is still current, and records what changed as an `update` event.
    public func update(id: UUID, _ patch: ResidentPatch, in scope: RegistryScope, by actor: AuditActor) async throws -> ResidentRecord {
        guard let current = try await find(id: id, in: scope) else { throw RegistryError.notFound("居民") }
        var errors = FieldErrors()
        var sets: [(String, any Encodable & Sendable)] = []
        var changes: [String: [String: String?]] = [:]
        if let raw = patch.name {
            switch ResidentRules.checkName(raw) {
            case .success(let name) where name != current.name:
                let reading = Pinyin.reading(ofName: name)
                sets += [("name", name), ("name_pinyin", reading.full), ("name_initials", reading.initials)]
                changes["name"] = ["from": current.name, "to": name]
            case .success: break
            case .failure(let e): errors.add(e)
            }
        }
        var newIndexes: [String]?
        if let raw = patch.idNumber {
            switch Result(catching: { () throws(CitizenID.Problem) in try CitizenID(raw, today: today) }) {
            case .success(let cid):
                let index = cipher.blindIndex(cid.value), indexes = cipher.blindIndexes(cid.value)
                if try await !indexes.contains(idIndex(of: id) ?? "") {
                    newIndexes = indexes
                    sets += [("id_cipher", try cipher.seal(cid.value)), ("id_index", index), ("id_masked", Masking.citizenID(cid.value)),
                             ("birth_date", cid.birthDate.description), ("sex", cid.sex.rawValue)]
                    // The numbers themselves stay out of the history; that they changed does not.
                    changes["id_number"] = ["from": current.idMasked, "to": Masking.citizenID(cid.value)]
                }
            case .failure(let problem): errors.add("id_number", problem.message)
            }
        }
        if let phone = patch.phone {
            if let p = phone, !p.isEmpty {
                switch ResidentRules.checkPhone(p) {
                case .success(let v):
                    sets += [("phone_cipher", try cipher.seal(v)), ("phone_masked", Masking.phone(v))]
                    changes["phone"] = ["from": current.phoneMasked, "to": Masking.phone(v)]
                case .failure(let e): errors.add(e)
                }
            } else if current.phoneMasked != nil {
                sets += [("phone_cipher", Optional<Data>.none), ("phone_masked", Optional<String>.none)]
                changes["phone"] = ["from": current.phoneMasked, "to": nil]
            }
        }
        var newRelation: HouseholdRelation?
        if let raw = patch.relation, let r = parse(HouseholdRelation.self, raw, field: "relation", label: "与户主关系", errors: &errors),
           r != current.relation {
            newRelation = r
            sets.append(("relation", r.rawValue))
            changes["relation"] = ["from": current.relation.rawValue, "to": r.rawValue]
        }
        if let raw = patch.residenceStatus, let s = parse(ResidenceStatus.self, raw, field: "residence_status", label: "户籍类型", errors: &errors),
           s != current.residenceStatus {
            sets.append(("residence_status", s.rawValue))
            changes["residence_status"] = ["from": current.residenceStatus.rawValue, "to": s.rawValue]
        }
        var newTags: [ResidentTag]?
        if let raw = patch.tags {
            let tags = ResidentTag.afterHandEdit(typed: parseTags(raw, keeping: current.recordedTags, errors: &errors),
                                                 current: current.recordedTags)
            let joined = tags.map(\.rawValue).joined(separator: ",")
            if joined != current.tags {
                newTags = tags
                sets.append(("tags", joined))
                changes["tags"] = ["from": current.tags, "to": joined]
            }
        }
        if let note = patch.note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        if patch.version != current.version { throw RegistryError.staleVersion(current: current.version) }
        if sets.isEmpty { return current }

        let changesJSON = String(decoding: try JSONEncoder.sorted.encode(changes), as: UTF8.self)
        let changedFields = changes.keys.sorted().joined(separator: ",")
        try await db.writeTransaction { [sets, newRelation, newTags, newIndexes] db in
            let sql = SQLHelpers.sql(db)
            if let newIndexes,
               try await sql.select().column("id").from(Resident.schema).where("id_index", .in, newIndexes)
                .where("id", .notEqual, SQLBind(id)).first() != nil {
                throw RegistryError.conflict(FieldError("id_number", "该公民身份号码已登记"))
            }
            if newRelation == .head { try await ResidentQueries.checkNoOtherHead(current.householdId, except: id, on: db) }
            var update = sql.update(Resident.schema)
            for (column, value) in sets { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            let changed = try await update.set("version", to: SQLBind(patch.version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(patch.version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version + 1) }
            if let newTags {
                try await sql.delete(from: ResidentTagRow.schema).where("resident_id", .equal, SQLBind(id)).run()
                try await ResidentQueries.insertTags(newTags, for: id, on: db)
            }
            try await sql.insert(into: ResidentEvent.schema).model(
                EventRow(residentId: id, kind: ResidentEventKind.update.rawValue, occurredOn: today.description,
                         changes: changesJSON, note: patch.note),
                keyEncodingStrategy: .convertToSnakeCase).run()
            try await AuditLog.append([AuditEvent(RegistryAudit.residentUpdate, target: .resident(id),
                                                  detail: ["fields": changedFields])], by: actor, on: db)
        }
        cache?.remove(id)
        return try await find(id: id, in: scope)!
    }

    /// Records a move to another household, a death or a move out of the district.
    public func record(_ change: ResidentChange, for id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> ResidentRecord {
        guard let current = try await find(id: id, in: scope) else { throw RegistryError.notFound("居民") }
        var errors = FieldErrors()
        guard [.move, .death, .moveOut].contains(change.kind) else {
            throw RegistryError.invalid([FieldError("kind", "变动类型应为 move（户间迁移）、death（死亡）或 move_out（迁出）")])
        }
        var occurredOn = today
        if let text = change.occurredOn {
            if let d = CivilDate(text) { occurredOn = d } else { errors.add("occurred_on", "日期格式应为 YYYY-MM-DD") }
        }
        if occurredOn > today { errors.add("occurred_on", "日期不能晚于今天") }
        if let birth = CivilDate(current.birthDate), occurredOn < birth { errors.add("occurred_on", "日期不能早于出生日期") }
        if current.lifeStatus != .active {
            errors.add("kind", "该居民\(current.lifeStatus.label)，不能再登记变动")
        }
        if let note = change.note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        var target: HouseholdRecord?
        var relation: HouseholdRelation?
        if change.kind == .move {
            if let to = change.toHouseholdID {
                target = try await HouseholdQueries(db).find(id: to, in: scope)
                if target == nil { errors.add("to_household_id", "迁入户不存在或不在您的管辖范围内") }
                if to == current.householdId { errors.add("to_household_id", "迁入户与现在所在户相同") }
            } else {
                errors.add("to_household_id", "请选择迁入户")
            }
            relation = parse(HouseholdRelation.self, change.relation, field: "relation", label: "在新户中与户主关系", errors: &errors)
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        if change.version != current.version { throw RegistryError.staleVersion(current: current.version) }

        try await db.writeTransaction { [target, relation, occurredOn] db in
            let sql = SQLHelpers.sql(db)
            // A party member's community follows their home (社区党建's tally, same transaction).
            let party = target == nil ? nil : try await PartyTally.key(resident: id, on: db)
            var update = sql.update(Resident.schema)
            if let target, let relation {
                if relation == .head { try await ResidentQueries.checkNoOtherHead(target.id, except: id, on: db) }
                update = update.set("household_id", to: SQLBind(target.id)).set("grid_code", to: SQLBind(target.gridCode))
                    .set("relation", to: SQLBind(relation.rawValue))
            } else {
                let status: LifeStatus = change.kind == .death ? .deceased : .movedOut
                update = update.set("life_status", to: SQLBind(status.rawValue))
            }
            let changed = try await update.set("version", to: SQLBind(change.version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(change.version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version + 1) }
            if let party { try await PartyTally.move(from: party, to: try await PartyTally.key(resident: id, on: db), on: sql) }
            try await sql.insert(into: ResidentEvent.schema).model(
                EventRow(residentId: id, kind: change.kind.rawValue, occurredOn: occurredOn.description,
                         fromHouseholdId: current.householdId, toHouseholdId: target?.id, note: change.note),
                keyEncodingStrategy: .convertToSnakeCase).run()
            try await AuditLog.append([AuditEvent(RegistryAudit.residentEvent(change.kind), target: .resident(id),
                                                  detail: ["occurred_on": occurredOn.description])], by: actor, on: db)
        }
        cache?.remove(id)
        return try await find(id: id, in: scope)!
    }

    // MARK: Helpers

    private func idIndex(of id: UUID) async throws -> String? {
        try await SQLHelpers.sql(db).select().column("id_index").from(Resident.schema).where("id", .equal, SQLBind(id))
            .first()?.decode(column: "id_index", as: String.self)
    }

    private func parse<T: RawRepresentable>(_ type: T.Type, _ raw: String?, field: String, label: String, errors: inout FieldErrors) -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let raw, !raw.isEmpty else { errors.add(field, "请填写\(label)"); return nil }
        guard let value = T(rawValue: raw) else {
            errors.add(field, "\(label)无效，可选值：\(T.allCases.map(\.rawValue).joined(separator: "、"))")
            return nil
        }
        return value
    }

    /// The typed tags of a draft or patch. A tag a register decides may be sent back unchanged (`keeping` holds
    /// the person's); adding it by hand is refused.
    private func parseTags(_ raw: [String], keeping: [ResidentTag], errors: inout FieldErrors) -> [ResidentTag] {
        var tags: [ResidentTag] = []
        for t in raw {
            guard let tag = ResidentTag(rawValue: t) else {
                errors.add("tags", "未知标签“\(t)”，可选：\(ResidentTag.handTyped.map(\.rawValue).joined(separator: "、"))")
                continue
            }
            if tag.isDerived { errors.add("tags", "“\(tag.label)”由出生日期自动得出，不能手工设置"); continue }
            if let record = tag.followedRecord {
                if !keeping.contains(tag) { errors.add("tags", "“\(tag.label)”随\(record)自动更新，不能手工设置") }
                continue
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return ResidentTag.recorded.filter(tags.contains)
    }

    static func checkNoOtherHead(_ household: UUID, except id: UUID, on db: any Database) async throws {
        let other = try await SQLHelpers.sql(db).select().column("id").from(Resident.schema)
            .where("household_id", .equal, SQLBind(household)).where("relation", .equal, SQLBind(HouseholdRelation.head.rawValue))
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).where("id", .notEqual, SQLBind(id)).first()
        if other != nil { throw RegistryError.invalid([FieldError("relation", "该户已有户主")]) }
    }

    static func insertTags(_ tags: [ResidentTag], for id: UUID, on db: any Database) async throws {
        guard !tags.isEmpty else { return }
        try await SQLHelpers.sql(db).insert(into: ResidentTagRow.schema)
            .models(tags.map { TagRow(id: UUID(), residentId: id, tag: $0.rawValue) }, keyEncodingStrategy: .convertToSnakeCase).run()
    }
}

/// Column-for-column rows for SQLKit inserts (the bulk loader uses them too).
struct ResidentRow: Encodable, Sendable {
    var id: UUID
    var name: String
    var namePinyin: String
    var nameInitials: String
    var idCipher: Data
    var idIndex: String
    var idMasked: String
    var birthDate: String
    var sex: String
    var phoneCipher: Data?
    var phoneMasked: String?
    var householdId: UUID
    var relation: String
    var residenceStatus: String
    var lifeStatus: String
    var gridCode: String
    var tags: String
    var version: Int
    var createdAt = Date()
    var updatedAt = Date()

    // Encode nil as NULL rather than leaving the column out, so every row of a batch has the same columns.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(namePinyin, forKey: .namePinyin)
        try c.encode(nameInitials, forKey: .nameInitials); try c.encode(idCipher, forKey: .idCipher)
        try c.encode(idIndex, forKey: .idIndex); try c.encode(idMasked, forKey: .idMasked)
        try c.encode(birthDate, forKey: .birthDate); try c.encode(sex, forKey: .sex)
        try c.encode(phoneCipher, forKey: .phoneCipher); try c.encode(phoneMasked, forKey: .phoneMasked)
        try c.encode(householdId, forKey: .householdId); try c.encode(relation, forKey: .relation)
        try c.encode(residenceStatus, forKey: .residenceStatus); try c.encode(lifeStatus, forKey: .lifeStatus)
        try c.encode(gridCode, forKey: .gridCode); try c.encode(tags, forKey: .tags); try c.encode(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt); try c.encode(updatedAt, forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, namePinyin, nameInitials, idCipher, idIndex, idMasked, birthDate, sex, phoneCipher, phoneMasked
        case householdId, relation, residenceStatus, lifeStatus, gridCode, tags, version, createdAt, updatedAt
    }
}

struct TagRow: Encodable, Sendable {
    var id: UUID
    var residentId: UUID
    var tag: String
}

struct EventRow: Encodable, Sendable {
    var id = UUID()
    var residentId: UUID
    var kind: String
    var occurredOn: String
    var fromHouseholdId: UUID?
    var toHouseholdId: UUID?
    var changes: String?
    var note: String?
    var recordedAt = Date()

    init(residentId: UUID, kind: String, occurredOn: String, fromHouseholdId: UUID? = nil, toHouseholdId: UUID? = nil,
         changes: String? = nil, note: String? = nil) {
        self.residentId = residentId; self.kind = kind; self.occurredOn = occurredOn
        self.fromHouseholdId = fromHouseholdId; self.toHouseholdId = toHouseholdId; self.changes = changes; self.note = note
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(residentId, forKey: .residentId); try c.encode(kind, forKey: .kind)
        try c.encode(occurredOn, forKey: .occurredOn); try c.encode(fromHouseholdId, forKey: .fromHouseholdId)
        try c.encode(toHouseholdId, forKey: .toHouseholdId); try c.encode(changes, forKey: .changes)
        try c.encode(note, forKey: .note); try c.encode(recordedAt, forKey: .recordedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, residentId, kind, occurredOn, fromHouseholdId, toHouseholdId, changes, note, recordedAt
    }
}

extension JSONEncoder {
    public static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
