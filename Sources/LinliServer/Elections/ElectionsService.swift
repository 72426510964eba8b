import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 换届选举's queries for this request.
    var elections: ElectionsQueries {
        let linli = application.linli
        return ElectionsQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var electionsActor: ElectionsActor {
        let p = principal?.role.permissions ?? []
        return ElectionsActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.electionsWrite), mayCount: p.contains(.electionsCount))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum ElectionsService {
    struct ElectionBody: Decodable {
        var communityCode: String?
        var method: String?
        var seats: Int?
        var viceChairs: Int?
        var committee: [String]?
        var rollPublishedOn: String?
        var rollFrozenOn: String?
        var candidatesPublishedOn: String?
        var electionDay: String?

        func input() throws -> ElectionInput {
            var errors: [FieldError] = []
            func day(_ raw: String?, _ field: String) -> CivilDate? {
                guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                guard let d = CivilDate(raw) else { errors.append(FieldError(field, "日期应为 YYYY-MM-DD")); return nil }
                return d
            }
            let m = try ElectionsService.parse(method, ElectionMethod.self, field: "method")
            let input = ElectionInput(communityCode: communityCode, method: m, seats: seats, viceChairs: viceChairs, committee: committee ?? [],
                                      rollPublishedOn: day(rollPublishedOn, "roll_published_on"), rollFrozenOn: day(rollFrozenOn, "roll_frozen_on"),
                                      candidatesPublishedOn: day(candidatesPublishedOn, "candidates_published_on"), electionDay: day(electionDay, "election_day"))
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            return input
        }
    }

    struct VersionBody: Decodable { var version: Int? }

    struct VoterBody: Decodable {
        var residentId: UUID?
        var decision: String?
    }

    struct CandidateBody: Decodable {
        var residentId: UUID?
        var post: String?
    }

    struct ProxyBody: Decodable {
        var grantorId: UUID?
        var holderId: UUID?
    }

    struct BoxBody: Decodable {
        var kind: String?
        var label: String?
    }

    struct VoteBody: Decodable {
        var candidateId: UUID?
        var votes: Int?
    }

    struct CountBody: Decodable {
        var issued: Int?
        var returned: Int?
        var valid: Int?
        var invalid: Int?
        var votes: [VoteBody]?
        var version: Int?

        /// Every number is checked against its range by the rules before any sum; a missing one is refused here.
        func count() throws -> BoxCount {
            var errors: [FieldError] = []
            for (f, v) in [("issued", issued), ("returned", returned), ("valid", valid), ("invalid", invalid)] where v == nil {
                errors.append(FieldError(f, "请填写"))
            }
            var votes: [UUID: Int] = [:]
            for v in self.votes ?? [] {
                guard let id = v.candidateId, let n = v.votes else { errors.append(FieldError("votes", "每项应有候选人 candidate_id 和得票数 votes")); continue }
                if votes[id] != nil { errors.append(FieldError("votes", "同一候选人重复填写")) }
                votes[id] = n
            }
            guard errors.isEmpty, let issued, let returned, let valid, let invalid else { throw RegistryError.invalid(errors) }
            return BoxCount(issued: issued, returned: returned, valid: valid, invalid: invalid, votes: votes)
        }
    }

    struct ObjectionBody: Decodable {
        var name: String?
        var contact: String?
        var body: String?
    }

    static func parse<T: RawRepresentable & CaseIterable>(_ raw: String?, _ type: T.Type, field: String) throws -> T? where T.RawValue == String {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let v = T(rawValue: raw) else {
            throw RegistryError.invalid([FieldError(field, "可选：\(T.allCases.map(\.rawValue).joined(separator: "、"))")])
        }
        return v
    }
}
