import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A day the test moves forward (a course runs, ends, and six months pass).
final class MovableDay: @unchecked Sendable {
    private let lock = NSLock()
    private var day: CivilDate
    init(_ day: CivilDate) { self.day = day }
    var value: CivilDate { lock.lock(); defer { lock.unlock() }; return day }
    func set(_ d: String) throws { let v = try #require(CivilDate(d)); lock.lock(); day = v; lock.unlock() }
}

extension Application {
    /// Working-age residents of the worker's community (321271002001), by id.
    func trainees(_ n: Int, community: String = "321271002001") async throws -> [String] {
        let rows = try await sql().select().column("id").from("residents").where("grid_code", .like, SQLBind(community + "%"))
            .where("life_status", .equal, SQLBind("active")).where("birth_date", .greaterThan, SQLBind("1970-01-01"))
            .where("birth_date", .lessThan, SQLBind("2000-01-01")).orderBy("id").limit(n).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self).uuidString.lowercased() }
        try #require(ids.count == n, "the demo has too few working-age residents in \(community)")
        return ids
    }

    func openCourse(starts: String, ends: String, capacity: Int = 30, as user: TestUser = .street) async throws -> String {
        let r = try await call(.POST, "/api/v1/training/courses", json: [
            "name": "养老护理员培训班", "kind": "skill", "trade": "养老护理员", "provider": "区职业技能培训中心",
            "starts_on": starts, "ends_on": ends, "hours": 80, "capacity": capacity,
        ], as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string, "\(r.text)")
    }
}

@Suite("再就业培训", .serialized)
struct TrainingTests {
    @Test("a course from enrolment to the follow-up six months on, with the refusals on the way and the indicator")
    func wholeCourse() async throws {
        let day = MovableDay(try #require(CivilDate("2026-06-01")))
        try await withTestApp(adjust: { $0.today = { day.value } }) { app in
            let course = try await app.openCourse(starts: "2026-06-01", ends: "2026-06-20", capacity: 2)
            let people = try await app.trainees(3)
            let a = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": people[0]])
            #expect(a.status == .created, "\(a.text)")
            let b = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": people[1]])
            #expect(b.status == .created, "\(b.text)")
            let again = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": people[0]])
            #expect(again.status == .conflict, "\(again.text)")
            let full = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": people[2]])
            #expect(full.status == .unprocessableEntity || full.status == .conflict, "\(full.text)")
            #expect(full.text.contains("名额已满") && full.text.contains("course_id"), "\(full.text)")
            let ea = try #require(a.json["id"].string), eb = try #require(b.json["id"].string)

            try day.set("2026-06-10")
            let future = try await app.call(.POST, "/api/v1/training/courses/\(course)/sessions", json: ["date": "2026-06-11", "present": [ea, eb]])
            #expect(future.status == .unprocessableEntity && future.text.contains("date"), "\(future.text)")
            for (date, present) in [("2026-06-03", [ea]), ("2026-06-05", [ea]), ("2026-06-08", [ea, eb]), ("2026-06-10", [ea])] {
                let s = try await app.call(.POST, "/api/v1/training/courses/\(course)/sessions", json: ["date": date, "present": present])
                #expect(s.status == .ok, "\(s.text)")
            }
            // The same day again corrects it: b was there on the 10th after all.
            let fix = try await app.call(.POST, "/api/v1/training/courses/\(course)/sessions", json: ["date": "2026-06-10", "present": [ea, eb]])
            #expect(fix.status == .ok, "\(fix.text)")
            let bRead = try await app.call(.GET, "/api/v1/training/enrolments/\(eb)")
            #expect(bRead.json["sessions_total"].int == 4 && bRead.json["sessions_present"].int == 2 && bRead.json["attendance_rate"].int == 50, "\(bRead.text)")

            try day.set("2026-06-25")
            let bVersion = try #require(bRead.json["version"].int)
            let short = try await app.call(.POST, "/api/v1/training/enrolments/\(eb)/completion",
                                           json: ["result": "completed", "on": "2026-06-20", "version": bVersion])
            #expect(short.status == .unprocessableEntity && short.text.contains("出勤率50%"), "\(short.text)")
            let dropped = try await app.call(.POST, "/api/v1/training/enrolments/\(eb)/completion",
                                             json: ["result": "dropped", "on": "2026-06-12", "version": bVersion])
            #expect(dropped.status == .ok, "\(dropped.text)")
            let aRead = try await app.call(.GET, "/api/v1/training/enrolments/\(ea)")
            let aVersion = try #require(aRead.json["version"].int)
            let stale = try await app.call(.POST, "/api/v1/training/enrolments/\(ea)/completion",
                                           json: ["result": "completed", "on": "2026-06-20", "version": aVersion - 1])
            #expect(stale.status == .conflict, "\(stale.text)")
            let done = try await app.call(.POST, "/api/v1/training/enrolments/\(ea)/completion",
                                          json: ["result": "completed", "on": "2026-06-20", "certificate": "skill_level",
                                                 "certificate_number": "TZ2026000777", "version": aVersion])
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.json["followup_due_on"].string == "2026-12-20")

            let early = try await app.call(.POST, "/api/v1/training/enrolments/\(ea)/follow-up",
                                           json: ["on": "2026-06-25", "employed": true, "employer": "某物流公司", "version": aVersion + 1])
            #expect(early.status == .unprocessableEntity && early.text.contains("2026-12-20"), "\(early.text)")

            try day.set("2026-12-21")
            let due = try await app.call(.GET, "/api/v1/training/follow-ups")
            #expect(due.json["items"].array.map { $0["id"].string } == [ea], "\(due.text)")
            let home = try await app.page("/console")
            #expect(home.status == .ok)
            #expect(home.visibleText.contains("培训待回访 1"), "\(home.visibleText.prefix(600))")
            let followed = try await app.call(.POST, "/api/v1/training/enrolments/\(ea)/follow-up",
                                              json: ["on": "2026-12-21", "employed": true, "employer": "某物流公司", "version": aVersion + 1])
            #expect(followed.status == .ok, "\(followed.text)")
            let twice = try await app.call(.POST, "/api/v1/training/enrolments/\(ea)/follow-up",
                                           json: ["on": "2026-12-21", "employed": false, "version": aVersion + 2])
            #expect(twice.status == .conflict, "\(twice.text)")

            // One completed six months ago, followed up and at work: 100 %.
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(indicators.status == .ok)
            let led = try #require(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == "training.led_to_work" })
            #expect(led["numerator"].int == 1 && led["denominator"].int == 1, "\(led.raw ?? "")")
        }
    }

    @Test("scope: another street's worker neither sees the course nor its trainee; a grid worker cannot enrol; the district sees all")
    func scope() async throws {
        try await withTestApp { app in
            let course = try await app.openCourse(starts: "2026-07-01", ends: "2026-07-31")
            let person = try await app.trainees(1)[0]
            let e = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": person])
            #expect(e.status == .created, "\(e.text)")
            let enrolment = try #require(e.json["id"].string)
            #expect(try await app.call(.GET, "/api/v1/training/courses/\(course)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/training/enrolments/\(enrolment)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": person], as: .grid).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/training/courses", json: ["name": "x"], as: .worker).status == .forbidden)
            let district = try await app.call(.GET, "/api/v1/training/courses/\(course)", as: .district)
            #expect(district.status == .ok)
            #expect(district.json["trainees"].array.count == 1)
            // Someone of another community cannot be enrolled by this worker.
            let outsider = try await app.trainees(1, community: "321271003001")[0]
            let refused = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": outsider])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("resident_id"), "\(refused.text)")
            // The list's figures: the worker's community has one trainee.
            let list = try await app.call(.GET, "/api/v1/training/courses")
            #expect(list.json["items"].array.contains { $0["id"].string == course })
            #expect(try await app.call(.GET, "/api/v1/training/courses", as: .otherWorker).json["items"].array.isEmpty)
        }
    }

    @Test("the last place: of concurrent enrolments exactly one wins, the rest are refused, the count stays at the capacity")
    func lastPlace() async throws {
        try await withTestApp { app in
            let course = try await app.openCourse(starts: "2026-07-01", ends: "2026-07-31", capacity: 1)
            let people = try await app.trainees(6)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for p in people {
                    group.addTask { try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": p]).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict || $0 == .unprocessableEntity }, "\(statuses)")
            let read = try await app.call(.GET, "/api/v1/training/courses/\(course)")
            #expect(read.json["course"]["enrolled"].int == 1 && read.json["trainees"].array.count == 1, "\(read.text)")
        }
    }

    @Test("pages: the list, a refused course form with its messages, enrolment by ID number, attendance and completion")
    func pages() async throws {
        try await withTestApp { app in
            let bad = try await app.submit("/console/training", [("name", "育婴员培训班"), ("kind", "skill"), ("provider", "区职业技能培训中心"),
                                                               ("starts_on", "2026-07-10"), ("ends_on", "2026-07-01"), ("hours", "80"), ("capacity", "30")],
                                           as: .street)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("结业日期不能早于开班日期") && bad.text.contains("aria-invalid"))
            let made = try await app.submit("/console/training", [("name", "育婴员培训班"), ("kind", "skill"), ("provider", "区职业技能培训中心"),
                                                                ("starts_on", "2026-06-01"), ("ends_on", "2026-07-31"), ("hours", "80"), ("capacity", "30")],
                                            as: .street)
            #expect(made.status == .seeOther, "\(made.text)")
            let path = try #require(made.location)
            let list = try await app.page("/console/training")
            #expect(list.status == .ok)
            #expect(list.visibleText.contains("育婴员培训班") && list.visibleText.contains("培训中"))

            let number = newID("1988-04-12", sequence: 311)
            let household = try await app.anyHousehold()
            let created = try await app.call(.POST, "/api/v1/residents", json: ["name": "培训学员", "id_number": number,
                                                                                 "household_id": household.id, "relation": "other"])
            #expect(created.status == .created, "\(created.text)")
            let unknown = try await app.submit("\(path)/enrolments", [("id_number", newID("1988-04-12", sequence: 312))])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("没有登记这个公民身份号码"))
            let enrolled = try await app.submit("\(path)/enrolments", [("id_number", number)])
            #expect(enrolled.status == .seeOther, "\(enrolled.text)")
            let page = try await app.page(path)
            #expect(page.status == .ok)
            #expect(page.visibleText.contains("培训学员") && !page.text.contains(number))
            let enrolment = try #require(page.text.range(of: #"/console/training/enrolments/([0-9A-Fa-f-]{36})"#, options: .regularExpression)
                .map { String(page.text[$0].suffix(36)) })
            let session = try await app.submit("\(path)/sessions", [("date", "2026-06-30"), ("present[]", enrolment)])
            #expect(session.status == .seeOther, "\(session.text)")
            let early = try await app.submit("/console/training/enrolments/\(enrolment)/completion",
                                             [("result", "completed"), ("on", "2026-06-30"), ("version", "2")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.text.contains("结业日期不能早于该期培训的结业日期2026-07-31"), "\(early.visibleText.suffix(800))")
            let trainee = try await app.page("/console/training/enrolments/\(enrolment)")
            #expect(trainee.status == .ok)
            #expect(trainee.visibleText.contains("1/1 次（100%）"), "\(trainee.visibleText.suffix(600))")
        }
    }

    @Test("the unemployment register's page of a person shows their courses")
    func registerShowsCourses() async throws {
        try await withTestApp { app in
            let course = try await app.openCourse(starts: "2026-06-01", ends: "2026-07-31")
            let person = try #require(UUID(uuidString: try await app.trainees(1)[0]))
            let registered = try await app.registerUnemployed(person)
            #expect(registered.status == .created, "\(registered.text)")
            let registration = try #require(registered.json["id"].string)
            let before = try await app.page("/console/employment/\(registration)")
            #expect(before.status == .ok)
            #expect(before.visibleText.contains("没有参加培训"))
            let e = try await app.call(.POST, "/api/v1/training/courses/\(course)/enrolments", json: ["resident_id": person.uuidString.lowercased()])
            #expect(e.status == .created, "\(e.text)")
            let after = try await app.page("/console/employment/\(registration)")
            #expect(after.status == .ok)
            #expect(after.visibleText.contains("养老护理员培训班") && after.visibleText.contains("在训"), "\(after.visibleText.suffix(800))")
        }
    }
}
