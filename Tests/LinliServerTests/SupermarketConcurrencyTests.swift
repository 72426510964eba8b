import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Redemptions at once never take a balance or a stock below zero; allowance runs at once credit a household
/// once. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("爱心超市: concurrent writes", .serialized)
struct SupermarketConcurrencyTests {
    @Test("one person with 100 points, eight redemptions of 30 at once: three taken, five refused at the points, 10 left")
    func onePerson() async throws {
        try await withFileTestApp(residents: 400) { app in
            let market = try await app.supermarket()
            let rice = try await app.supermarketGoods(market, price: 30, stock: 50)
            let person = try await app.disabilityResident()
            try await app.creditHours(person.id, 10)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await app.redeem(market, idNumber: person.idNumber, [(rice, 1)]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 3, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .unprocessableEntity }
            #expect(refused.count == 5 && refused.allSatisfy { $0.json.errorFields == ["points"] }, "\(answers.map(\.text))")
            #expect(Set(answers.compactMap { $0.json["balance_after"].int }) == [70, 40, 10])
            #expect(try await app.balance(person.id) == 10)
            #expect(try await app.stock(rice) == 47)
            // The ledger's numbers are each taken once, in order.
            let seqs = try await app.sql().raw("SELECT seq FROM love_point_entries WHERE resident_id = \(bind: person.id) ORDER BY seq").all()
                .map { try $0.decode(column: "seq", as: Int.self) }
            #expect(seqs == [1, 2, 3, 4])
        }
    }

    @Test("three left of a good, six people redeeming one each at once: three taken, three refused at the quantity, none left")
    func lastItems() async throws {
        try await withFileTestApp(residents: 400) { app in
            let market = try await app.supermarket()
            let oil = try await app.supermarketGoods(market, name: "菜籽油（5升）", price: 20, stock: 3)
            var people: [String] = []
            for i in 0..<6 {
                let p = try await app.disabilityResident(skip: i)
                try await app.creditHours(p.id, 5)
                people.append(p.idNumber)
            }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for p in people { group.addTask { try await app.redeem(market, idNumber: p, [(oil, 1)]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 3, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .unprocessableEntity }
            #expect(refused.count == 3 && refused.allSatisfy { $0.json.errorFields == ["quantity"] && $0.text.contains("菜籽油") }, "\(answers.map(\.text))")
            #expect(try await app.stock(oil) == 0)
            // A refused redemption took no points either.
            #expect(try await app.rowCount("love_point_balances WHERE balance = 50") == 3)
            #expect(try await app.rowCount("love_point_balances WHERE balance = 30") == 3)
        }
    }

    @Test("four allowance runs of one month at once: each household credited once")
    func allowanceRuns() async throws {
        try await withFileTestApp(residents: 600) { app in
            // Three people of three households of the worker's community.
            var households = Set<UUID>(), skip = 0
            while households.count < 3 {
                let p = try await app.disabilityResident(skip: skip)
                skip += 1
                guard households.insert(p.household).inserted else { continue }
                let number = try await app.insertCase(household: p.household.uuidString, applicant: p.id.uuidString, kind: .dibao, stage: .approved)
                try await app.sql().raw("UPDATE assistance_cases SET first_month = '2026-01' WHERE number = \(bind: number)").run()
            }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<4 { group.addTask { try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-06"], as: .district) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .ok }, "\(answers.map(\.text))")
            #expect(answers.compactMap { $0.json["credited"].int }.reduce(0, +) == 3)
            #expect(try await app.rowCount("love_point_entries WHERE kind = 'allowance'") == 3)
            #expect(try await app.rowCount("love_point_balances WHERE balance = 100") == 3)
        }
    }
}
