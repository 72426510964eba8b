import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Hand-outs from one point at once never take the stock below zero; receipts of a new item at once all count.
/// On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("捐赠物资接收点: concurrent writes", .serialized)
struct DonationsConcurrencyTests {
    @Test("ten units in stock, eight hand-outs of two at once: five given, three refused at the quantity, none left")
    func handOuts() async throws {
        try await withFileTestApp(residents: 400) { app in
            let point = try await app.donationPoint()
            #expect(try await app.receive(point.id, quantity: 10).status == .created)
            let household = try await app.household(in: "321271002001")
            for round in 0..<2 {
                if round == 1 { #expect(try await app.receive(point.id, quantity: 10).status == .created) }
                let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                    for _ in 0..<8 { group.addTask { try await app.handOut(point.id, household: household.uuidString, quantity: 2) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.filter { $0.status == .created }.count == 5, "\(answers.map(\.status))")
                let refused = answers.filter { $0.status == .unprocessableEntity }
                #expect(refused.count == 3 && refused.allSatisfy { $0.json.errorFields == ["quantity"] }, "\(answers.map(\.text))")
                let stock = try #require(try await app.sql().raw("SELECT quantity FROM donation_stock").first()?.decode(column: "quantity", as: Int.self))
                #expect(stock == 0)
                // Each winner took two from what the one before left: the balances are each step down to zero once.
                #expect(Set(answers.filter { $0.status == .created }.compactMap { $0.json["balance"].int }) == [0, 2, 4, 6, 8])
            }
            #expect(try await app.rowCount("donation_movements WHERE kind = 'handed_out'") == 10)
            #expect(try await app.rowCount("audit_log WHERE action = 'donations.hand_out'") == 10)
            #expect(try await app.rowCount("donation_stock WHERE quantity < 0") == 0)
        }
    }

    @Test("six receipts of a new item at once: one stock row holding all of them")
    func receipts() async throws {
        try await withFileTestApp(residents: 400) { app in
            let point = try await app.donationPoint()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await app.receive(point.id, goods: "面粉", quantity: 3) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .created }, "\(answers.map(\.text))")
            #expect(Set(answers.compactMap { $0.json["balance"].int }) == [3, 6, 9, 12, 15, 18])
            let stock = try #require(try await app.sql().raw("SELECT quantity FROM donation_stock WHERE goods = '面粉'").first()?.decode(column: "quantity", as: Int.self))
            #expect(stock == 18)
        }
    }
}
