@testable import LinliCore
import Testing

@Suite("Password policy and roles")
struct PasswordPolicyTests {
    @Test("what the policy refuses", arguments: [
        ("Short1!", "长度"), ("alllowercase123", "三类"), ("Has-Worker-Name-1", "用户名"), ("Password123!", "常见"),
    ])
    func refused(password: String, reason: String) throws {
        let errors = PasswordPolicy.check(password, username: "worker")
        #expect(!errors.isEmpty)
        let expected = try #require(["长度": "至少", "三类": "三类", "用户名": "用户名", "常见": "常见"][reason])
        #expect(errors.contains { $0.message.contains(expected) })
    }

    @Test("a good password passes")
    func accepted() {
        #expect(PasswordPolicy.check("Sunny-Lake-42x", username: "worker").isEmpty)
        #expect(PasswordPolicy.commonPasswords.count > 100)
    }

    @Test("the three administrators are separate and the system admin cannot read the registry")
    func roles() {
        let admins: [Role] = [.systemAdmin, .securityAdmin, .auditAdmin]
        for a in admins {
            for b in admins where a != b { #expect(a.permissions.isDisjoint(with: b.permissions)) }
            #expect(a.requiresTOTP)
        }
        #expect(!Role.systemAdmin.permissions.contains(.registryRead))
        #expect(!Role.systemAdmin.permissions.contains(.registryFullView))
        #expect(Role.auditAdmin.permissions == [.auditRead])
        #expect(!Role.gridWorker.requiresTOTP && Role.streetOfficer.requiresTOTP && Role.districtOfficer.requiresTOTP)
    }
}
