import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/property/ratings`: 物业服务评价 — a signed-in resident (account linked to the registry) rates the property
/// service of their household's compound once a year; console roles read each compound's score of a year.
struct PropertyRatingAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("property")
        p.post("ratings", needs: .permission(.propertyRate), use: rate)
        p.get("ratings", needs: .permission(.propertyRead), use: scores)
    }

    struct RatingBody: Decodable {
        var score: Int?
        var comment: String?
        var year: Int?
    }

    func rate(req: Request) async throws -> JSONBody<PropertyRatingDTO> {
        let b = try req.decodeJSON(RatingBody.self)
        let r = try await req.property.rate(PropertyRatingInput(score: b.score, comment: b.comment, year: b.year), resident: try await req.linkedResident(),
                                            by: req.auditActor)
        return JSONBody(PropertyRatingDTO(r), status: .created)
    }

    /// The scores of a year (this year by default), one row per compound and company rated, in the caller's area.
    func scores(req: Request) async throws -> JSONBody<PropertyScoresDTO> {
        let year = try req.queryInt("year", in: 2000...2100) ?? req.application.linli.today().year
        let items = try await req.property.scores(year: year, in: try req.narrowedScope())
        return JSONBody(PropertyScoresDTO(year: year, items: items.map(CompoundScoreDTO.init)))
    }
}

struct PropertyRatingDTO: Encodable, Sendable {
    var id: UUID
    var compoundId: UUID
    var companyId: UUID?
    var year: Int
    var score: Int
    var scoreLabel: String
    var comment: String?

    init(_ r: PropertyRatingRecord) {
        id = r.id; compoundId = r.compoundId; companyId = r.companyId; year = r.year; score = r.score
        scoreLabel = SatisfactionScore(rawValue: r.score)?.label ?? ""; comment = r.comment
    }
}

struct CompoundScoreDTO: Encodable, Sendable {
    var compoundId: UUID
    var compoundName: String
    var communityCode: String
    var companyId: UUID?
    var companyName: String?
    var ratings: Int
    var average: Double?
    var satisfied: Int
    var satisfiedPercent: Double?

    init(_ s: CompoundScore) {
        compoundId = s.compoundId; compoundName = s.compoundName; communityCode = s.communityCode; companyId = s.companyId; companyName = s.companyName
        ratings = s.ratings; average = s.average; satisfied = s.satisfied; satisfiedPercent = s.satisfiedPercent
    }
}

struct PropertyScoresDTO: Encodable, Sendable {
    var year: Int
    var items: [CompoundScoreDTO]
}
