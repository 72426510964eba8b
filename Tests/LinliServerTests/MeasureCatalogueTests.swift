import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

private func communities(_ app: Application) async throws -> [String] {
    try await app.sql().raw("SELECT code FROM divisions WHERE level = 'community' ORDER BY code").all().map { try $0.decode(column: "code", as: String.self) }
}

private func value(_ app: Application, _ measure: String, _ filters: [String: String] = [:], in communities: [String],
                   on date: CivilDate = testToday) async throws -> [String: Int64] {
    #expect(Capabilities.measures.check(MeasureQuery(measure: measure, filters: filters), field: "f").isEmpty)
    let context = MeasureContext(db: app.db, date: date, cipher: testCipher)
    let values = try await Capabilities.measures.values([MeasureQuery(measure: measure, filters: filters)], communities: communities, context: context)
    return try #require(values.first)
}

/// A hand count: one per row that `keep` accepts, in the community `community` names (the first 12 digits).
private func tally(_ rows: [any SQLRow], community: (any SQLRow) throws -> String?, weight: (any SQLRow) throws -> Int64 = { _ in 1 },
                   keep: (any SQLRow) throws -> Bool) throws -> [String: Int64] {
    var out: [String: Int64] = [:]
    for r in rows where try keep(r) {
        // A street's or the district's own code (ending 000) is no community's.
        guard let c = try community(r), c.count >= 12, !c.prefix(12).hasSuffix("000") else { continue }
        out[String(c.prefix(12)), default: 0] += try weight(r)
    }
    return out.filter { $0.value != 0 }
}

private func col(_ name: String) -> (any SQLRow) throws -> String? { { try $0.decode(column: name, as: String?.self) } }

@Suite("一表通 measure catalogue: each measure against a hand count on the demo district", .serialized)
struct MeasureCatalogueTests {
    @Test("the demo's six forms: every field's measure is in the catalogue, and at least 90 % of their fields are filled automatically")
    func demoForms() throws {
        let fields = ReportsDemo.forms.flatMap(\.fields)
        #expect(ReportsDemo.forms.count == 6 && ReportsDemo.comments.count == ReportsDemo.forms.count)
        #expect(ReportsDemo.available(fields).count == fields.count, "\(fields.filter { ReportsDemo.available([$0]).isEmpty }.map(\.header))")
        let automatic = fields.filter { $0.kind.automatic }.count
        #expect(automatic * 10 >= fields.count * 9, "\(automatic) of \(fields.count)")
    }

    @Test("registry and care: residents by age, sex and tag, households, elders living alone and by care level")
    func registryAndCare() async throws {
        try await withTestApp(residents: 1200, everyDemo: true) { app in
            let all = try await communities(app)
            let people = try await app.sql().raw("SELECT id, grid_code, birth_date, sex, life_status, household_id FROM residents").all()
            let alone = Set(try await app.sql().raw("SELECT resident_id FROM resident_tags WHERE tag = 'living_alone'").all()
                .map { try $0.decode(column: "resident_id", as: UUID.self) })
            let veterans = Set(try await app.sql().raw("SELECT resident_id FROM resident_tags WHERE tag = 'veteran'").all()
                .map { try $0.decode(column: "resident_id", as: UUID.self) })
            var levels: [UUID: String] = [:]
            for r in try await app.sql().raw("SELECT resident_id, level FROM care_status WHERE level IS NOT NULL").all() {
                levels[try r.decode(column: "resident_id", as: UUID.self)] = try r.decode(column: "level", as: String.self)
            }
            func age(_ r: any SQLRow) throws -> Int { try #require(CivilDate(try r.decode(column: "birth_date", as: String.self))).age(on: testToday) }
            func active(_ r: any SQLRow) throws -> Bool { try r.decode(column: "life_status", as: String.self) == "active" }
            func id(_ r: any SQLRow) throws -> UUID { try r.decode(column: "id", as: UUID.self) }
            let grid = col("grid_code")

            let residents = try tally(people, community: grid) { try active($0) }
            #expect(residents.values.reduce(0, +) > 1000)
            #expect(try await value(app, "registry.residents", in: all) == residents)
            #expect(try await value(app, "registry.residents", ["age_min": "60"], in: all) == tally(people, community: grid) { try active($0) && age($0) >= 60 })
            #expect(try await value(app, "registry.residents", ["tag": "oldest_old"], in: all) == tally(people, community: grid) { try active($0) && age($0) >= 80 })
            #expect(try await value(app, "registry.residents", ["age_min": "18", "age_max": "59", "sex": "female"], in: all)
                    == tally(people, community: grid) { try active($0) && (18...59).contains(try age($0)) && $0.decode(column: "sex", as: String.self) == "female" })
            let vets = try tally(people, community: grid) { try active($0) && veterans.contains(try id($0)) }
            #expect(!vets.isEmpty)
            #expect(try await value(app, "registry.residents", ["tag": "veteran"], in: all) == vets)
            let households = try tally(try await app.sql().raw("SELECT grid_code FROM households").all(), community: grid) { _ in true }
            #expect(try await value(app, "registry.households", in: all) == households)

            let elders = try tally(people, community: grid) { try active($0) && age($0) >= 60 }
            #expect(try await value(app, "care.elders", in: all) == elders)
            let eldersAlone = try tally(people, community: grid) { try active($0) && age($0) >= 60 && alone.contains(try id($0)) }
            #expect(!eldersAlone.isEmpty)
            #expect(try await value(app, "care.elders", ["living_alone": "true"], in: all) == eldersAlone)
            #expect(try await value(app, "care.elders", ["living_alone": "false", "age_min": "70"], in: all)
                    == tally(people, community: grid) { try active($0) && age($0) >= 70 && !alone.contains(try id($0)) })
            for level in CareLevel.allCases {
                #expect(try await value(app, "care.elders", ["care_level": level.rawValue], in: all)
                        == tally(people, community: grid) { try active($0) && age($0) >= 60 && levels[try id($0)] == level.rawValue })
            }
            #expect(levels.count > 0)

            // Only the communities asked for, each from the same one pass.
            let some = Array(all.prefix(3))
            #expect(try await value(app, "registry.residents", in: some) == residents.filter { some.contains($0.key) })
            #expect(try await value(app, "registry.residents", in: []).isEmpty)
        }
    }

    @Test("assistance, disability, employment, organizations, donations, training: counts and sums against the rows")
    func capabilities() async throws {
        try await withTestApp(residents: 1200, everyDemo: true) { app in
            let all = try await communities(app)
            let cases = try await app.sql().raw("SELECT community_code, kind, stage, members FROM assistance_cases").all()
            func dibao(_ r: any SQLRow) throws -> Bool { try r.decode(column: "kind", as: String.self) == "dibao" && r.decode(column: "stage", as: String.self) == "approved" }
            let households = try tally(cases, community: col("community_code"), keep: dibao)
            #expect(!households.isEmpty)
            #expect(try await value(app, "assistance.dibao_households", in: all) == households)
            #expect(try await value(app, "assistance.dibao_persons", in: all)
                    == tally(cases, community: col("community_code"), weight: { Int64(try $0.decode(column: "members", as: Int.self)) }, keep: dibao))
            let payments = try await app.sql().raw("SELECT community_code, kind, month, amount, status FROM assistance_payments").all()
            for period in ["year", "quarter"] {
                let from = String(MeasurePeriod.days(["period": period], on: testToday).start.description.prefix(7))
                let paid = try tally(payments, community: col("community_code"), weight: { Int64(try $0.decode(column: "amount", as: Int.self)) }) {
                    let m = try $0.decode(column: "month", as: String.self)
                    return try $0.decode(column: "status", as: String.self) == "paid" && m >= from && m <= "2026-06"
                }
                #expect(try await value(app, "assistance.paid", ["period": period], in: all) == paid)
            }

            let cards = try await app.sql().raw("SELECT grid_code, status, category, grade FROM disability_cards").all()
            func card(_ r: any SQLRow) throws -> Bool { try r.decode(column: "status", as: String.self) == "active" }
            let holders = try tally(cards, community: col("grid_code"), keep: card)
            #expect(!holders.isEmpty)
            #expect(try await value(app, "disability.cardholders", in: all) == holders)
            #expect(try await value(app, "disability.cardholders", ["kind": "physical", "grade": "4"], in: all) == tally(cards, community: col("grid_code")) {
                try card($0) && $0.decode(column: "category", as: String.self) == "physical" && $0.decode(column: "grade", as: Int.self) == 4
            })

            let registrations = try await app.sql().raw("SELECT community_code, status, registered_on FROM employment_registrations").all()
            let unemployed = try tally(registrations, community: col("community_code")) {
                try $0.decode(column: "status", as: String.self) == "open" && $0.decode(column: "registered_on", as: String.self) <= "2026-06-30"
            }
            #expect(!unemployed.isEmpty)
            #expect(try await value(app, "employment.registered_unemployed", in: all) == unemployed)

            let orgs = try await app.sql().raw("SELECT division_code, status, registered_on FROM organizations").all()
            #expect(try await value(app, "organizations.registered", in: all) == tally(orgs, community: { r in
                let c = try r.decode(column: "division_code", as: String.self)
                return all.contains(c) ? c : nil
            }) { try $0.decode(column: "status", as: String.self) != "deregistered" && $0.decode(column: "registered_on", as: String.self) <= "2026-06-30" })

            let points = try await app.sql().raw("SELECT community_code, open FROM donation_points").all()
            let open = try tally(points, community: col("community_code")) { try $0.decode(column: "open", as: Bool.self) }
            #expect(!open.isEmpty)
            #expect(try await value(app, "donations.points", in: all) == open)

            let enrolments = try await app.sql().raw("SELECT grid_code, enrolled_on FROM training_enrolments").all()
            #expect(try await value(app, "training.trainees", ["period": "year"], in: all) == tally(enrolments, community: col("grid_code")) {
                let d = try $0.decode(column: "enrolled_on", as: String.self)
                return d >= "2026-01-01" && d <= "2026-06-30"
            })
        }
    }

    @Test("requests received, closed on time and open, by period and source; volunteers registered and their hours")
    func requestsAndVolunteers() async throws {
        try await withTestApp(residents: 1200, everyDemo: true) { app in
            let all = try await communities(app)
            let requests = try await app.sql().raw("SELECT area_code, channel, status, reported_at, closed_at, resolved_at, due_at FROM requests").all()
            #expect(requests.count > 0)
            for period in ["year", "quarter"] {
                let s = MeasurePeriod.seconds(["period": period], on: testToday)
                for kind in [nil, "request", "event"] {
                    var filters = ["period": period]
                    if let kind { filters["kind"] = kind }
                    func source(_ r: any SQLRow) throws -> Bool {
                        guard let kind else { return true }
                        return (try r.decode(column: "channel", as: String.self) == "patrol") == (kind == "event")
                    }
                    let received = try tally(requests, community: col("area_code")) {
                        let at = try $0.decode(column: "reported_at", as: Int64.self)
                        return try source($0) && at >= s.start && at < s.end
                    }
                    #expect(try await value(app, "requests.received", filters, in: all) == received)
                    let onTime = try tally(requests, community: col("area_code")) {
                        guard try $0.decode(column: "status", as: String.self) == "closed", let closed = try $0.decode(column: "closed_at", as: Int64?.self),
                              let resolved = try $0.decode(column: "resolved_at", as: Int64?.self) else { return false }
                        return try source($0) && closed >= s.start && closed < s.end && resolved <= $0.decode(column: "due_at", as: Int64.self)
                    }
                    #expect(try await value(app, "requests.closed_on_time", filters, in: all) == onTime)
                }
            }
            // A reference date in the past leaves out what was reported after it.
            let earlier = testToday.adding(days: -20), upTo = MeasurePeriod.seconds([:], on: earlier)
            let before = try tally(requests, community: col("area_code")) {
                let at = try $0.decode(column: "reported_at", as: Int64.self)
                return at >= upTo.start && at < upTo.end
            }
            #expect(before != (try tally(requests, community: col("area_code")) { try $0.decode(column: "reported_at", as: Int64.self) >= upTo.start }))
            #expect(try await value(app, "requests.received", in: all, on: earlier) == before)
            let open = try tally(requests, community: col("area_code")) { !["closed", "refused"].contains(try $0.decode(column: "status", as: String.self)) }
            #expect(!open.isEmpty)
            #expect(try await value(app, "requests.open", in: all) == open)

            let volunteers = try await app.sql().raw("SELECT community_code, state, registered_on FROM volunteers").all()
            let registered = try tally(volunteers, community: col("community_code")) {
                try ["confirmed", "signed"].contains($0.decode(column: "state", as: String.self)) && $0.decode(column: "registered_on", as: String.self) <= "2026-06-30"
            }
            #expect(!registered.isEmpty)
            #expect(try await value(app, "volunteers.registered", in: all) == registered)
            let hours = try await app.sql().raw("SELECT community_code, minutes, served_on FROM volunteer_hours").all()
            for period in ["year", "quarter"] {
                let from = MeasurePeriod.days(["period": period], on: testToday).start.description
                let minutes = try tally(hours, community: col("community_code"), weight: { Int64(try $0.decode(column: "minutes", as: Int.self)) }) {
                    let d = try $0.decode(column: "served_on", as: String.self)
                    return d >= from && d <= "2026-06-30"
                }
                #expect(try await value(app, "volunteers.hours", ["period": period], in: all) == minutes.mapValues { ($0 + 30) / 60 }.filter { $0.value != 0 })
            }
        }
    }

    @Test("list measures: rows masked unless revealed, the revealed numbers are the registry's own, filters apply")
    func lists() async throws {
        try await withTestApp(residents: 1200, everyDemo: true) { app in
            let context = MeasureContext(db: app.db, date: testToday, cipher: testCipher)
            let busiest = try #require(try await app.sql().raw("""
                SELECT SUBSTR(r.grid_code, 1, 12) AS c, COUNT(*) AS n FROM residents r JOIN resident_tags t ON t.resident_id = r.id
                WHERE t.tag = 'veteran' AND r.life_status = 'active' GROUP BY SUBSTR(r.grid_code, 1, 12) ORDER BY n DESC, c
                """).first())
            let community = try busiest.decode(column: "c", as: String.self), count = try busiest.decode(column: "n", as: Int.self)
            let roll = try #require(Capabilities.measures.definition("registry.veterans_roll"))
            let source = try #require(Capabilities.measures.source(roll.id))
            let masked = try await source.rows(of: roll, filters: [:], community: community, reveal: false, context: context)
            let full = try await source.rows(of: roll, filters: [:], community: community, reveal: true, context: context)
            #expect(masked.count == count && full.count == count)
            let idColumn = try #require(roll.columns.firstIndex { $0.key == "id_number" })
            #expect(roll.columns[idColumn].sensitive)
            for (m, f) in zip(masked, full) {
                #expect(m.count == roll.columns.count)
                #expect(m[idColumn] != f[idColumn] && m[idColumn] == Masking.citizenID(f[idColumn]))
                #expect((try? CitizenID(f[idColumn])) != nil)
                #expect(m[0] == f[0] && m[3].hasPrefix(community))
            }

            let elders = try #require(Capabilities.measures.definition("care.elders_roll"))
            let eldersSource = try #require(Capabilities.measures.source(elders.id))
            let counts = try await value(app, "care.elders", ["living_alone": "true"], in: [community])
            let alone = try await eldersSource.rows(of: elders, filters: ["living_alone": "true"], community: community, reveal: false, context: context)
            #expect(Int64(alone.count) == counts[community, default: 0])
            #expect(alone.allSatisfy { $0[4] == "是" && (Int($0[1]) ?? 0) >= 60 })
            let phone = try #require(elders.columns.firstIndex { $0.key == "phone" })
            #expect(alone.allSatisfy { $0[phone].isEmpty || $0[phone].contains("*") })

            let cards = try #require(Capabilities.measures.definition("disability.roll"))
            let cardSource = try #require(Capabilities.measures.source(cards.id))
            let holders = try await value(app, "disability.cardholders", in: [community])
            let rows = try await cardSource.rows(of: cards, filters: [:], community: community, reveal: false, context: context)
            let revealed = try await cardSource.rows(of: cards, filters: [:], community: community, reveal: true, context: context)
            #expect(Int64(rows.count) == holders[community, default: 0] && revealed.count == rows.count)
            let number = try #require(cards.columns.firstIndex { $0.key == "card_number" })
            #expect(zip(rows, revealed).allSatisfy { $0[number] != $1[number] && $1[number].count == 20 })
        }
    }

    @Test("the catalogue: ids unique, each prefixed by the capability that declares it, filters well formed, a note for each")
    func catalogue() throws {
        let defs = Capabilities.measures.definitions
        #expect(Set(defs.map(\.id)).count == defs.count)
        for c in Capabilities.all {
            for d in c.measures?.definitions ?? [] {
                #expect(d.capability == c.name, "\(d.id) is declared by \(c.name)")
                #expect(d.id.count > c.name.count + 1)
            }
        }
        for d in defs {
            #expect(!d.label.isEmpty && !d.unit.isEmpty && d.note.count > 10, "\(d.id)")
            #expect(d.kind == .list ? !d.columns.isEmpty : d.columns.isEmpty, "\(d.id)")
            #expect(Set(d.filters.map(\.name)).count == d.filters.count, "\(d.id)")
            for f in d.filters {
                switch f.kind {
                case .choice(let cs):
                    #expect(!cs.isEmpty && Set(cs.map(\.value)).count == cs.count, "\(d.id).\(f.name)")
                    #expect(cs.allSatisfy { f.check($0.value) == nil })
                case .integer(let r): #expect(f.check(String(r.lowerBound)) == nil && f.check(String(r.upperBound + 1)) != nil)
                case .flag: #expect(f.check("true") == nil && f.check("1") != nil)
                }
            }
        }
        // The ids the report-once forms are written against.
        for id in ["registry.residents", "registry.households", "registry.veterans_roll", "care.elders", "care.elders_roll",
                   "assistance.dibao_households", "assistance.dibao_persons", "assistance.paid", "disability.cardholders", "disability.roll",
                   "requests.received", "requests.closed_on_time", "requests.open", "volunteers.registered", "volunteers.hours",
                   "employment.registered_unemployed", "organizations.registered"] {
            #expect(Capabilities.measures.definition(id) != nil, "\(id)")
        }
        #expect(Capabilities.measures.check(MeasureQuery(measure: "care.elders", filters: ["care_level": "dependent", "living_alone": "true", "age_min": "80"]), field: "f").isEmpty)
        #expect(Capabilities.measures.check(MeasureQuery(measure: "requests.closed_on_time", filters: ["period": "quarter", "kind": "event"]), field: "f").isEmpty)
        #expect(Capabilities.measures.check(MeasureQuery(measure: "disability.cardholders", filters: ["kind": "vision", "grade": "5"]), field: "f").map(\.field) == ["f.filters.grade"])
    }

    @Test("docs/reports-measures.md is the generated table and lists every measure")
    func documented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/reports-measures.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        for d in Capabilities.measures.definitions { #expect(doc.contains("| `\(d.id)` |"), "\(d.id) missing from docs/reports-measures.md") }
        #expect(doc.contains(MeasureCatalogueTools.markdown()), "docs/reports-measures.md differs from `linli measures`")
    }
}
