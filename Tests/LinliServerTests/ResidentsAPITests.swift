import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// A valid ID number that the demo district (seeded differently) does not hold.
/// A date that is no date fails the calling test and gives a number the API refuses (not a crash of the run).
func newID(_ birth: String = "1990-05-17", sequence: Int = 777, region: String = "321203",
           sourceLocation: SourceLocation = #_sourceLocation) -> String {
    guard let date = CivilDate(birth) else {
        Issue.record("\(birth) is no date", sourceLocation: sourceLocation)
        return "no date: \(birth)"
    }
    return CitizenID.make(region: region, birth: date, sequence: sequence)
}

/// A resident as the API answers a registration.
fileprivate struct CreatedResident: Decodable {
    var id: String
    var name: String
    var namePinyin: String
    var birthDate: String
    var sex: String
    var age: Int
    var idNumberMasked: String
    var phoneMasked: String
    var gridCode: String
    var tags: [String]
    var version: Int
}

@Suite("Residents API", .serialized)
struct ResidentsAPITests {
    @Test("creating a resident derives birth date, sex and masks numbers")
    func create() async throws {
        try await withTestApp { app in
            let household = try await app.anyHousehold()
            let id = newID("1958-03-09", sequence: 551)
            let r = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "张三", "id_number": id, "phone": "13812345678", "household_id": household.id,
                "relation": "other", "residence_status": "resident", "tags": ["living_alone", "veteran"],
            ])
            #expect(r.status == .created)
            let j = try r.decode(CreatedResident.self)
            #expect(j.name == "张三")
            #expect(j.namePinyin == "zhangsan")
            #expect(j.birthDate == "1958-03-09")
            #expect(j.sex == "male")
            #expect(j.age == 68)
            #expect(j.idNumberMasked == "321203********" + String(id.suffix(4)))
            #expect(j.phoneMasked == "138****5678")
            #expect(j.gridCode == household.grid)
            #expect(j.tags == ["elderly", "living_alone", "veteran"])
            #expect(j.version == 1)
            // The clear numbers are nowhere in the response.
            #expect(!r.text.contains(id) && !r.text.contains("13812345678"))

            let history = try await app.call(.GET, "/api/v1/residents/\(j.id)/events")
            #expect(history.json.array.map { $0["kind"].string } == ["registered"])
        }
    }

    @Test("a read by id gives the same JSON as the list, from the database and from the read cache, and sees edits at once")
    func readByID() async throws {
        try await withTestApp { app in
            let items = try await app.call(.GET, "/api/v1/residents?per_page=5").json["items"].array
            for item in items {
                let path = "/api/v1/residents/\(try #require(item["id"].string))"
                let first = try await app.call(.GET, path), second = try await app.call(.GET, path)
                #expect(first.status == .ok)
                let read = try #require(first.json.raw as? [String: Any], "\(first.text)"), listed = try #require(item.raw as? [String: Any])
                #expect(NSDictionary(dictionary: read) == NSDictionary(dictionary: listed))
                #expect(first.body == second.body)
            }
            let firstItem = try #require(items.first)
            let path = "/api/v1/residents/\(try #require(firstItem["id"].string))"
            let version = try #require(firstItem["version"].int)
            let edited = try await app.call(.PATCH, path, json: ["name": "新\"名字\\", "version": version])
            #expect(edited.status == .unprocessableEntity)  // quotes are not part of a name
            _ = try await app.call(.PATCH, path, json: ["name": "改名后", "version": version])
            #expect(try await app.call(.GET, path).json["name"].string == "改名后")
        }
    }

    @Test("a wrong check character is refused with the field and a Chinese message, and nothing is written")
    func invalidIDNumber() async throws {
        try await withTestApp { app in
            let household = try await app.anyHousehold()
            let before = try await app.rowCount("residents")
            var bad = newID()
            bad = String(bad.dropLast()) + (bad.last == "1" ? "2" : "1")
            let r = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "李四", "id_number": bad, "household_id": household.id, "relation": "other",
            ])
            #expect(r.status == .unprocessableEntity)
            #expect(r.isProblem)
            #expect(r.json["errors"][0]["field"].string == "id_number")
            #expect(r.json["errors"][0]["message"].string?.contains("校验码错误") == true)
            #expect(try await app.rowCount("residents") == before)
            #expect(try await app.rowCount("resident_events") > 0)
        }
    }

    @Test("every missing field is named at once")
    func missingFields() async throws {
        try await withTestApp(residents: 20) { app in
            let r = try await app.call(.POST, "/api/v1/residents", json: [String: String]())
            #expect(r.status == .unprocessableEntity)
            #expect(Set(r.json.errorFields) == ["name", "id_number", "relation", "household_id"])
            #expect(r.json["detail"].string?.contains("请填写姓名") == true)
        }
    }

    @Test("a registered ID number cannot be registered twice")
    func duplicateID() async throws {
        try await withTestApp { app in
            let h = try await app.anyHousehold()
            let body: [String: Any] = ["name": "王五", "id_number": newID(), "household_id": h.id, "relation": "other"]
            #expect(try await app.call(.POST, "/api/v1/residents", json: body).status == .created)
            let again = try await app.call(.POST, "/api/v1/residents", json: body)
            #expect(again.status == .conflict)
            #expect(again.json.errorFields == ["id_number"])
        }
    }

    @Test("a household has one head")
    func oneHead() async throws {
        try await withTestApp { app in
            let h = try await app.call(.GET, "/api/v1/households/\(try await app.anyHousehold().id)").json
            let hasHead = h["members"].array.contains { $0["relation"].string == "head" }
            #expect(hasHead)
            let r = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "赵六", "id_number": newID(), "household_id": try #require(h["id"].string), "relation": "head",
            ])
            #expect(r.status == .unprocessableEntity)
            #expect(r.json.errorFields == ["relation"])
        }
    }

    @Test("an edit needs the current version; a stale one gets 409 and changes nothing")
    func optimisticLocking() async throws {
        try await withTestApp { app in
            let resident = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let path = "/api/v1/residents/\(try #require(resident["id"].string))"
            let first = try await app.call(.PATCH, path, json: ["phone": "13900001111", "version": 1])
            #expect(first.status == .ok)
            #expect(first.json["version"].int == 2)
            #expect(first.json["phone_masked"].string == "139****1111")

            let stale = try await app.call(.PATCH, path, json: ["name": "钱七", "version": 1])
            #expect(stale.status == .conflict)
            #expect(stale.json["current_version"].int == 2)
            #expect(try await app.call(.GET, path).json["name"].string == resident["name"].string)

            let noVersion = try await app.call(.PATCH, path, json: ["name": "钱七"])
            #expect(noVersion.status == .unprocessableEntity)
            #expect(noVersion.json.errorFields == ["version"])

            // The change is in the history, with the masked numbers only.
            let events = try await app.call(.GET, path + "/events").json.array
            #expect(events.last?["kind"].string == "update")
            #expect(events.last?["changes"]["phone"]["to"].string == "139****1111")
        }
    }

    @Test("concurrent edits of one record: exactly one wins, the others get 409")
    func concurrentEdits() async throws {
        try await withTestApp { app in
            let resident = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let path = "/api/v1/residents/\(try #require(resident["id"].string))"
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for i in 0..<8 {
                    group.addTask { try await app.call(.PATCH, path, json: ["phone": "1390000000\(i)", "version": 1]).status }
                }
                return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            #expect(try await app.call(.GET, path).json["version"].int == 2)
        }
    }

    @Test("a move, then a death, are recorded as events; the person stays on file")
    func lifeEvents() async throws {
        try await withTestApp { app in
            let h1 = try await app.anyHousehold(offset: 0), h2 = try await app.anyHousehold(offset: 1)
            let created = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "孙八", "id_number": newID("1940-01-01", sequence: 13), "household_id": h1.id, "relation": "parent",
            ]).json
            let path = "/api/v1/residents/\(try #require(created["id"].string))"
            let moved = try await app.call(.POST, path + "/events", json: [
                "kind": "move", "to_household_id": h2.id, "relation": "other", "occurred_on": "2026-05-01", "version": 1,
            ])
            #expect(moved.status == .created)
            #expect(moved.json["household_id"].string == h2.id)
            #expect(moved.json["grid_code"].string == h2.grid)

            let died = try await app.call(.POST, path + "/events", json: ["kind": "death", "occurred_on": "2026-06-01", "version": 2])
            #expect(died.json["life_status"].string == "deceased")
            let again = try await app.call(.POST, path + "/events", json: ["kind": "move_out", "version": 3])
            #expect(again.status == .unprocessableEntity)

            let history = try await app.call(.GET, path + "/events").json.array
            #expect(history.map { $0["kind"].string } == ["registered", "move", "death"])
            #expect(history[1]["from_household_id"].string == h1.id)
            #expect(history[1]["to_household_id"].string == h2.id)
            // Still readable by id, no longer in the default (active) list, and there is no delete.
            #expect(try await app.call(.GET, path).status == .ok)
            let deletion = try await app.call(.DELETE, path)
            #expect(deletion.status == .notFound || deletion.status == .methodNotAllowed)
            #expect(try await app.call(.GET, path).json["life_status"].string == "deceased")
        }
    }

    @Test("a future date and a birth registration for an adult are refused")
    func eventDates() async throws {
        try await withTestApp { app in
            let h = try await app.anyHousehold()
            let future = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "周九", "id_number": newID(), "household_id": h.id, "relation": "other", "origin": "move_in", "occurred_on": "2030-01-01",
            ])
            #expect(future.json.errorFields == ["occurred_on"])
            let adultBirth = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "周九", "id_number": newID(), "household_id": h.id, "relation": "other", "origin": "birth",
            ])
            #expect(adultBirth.json.errorFields == ["origin"])
            let baby = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "周小九", "id_number": newID("2026-03-02", sequence: 2), "household_id": h.id, "relation": "grandchild", "origin": "birth",
            ])
            #expect(baby.status == .created)
            let babyID = try #require(baby.json["id"].string)
            let events = try await app.call(.GET, "/api/v1/residents/\(babyID)/events").json.array
            #expect(events.first?["kind"].string == "birth")
            #expect(events.first?["occurred_on"].string == "2026-03-02")
        }
    }
}
