import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 主动发现 for this request: today's date and clock.
    var assistanceFindings: AssistanceFindings {
        AssistanceFindings(db, today: application.linli.today(), now: application.linli.now)
    }
}

/// A hit as the API and the pages show it: name and ID number masked.
struct FindingHitDTO: Encodable, Sendable {
    var rule: String
    var ruleName: String
    var suggests: String
    var suggestsLabel: String
    var residentId: UUID
    var householdId: UUID
    var gridCode: String
    var name: String
    var idMasked: String
    var age: Int
    var why: String
    var fingerprint: String
    var firstSeenOn: String?

    init(_ h: FindingHit) {
        rule = h.rule.code
        ruleName = h.rule.name
        suggests = h.rule.suggests.rawValue
        suggestsLabel = h.rule.suggests.label
        residentId = h.residentId
        householdId = h.householdId
        gridCode = h.gridCode
        name = h.maskedName
        idMasked = h.idMasked
        age = h.age
        why = h.why
        fingerprint = h.fingerprint
        firstSeenOn = h.firstSeenOn
    }
}

/// `/api/v1/assistance/findings`: people the finding rules point at, and what was done about them.
struct AssistanceFindingsAPI {
    func boot(_ routes: Routes) {
        let findings = routes.grouped("assistance", "findings")
        findings.get(needs: .permission(.assistanceRead), use: list)
        findings.post("marks", needs: .permission(.assistanceWrite), use: mark)
    }

    static func rules(_ req: Request) throws -> [FindingRule] {
        guard let code = try req.queryString("rule") else { return FindingRules.all }
        guard let rule = FindingRules.rule(code) else {
            throw ProblemError.badRequest("rule", "参数 rule 无效，可选值：\(FindingRules.all.map(\.code).joined(separator: "、"))")
        }
        return [rule]
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<FindingHitDTO>> {
        try req.require(.assistanceRead)
        let scope = try req.narrowedScope(), rules = try Self.rules(req), page = try req.pageRequest()
        let hits = try await req.assistanceFindings.hits(in: scope, rules: rules, record: true)
        let items = Array(hits.dropFirst(page.offset).prefix(page.perPage))
        return JSONBody(PageDTO(ResultPage(items: items, total: hits.count, page: page.page, perPage: page.perPage), FindingHitDTO.init))
    }

    struct MarkInput: Decodable {
        var rule: String?
        var residentId: UUID?
        var outcome: String?
        var reason: String?
    }

    func mark(req: Request) async throws -> JSONBody<FindingHitDTO> {
        try req.require(.assistanceWrite)
        let i = try req.decodeJSON(MarkInput.self)
        let hit = try await req.assistanceFindings.mark(rule: i.rule, resident: i.residentId, outcome: i.outcome, reason: i.reason,
                                                        by: req.assistanceActor)
        req.application.findingCounts.clear()
        return JSONBody(FindingHitDTO(hit), status: .created)
    }
}
