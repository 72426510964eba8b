import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

extension Application {
    /// Registers a person through the API with the typed tags, and sets those a register decides (残疾人, 失业人员)
    /// the way the register does; returns the person's id.
    func registerPerson(_ name: String, idNumber: String, household: String, tags: [String]) async throws -> String {
        let followed = tags.compactMap(ResidentTag.init(rawValue:)).filter { $0.followedRecord != nil }
        let r = try await call(.POST, "/api/v1/residents", json: [
            "name": name, "id_number": idNumber, "household_id": household, "relation": "other",
            "tags": tags.filter { t in !followed.contains { $0.rawValue == t } },
        ])
        #expect(r.status == .created, "\(r.text)")
        let id = try #require(r.json["id"].string, "\(r.text)")
        let uuid = try #require(UUID(uuidString: id))
        for tag in followed { try await FollowedTags.set(tag, present: true, on: uuid, today: linli.today(), on: db) }
        linli.residentCache?.remove(uuid)
        return id
    }
}

/// 失业人员 and 残疾人 follow their registers: nobody types them, an edit keeps them, the register sets them.
@Suite("Tags that follow a register", .serialized)
struct FollowedTagsTests {
    @Test("typing 失业人员, 残疾人 or 党员 on a new person is refused, naming the field")
    func refusedOnCreate() async throws {
        try await withTestApp { app in
            let household = try await app.anyHousehold()
            for tag in ["unemployed", "disabled", "party_member"] {
                let r = try await app.call(.POST, "/api/v1/residents", json: [
                    "name": "标签测试", "id_number": newID("1985-02-03", sequence: 611), "household_id": household.id,
                    "relation": "other", "tags": ["veteran", tag],
                ])
                #expect(r.status == .unprocessableEntity, "\(r.text)")
                #expect(r.text.contains("tags") && r.text.contains("不能手工设置"), "\(r.text)")
            }
        }
    }

    @Test("the register sets the tag with a history entry and a new version; an edit keeps it and cannot add or drop it")
    func followsAndSurvivesEdits() async throws {
        try await withTestApp { app in
            let household = try await app.anyHousehold()
            let created = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "标签测试", "id_number": newID("1985-02-03", sequence: 612), "household_id": household.id,
                "relation": "other", "tags": ["veteran"],
            ])
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"].string)
            let uuid = try #require(UUID(uuidString: id))
            let path = "/api/v1/residents/\(id)"

            // A hand edit may not add it.
            let added = try await app.call(.PATCH, path, json: ["tags": ["veteran", "unemployed"], "version": 1])
            #expect(added.status == .unprocessableEntity, "\(added.text)")
            #expect(added.text.contains("失业登记"), "\(added.text)")

            #expect(try await FollowedTags.set(.unemployed, present: true, on: uuid, today: app.linli.today(), on: app.db))
            #expect(try await !FollowedTags.set(.unemployed, present: true, on: uuid, today: app.linli.today(), on: app.db))
            app.linli.residentCache?.remove(uuid)  // as the register does after its transaction
            let read = try await app.call(.GET, path)
            #expect(read.status == .ok)
            #expect(read.json["tags"].array.map(\.string) == ["unemployed", "veteran"])
            #expect(read.json["version"].int == 2)
            let filtered = try await app.call(.GET, "/api/v1/residents?tag=unemployed&per_page=100")
            #expect(filtered.json["items"].array.contains { $0["id"].string == id })

            // An edit begun before the register's change is stale.
            let stale = try await app.call(.PATCH, path, json: ["tags": ["veteran"], "version": 1])
            #expect(stale.status == .conflict, "\(stale.text)")
            // An edit of the typed tags keeps the followed one, whether it is sent back or not.
            let typed = try await app.call(.PATCH, path, json: ["tags": ["living_alone"], "version": 2])
            #expect(typed.status == .ok, "\(typed.text)")
            #expect(typed.json["tags"].array.map(\.string) == ["living_alone", "unemployed"])
            let echoed = try await app.call(.PATCH, path, json: ["tags": ["unemployed"], "version": 3])
            #expect(echoed.status == .ok, "\(echoed.text)")
            #expect(echoed.json["tags"].array.map(\.string) == ["unemployed"])

            #expect(try await FollowedTags.set(.unemployed, present: false, on: uuid, today: app.linli.today(), on: app.db))
            app.linli.residentCache?.remove(uuid)
            let history = try await app.call(.GET, "\(path)/events")
            #expect(history.json.array.filter { $0["note"].string?.contains("随失业登记更新") == true }.count == 2, "\(history.text)")
            let after = try await app.call(.GET, "/api/v1/residents?tag=unemployed&per_page=100")
            #expect(after.status == .ok)
            #expect(!after.json["items"].array.contains { $0["id"].string == id })
        }
    }

    @Test("the resident form offers only the typed tags")
    func formOffersTypedTags() async throws {
        try await withTestApp { app in
            let page = try await app.page("/console/residents/new")
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"veteran\""))
            #expect(!page.text.contains("value=\"unemployed\"") && !page.text.contains("value=\"disabled\""))
        }
    }
}
