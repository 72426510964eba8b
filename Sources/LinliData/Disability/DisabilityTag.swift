import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The registry tag 残疾人 follows the card: set when one is registered, cleared when it ends.
enum DisabilityTag {
    static func follow(_ present: Bool, _ resident: UUID, today: CivilDate, db: any Database) async throws {
        let sql = SQLHelpers.sql(db)
        guard let row = try await sql.select().column("tags").from(Resident.schema).where("id", .equal, SQLBind(resident)).first() else { return }
        var tags = try row.decode(column: "tags", as: String.self).split(separator: ",").map(String.init)
        let tag = ResidentTag.disabled.rawValue
        if present == tags.contains(tag) { return }
        if present { tags.append(tag) } else { tags.removeAll { $0 == tag } }
        let ordered = ResidentTag.allCases.map(\.rawValue).filter(tags.contains)
        try await sql.update(Resident.schema).set("tags", to: SQLBind(ordered.joined(separator: ","))).where("id", .equal, SQLBind(resident)).run()
        if present {
            try await sql.insert(into: ResidentTagRow.schema).columns("id", "resident_id", "tag").values(SQLBind(UUID()), SQLBind(resident), SQLBind(tag)).run()
        } else {
            try await sql.delete(from: ResidentTagRow.schema).where("resident_id", .equal, SQLBind(resident)).where("tag", .equal, SQLBind(tag)).run()
        }
    }
}

extension DisabilityTag {
    /// The demo's holders, a chunk at a time.
    static func addBulk(_ residents: [UUID], db: any Database) async throws {
        let sql = SQLHelpers.sql(db), tag = ResidentTag.disabled.rawValue
        for start in stride(from: 0, to: residents.count, by: 500) {
            let chunk = Array(residents[start..<min(start + 500, residents.count)])
            let have = Set(try await sql.select().column("resident_id").from(ResidentTagRow.schema).where("tag", .equal, SQLBind(tag))
                .where("resident_id", .in, SQLBind.group(chunk)).all().map { try $0.decode(column: "resident_id", as: UUID.self) })
            let missing = chunk.filter { !have.contains($0) }
            if missing.isEmpty { continue }
            try await sql.raw("""
                UPDATE residents SET tags = CASE WHEN tags = '' THEN \(bind: tag) ELSE tags || \(bind: "," + tag) END WHERE id IN (\(binds: missing))
                """).run()
            var rows = BulkInsert(ResidentTagRow.schema, ["id", "resident_id", "tag"])
            for r in missing { rows.add([UUID(), r, tag]) }
            try await rows.flush(on: db)
        }
    }
}
