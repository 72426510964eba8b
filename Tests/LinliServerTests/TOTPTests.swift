import Foundation
import LinliData
import Testing

@Suite("TOTP (RFC 6238)")
struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1 rows, last six digits.
    @Test("the RFC's test vectors", arguments: [
        (59.0, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
        (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130"),
    ])
    func vectors(time: Double, code: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTP.code(secret: secret, step: TOTP.step(at: Date(timeIntervalSince1970: time))) == code)
    }

    @Test("one step of drift is allowed, a used step is not, base32 round-trips")
    func verify() {
        let secret = TOTP.newSecret()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let step = TOTP.step(at: now)
        #expect(TOTP.verify(TOTP.code(secret: secret, step: step), secret: secret, at: now) == step)
        #expect(TOTP.verify(TOTP.code(secret: secret, step: step - 1), secret: secret, at: now) == step - 1)
        #expect(TOTP.verify(TOTP.code(secret: secret, step: step - 3), secret: secret, at: now) == nil)
        #expect(TOTP.verify(TOTP.code(secret: secret, step: step), secret: secret, at: now, after: step) == nil)
        #expect(TOTP.verify("12a456", secret: secret, at: now) == nil)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(TOTP.uri(secret: secret, account: "worker").hasPrefix("otpauth://totp/Linli:worker?secret="))
    }
}
