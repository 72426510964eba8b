import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A household's yearly rating of its compound's property service.
public struct PropertyRatingRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var compoundId: UUID
    public var companyId: UUID?
    public var communityCode: String
    public var householdId: UUID
    public var year: Int
    public var score: Int
    public var comment: String?
    public var residentId: UUID
    public var createdAt: Int64
}

/// A compound's score for a year from the ratings given while one company (or none) served it.
public struct CompoundScore: Codable, Sendable, Equatable {
    public var compoundId: UUID
    public var compoundName: String
    public var communityCode: String
    public var companyId: UUID?
    public var companyName: String?
    public var ratings: Int
    public var scoreSum: Int
    public var satisfied: Int

    public init(compoundId: UUID, compoundName: String, communityCode: String, companyId: UUID?, companyName: String?, ratings: Int, scoreSum: Int, satisfied: Int) {
        self.compoundId = compoundId; self.compoundName = compoundName; self.communityCode = communityCode; self.companyId = companyId
        self.companyName = companyName; self.ratings = ratings; self.scoreSum = scoreSum; self.satisfied = satisfied
    }

    /// The average score, nil without ratings.
    public var average: Double? { ratings == 0 ? nil : Double(scoreSum) / Double(ratings) }
    /// The share satisfied (score 4 or 5), in percent; nil without ratings.
    public var satisfiedPercent: Double? { ratings == 0 ? nil : Double(satisfied) * 100 / Double(ratings) }

    /// Several scores of one compound (a company changed in the year) as one.
    public static func combined(_ scores: [CompoundScore]) -> CompoundScore? {
        guard var s = scores.first else { return nil }
        for o in scores.dropFirst() { s.ratings += o.ratings; s.scoreSum += o.scoreSum; s.satisfied += o.satisfied }
        if Set(scores.map(\.companyId)).count > 1 { s.companyId = nil; s.companyName = scores.compactMap(\.companyName).joined(separator: "、") }
        return s
    }
}

/// A compound's property requests (`PropertyRatingRules.requestCategories`, about its buildings) in a year.
public struct PropertyRequestStats: Codable, Sendable, Equatable {
    public var received: Int
    public var closed: Int
    /// Of those closed, by their due time.
    public var onTime: Int
    /// Hours from report to close of those closed: median and average; nil when none closed.
    public var medianHours: Double?
    public var averageHours: Double?
}

extension PropertyQueries {
    /// The compound a household's building belongs to (any scope: the resident's own), nil when the building is in none.
    public func compound(ofHousehold id: UUID) async throws -> CompoundRecord? {
        guard let row = try await sql.raw("""
            SELECT pb.compound_id FROM households h JOIN property_compound_buildings pb ON pb.building_id = h.building_id WHERE h.id = \(bind: id)
            """).first() else { return nil }
        return try await compound(try row.decode(column: "compound_id", as: UUID.self), in: .everything)
    }

    static let ratingColumns = "id, compound_id, company_id, community_code, household_id, year, score, comment, resident_id, created_at"

    /// The household's rating of `year`, if given.
    public func rating(household id: UUID, year: Int) async throws -> PropertyRatingRecord? {
        try await sql.raw("SELECT \(unsafeRaw: Self.ratingColumns) FROM property_ratings WHERE household_id = \(bind: id) AND year = \(bind: year)")
            .first()?.decodeRecord(PropertyRatingRecord.self)
    }

    /// The signed-in resident rates their household's compound for this year: once per household and year (a second
    /// rating, however close in time, is 409 at `household` and nothing is written: the key decides); a household whose
    /// building is in no compound is 422 at `household`. The company rated is the one under contract today.
    public func rate(_ input: PropertyRatingInput, resident: ResidentRecord?, by actor: AuditActor) async throws -> PropertyRatingRecord {
        guard let resident else { throw RegistryError.invalid([FieldError("account", "请先完成实名核验（姓名和公民身份号码）")]) }
        let errors = PropertyRatingRules.check(input, today: today)
        guard errors.isEmpty, let score = input.score else { throw RegistryError.invalid(errors) }
        guard let c = try await compound(ofHousehold: resident.householdId) else {
            throw RegistryError.invalid([FieldError("household", "您家所在的楼栋尚未归入小区，暂不能评价物业服务，请联系社区")])
        }
        let year = input.year ?? today.year, id = UUID(), at = nowSeconds
        let comment = input.comment?.trimmingCharacters(in: .whitespacesAndNewlines).trimmedOrNil
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let added = try await sql.raw("""
                INSERT INTO property_ratings (id, compound_id, company_id, community_code, household_id, year, score, comment, resident_id, created_at)
                VALUES (\(bind: id), \(bind: c.id), \(bind: c.companyId), \(bind: c.communityCode), \(bind: resident.householdId), \(bind: year), \(bind: score),
                        \(bind: comment), \(bind: resident.id), \(bind: at))
                ON CONFLICT (household_id, year) DO NOTHING RETURNING id
                """).first()
            if added == nil { throw RegistryError.conflict(FieldError("household", "您家已评价过\(year)年的物业服务（每户每年评价一次）")) }
            try await AuditLog.append([AuditEvent(PropertyAudit.ratingCreate, target: .compound(c.id), detail: ["year": String(year), "score": String(score)])],
                                      by: actor, on: db)
        }
        guard let r = try await rating(household: resident.householdId, year: year) else { throw RegistryError.notFound("评价") }
        return r
    }

    /// The scores of `year`, one per compound and company rated, for the compounds of the scope; narrowed to one compound or one company.
    public func scores(year: Int, in scope: RegistryScope, compound: UUID? = nil, company: UUID? = nil) async throws -> [CompoundScore] {
        var q: SQLQueryString = """
            SELECT r.compound_id, c.name AS compound_name, c.community_code, r.company_id, co.name AS company_name,
                   CAST(COUNT(*) AS BIGINT) AS ratings, CAST(SUM(r.score) AS BIGINT) AS score_sum,
                   CAST(SUM(CASE WHEN r.score >= \(bind: PropertyRatingRules.satisfiedFrom) THEN 1 ELSE 0 END) AS BIGINT) AS satisfied
            FROM property_ratings r JOIN property_compounds c ON c.id = r.compound_id LEFT JOIN property_companies co ON co.id = r.company_id
            WHERE r.year = \(bind: year) AND r.community_code LIKE \(bind: Self.area(scope) + "%")
            """
        if let compound { q = q + " AND r.compound_id = \(bind: compound)" }
        if let company { q = q + " AND r.company_id = \(bind: company)" }
        q.appendLiteral(" GROUP BY r.compound_id, c.name, c.community_code, r.company_id, co.name ORDER BY c.community_code, c.name, r.compound_id")
        return try await sql.raw(q).all().map { try $0.decodeRecord(CompoundScore.self) }
    }

    /// The scores of `year` of some compounds, each as one (see `CompoundScore.combined`).
    public func scores(year: Int, of compounds: [UUID], in scope: RegistryScope) async throws -> [UUID: CompoundScore] {
        guard !compounds.isEmpty else { return [:] }
        var q: SQLQueryString = """
            SELECT r.compound_id, c.name AS compound_name, c.community_code, r.company_id, co.name AS company_name,
                   CAST(COUNT(*) AS BIGINT) AS ratings, CAST(SUM(r.score) AS BIGINT) AS score_sum,
                   CAST(SUM(CASE WHEN r.score >= \(bind: PropertyRatingRules.satisfiedFrom) THEN 1 ELSE 0 END) AS BIGINT) AS satisfied
            FROM property_ratings r JOIN property_compounds c ON c.id = r.compound_id LEFT JOIN property_companies co ON co.id = r.company_id
            WHERE r.year = \(bind: year) AND r.community_code LIKE \(bind: Self.area(scope) + "%") AND r.compound_id IN
            """
        q = q + " \(SQLBind.group(compounds))"
        q.appendLiteral(" GROUP BY r.compound_id, c.name, c.community_code, r.company_id, co.name")
        let rows = try await sql.raw(q).all().map { try $0.decodeRecord(CompoundScore.self) }
        return Dictionary(grouping: rows, by: \.compoundId).compactMapValues { CompoundScore.combined($0) }
    }

    /// The compound's property requests of `year`: received (reported in it), closed in it, of those on time, and the hours to close.
    public func propertyRequests(compound id: UUID, year: Int) async throws -> PropertyRequestStats {
        let (from, to) = PropertyRatingRules.yearSeconds(year)
        let rows = try await sql.raw("""
            SELECT r.reported_at, r.closed_at, r.due_at FROM requests r JOIN property_compound_buildings pb ON pb.building_id = r.building_id
            WHERE pb.compound_id = \(bind: id) AND r.category_code IN \(SQLBind.group(PropertyRatingRules.requestCategories.sorted()))
              AND ((r.reported_at >= \(bind: from) AND r.reported_at < \(bind: to)) OR (r.closed_at >= \(bind: from) AND r.closed_at < \(bind: to)))
            """).all()
        var received = 0, onTime = 0, hours: [Double] = []
        for row in rows {
            let reported = try row.decode(column: "reported_at", as: Int64.self), due = try row.decode(column: "due_at", as: Int64.self)
            if reported >= from && reported < to { received += 1 }
            if let closed = try row.decode(column: "closed_at", as: Int64?.self), closed >= from && closed < to {
                hours.append(Double(closed - reported) / 3600)
                if closed <= due { onTime += 1 }
            }
        }
        return PropertyRequestStats(received: received, closed: hours.count, onTime: onTime, medianHours: PropertyRatingRules.median(hours),
                                    averageHours: hours.isEmpty ? nil : hours.reduce(0, +) / Double(hours.count))
    }
}

/// 物业服务满意度 and 物业诉求按时办结率, community by community (see `PropertyIndicators.ratingDefinitions`).
struct PropertyRatingIndicatorCounts {
    func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = PropertyIndicators.RatingKey
        let area = PropertyQueries.area(tally.scope) + "%", year = tally.today.year
        for row in try await SQLHelpers.sql(db).raw("""
            SELECT community_code, CAST(COUNT(*) AS BIGINT) AS n,
                   CAST(SUM(CASE WHEN score >= \(bind: PropertyRatingRules.satisfiedFrom) THEN 1 ELSE 0 END) AS BIGINT) AS satisfied
            FROM property_ratings WHERE year = \(bind: year) AND community_code LIKE \(bind: area) GROUP BY community_code
            """).all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0, satisfied = try row.decode(column: "satisfied", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { c in
                c.more[K.ratings, default: 0] += n
                c.more[K.satisfied, default: 0] += satisfied
            }
        }
        let (from, to) = PropertyRatingRules.yearSeconds(year)
        for row in try await SQLHelpers.sql(db).raw("""
            SELECT c.community_code, CAST(COUNT(*) AS BIGINT) AS n,
                   CAST(SUM(CASE WHEN r.closed_at <= r.due_at THEN 1 ELSE 0 END) AS BIGINT) AS on_time
            FROM requests r JOIN property_compound_buildings pb ON pb.building_id = r.building_id JOIN property_compounds c ON c.id = pb.compound_id
            WHERE r.category_code IN \(SQLBind.group(PropertyRatingRules.requestCategories.sorted()))
              AND r.closed_at >= \(bind: from) AND r.closed_at < \(bind: to) AND c.community_code LIKE \(bind: area)
            GROUP BY c.community_code
            """).all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0, onTime = try row.decode(column: "on_time", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { c in
                c.more[K.requestsClosed, default: 0] += n
                c.more[K.requestsOnTime, default: 0] += onTime
            }
        }
    }
}
