import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Sets or clears a tag that follows a capability's register (失业人员, 残疾人) on one person, inside the
/// register's own write transaction, so that the tag and the record never disagree. The change is a 信息变更
/// in the person's history and bumps the version, so an edit begun before it is refused as stale (409).
public enum FollowedTags {
    /// Returns true when the tag changed. Call `cache?.remove(residentID)` after the transaction commits.
    @discardableResult
    public static func set(_ tag: ResidentTag, present: Bool, on residentID: UUID, today: CivilDate, on db: any Database) async throws -> Bool {
        precondition(tag.followedRecord != nil, "only a tag that follows a register is set this way")
        let sql = SQLHelpers.sql(db)
        guard let row = try await sql.select().column("tags").column("version").from(Resident.schema)
                .where("id", .equal, SQLBind(residentID)).first() else { return false }
        let current = try row.decode(column: "tags", as: String.self).split(separator: ",").compactMap { ResidentTag(rawValue: String($0)) }
        let version = try row.decode(column: "version", as: Int.self)
        guard current.contains(tag) != present else { return false }
        let next = ResidentTag.recorded.filter { $0 == tag ? present : current.contains($0) }
        let from = current.map(\.rawValue).joined(separator: ","), to = next.map(\.rawValue).joined(separator: ",")
        try await sql.update(Resident.schema).set("tags", to: SQLBind(to)).set("version", to: SQLBind(version + 1))
            .set("updated_at", to: SQLBind(Date())).where("id", .equal, SQLBind(residentID)).run()
        if present {
            try await ResidentQueries.insertTags([tag], for: residentID, on: db)
        } else {
            try await sql.delete(from: ResidentTagRow.schema).where("resident_id", .equal, SQLBind(residentID))
                .where("tag", .equal, SQLBind(tag.rawValue)).run()
        }
        let changes = String(decoding: try JSONEncoder.sorted.encode(["tags": ["from": from, "to": to]]), as: UTF8.self)
        try await sql.insert(into: ResidentEvent.schema).model(
            EventRow(residentId: residentID, kind: ResidentEventKind.update.rawValue, occurredOn: today.description,
                     changes: changes, note: "“\(tag.label)”随\(tag.followedRecord ?? "")更新"),
            keyEncodingStrategy: .convertToSnakeCase).run()
        return true
    }

    /// The demo's and the bulk loaders' way: the tag on many people at once, without history entries (they
    /// are written with the register rows they follow). People who already have it are left alone.
    public static func addBulk(_ tag: ResidentTag, to residentIDs: [UUID], on db: any Database) async throws {
        precondition(tag.followedRecord != nil, "only a tag that follows a register is set this way")
        let sql = SQLHelpers.sql(db)
        for chunk in stride(from: 0, to: residentIDs.count, by: 500).map({ Array(residentIDs[$0..<min($0 + 500, residentIDs.count)]) }) {
            let rows = try await sql.select().column("id").column("tags").from(Resident.schema).where("id", .in, chunk).all()
            var added: [UUID] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let current = try row.decode(column: "tags", as: String.self).split(separator: ",").compactMap { ResidentTag(rawValue: String($0)) }
                guard !current.contains(tag) else { continue }
                let next = ResidentTag.recorded.filter { $0 == tag || current.contains($0) }.map(\.rawValue).joined(separator: ",")
                try await sql.update(Resident.schema).set("tags", to: SQLBind(next)).where("id", .equal, SQLBind(id)).run()
                added.append(id)
            }
            guard !added.isEmpty else { continue }
            try await sql.insert(into: ResidentTagRow.schema)
                .models(added.map { TagRow(id: UUID(), residentId: $0, tag: tag.rawValue) }, keyEncodingStrategy: .convertToSnakeCase).run()
        }
    }
}
