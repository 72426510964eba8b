import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The demo's volunteers in the love supermarket: each verified hours entry of the year (a correction too) earns
/// points at the rate of the day served, as `LovePoints.creditVerifiedMinutes` does in the volunteers' writes.
extension DemoSupermarket {
    static func volunteerCredits(from first: CivilDate, through today: CivilDate, sql: any SQLDatabase) async throws
        -> (holders: [UUID: Holder], credits: [Credit]) {
        let rates = try await sql.select().columns("effective_from", "points").from("love_point_rates")
            .where("kind", .equal, SQLBind(LovePointRateKind.volunteerHour)).all()
            .map { (from: try $0.decode(column: "effective_from", as: String.self), points: try $0.decode(column: "points", as: Int.self)) }
        let rows = try await sql.raw("""
            SELECT h.id, h.minutes, h.served_on, v.resident_id, r.grid_code, r.household_id FROM volunteer_hours h
            JOIN volunteers v ON v.id = h.volunteer_id JOIN residents r ON r.id = v.resident_id
            WHERE h.served_on >= \(bind: first.description) AND h.served_on <= \(bind: today.description) AND r.life_status = 'active'
            ORDER BY h.served_on, h.id
            """).all()
        var holders: [UUID: Holder] = [:], credits: [Credit] = []
        for row in rows {
            let served = try row.decode(column: "served_on", as: String.self), minutes = try row.decode(column: "minutes", as: Int.self)
            guard let day = CivilDate(served), let rate = SupermarketRules.rate(on: served, among: rates) else { continue }
            let hours = Double(minutes) / 60, resident = try row.decode(column: "resident_id", as: UUID.self)
            holders[resident] = Holder(grid: try row.decode(column: "grid_code", as: String.self),
                                       household: try row.decode(column: "household_id", as: UUID.self), assistance: nil)
            credits.append(Credit(day: day, resident: resident, points: SupermarketRules.points(hours: hours, rate: rate), kind: .volunteerHours,
                                  reference: try row.decode(column: "id", as: UUID.self).uuidString,
                                  note: String(format: "%g 小时 × %d 分/小时", hours, rate)))
        }
        return (holders, credits)
    }
}
