import Foundation
import LinliCore

public enum RegistrationStatus: String, Codable, Sendable, CaseIterable {
    case open, exited
    public var label: String { self == .open ? "在册" : "已退出" }
}

/// A registration with the person's registry entry joined (name, masked ID number, sex, birth date).
public struct EmploymentRegistrationRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var residentId: UUID
    public var householdId: UUID
    public var gridCode: String
    public var communityCode: String
    public var streetCode: String
    public var registeredOn: String
    public var reason: String
    public var lastJob: String?
    public var skills: String?
    public var wishes: String?
    public var designated: Bool
    public var categories: String
    public var categoryNote: String?
    public var designatedOn: String?
    public var status: RegistrationStatus
    public var lastContactOn: String
    public var exitReason: EmploymentExitReason?
    public var exitOn: String?
    public var exitEmployer: String?
    public var exitNote: String?
    public var registeredBy: String
    public var version: Int
    public var name: String
    public var idMasked: String
    public var sex: Sex
    public var birthDate: String

    public var categoryList: [DifficultyCategory] { DifficultyCategory.parse(categories) }
}

public struct EmploymentContactRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var contactedOn: String
    public var way: ContactWay
    public var content: String
    public var recordedBy: String
}

public struct EmploymentReferralRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var referredOn: String
    public var employer: String
    public var post: String
    public var result: ReferralResult
    public var recordedBy: String
}

public struct EmploymentPostRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var employer: String
    public var communityCode: String
    public var streetCode: String
    public var hoursPerWeek: Int
    public var monthlyAllowance: Int
    public var places: Int
    public var version: Int
    /// Placements holding a place today (joined).
    public var filled: Int?
    public var communityName: String?
}

public struct EmploymentPlacementRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var postId: UUID
    public var registrationId: UUID
    public var residentId: UUID
    public var startOn: String
    public var endOn: String
    public var untilOn: String
    public var endedReason: String?
    public var monthlyAllowance: Int
    public var version: Int
    public var name: String?
    public var idMasked: String?
    public var postTitle: String?
    public var employer: String?
}

/// A household's social-assistance case, as the register shows it beside a person (read-only).
public struct HouseholdAssistanceCase: Sendable, Equatable {
    public var number: String
    public var kind: AssistanceKind
    public var stage: AssistanceStage
}

/// One line of a street's monthly allowance roll.
public struct AllowanceLine: Sendable, Equatable {
    public var name: String
    public var idMasked: String
    public var communityCode: String
    public var postTitle: String
    public var employer: String
    public var startOn: String
    public var untilOn: String
    public var monthlyAllowance: Int
    public var days: Int
    public var amount: Int
}

public struct EmploymentFilter: Sendable, Equatable {
    public var status: RegistrationStatus? = .open
    public var designated: Bool?
    public var overdueContact = false
    public var category: DifficultyCategory?
    public init() {}
}

public struct EmploymentFigures: Sendable, Equatable {
    public var registered = 0
    public var designated = 0
    public var overdue = 0
    public var placed = 0
}

/// What a registration asks for, as typed.
public struct RegistrationInput: Sendable {
    public var residentId: UUID?
    public var registeredOn: String?
    public var reason: String?
    public var lastJob: String?
    public var skills: String?
    public var wishes: String?
    public var categories: [DifficultyCategory]
    public var categoryNote: String?

    public init(residentId: UUID?, registeredOn: String?, reason: String?, lastJob: String?, skills: String?, wishes: String?,
                categories: [DifficultyCategory], categoryNote: String?) {
        self.residentId = residentId; self.registeredOn = registeredOn; self.reason = reason; self.lastJob = lastJob; self.skills = skills
        self.wishes = wishes; self.categories = categories; self.categoryNote = categoryNote
    }
}

public struct PostInput: Sendable {
    public var title: String?
    public var employer: String?
    public var communityCode: String?
    public var hoursPerWeek: Int?
    public var monthlyAllowance: Int?
    public var places: Int?

    public init(title: String?, employer: String?, communityCode: String?, hoursPerWeek: Int?, monthlyAllowance: Int?, places: Int?) {
        self.title = title; self.employer = employer; self.communityCode = communityCode; self.hoursPerWeek = hoursPerWeek
        self.monthlyAllowance = monthlyAllowance; self.places = places
    }
}
