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

    @Test("officers and the three administrators sign in with a second factor")
    func secondFactor() {
        for a: Role in [.systemAdmin, .securityAdmin, .auditAdmin] { #expect(a.requiresTOTP) }
        #expect(!Role.gridWorker.requiresTOTP && Role.streetOfficer.requiresTOTP && Role.districtOfficer.requiresTOTP)
    }
}
