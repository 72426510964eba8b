@testable import LinliCore
import Testing

@Suite("GB 11643 citizen ID numbers")
struct CitizenIDTests {
    /// The worked examples printed in GB 11643-1999 (appendix) and its commentary.
    @Test("the standard's published examples are valid", arguments: [
        ("11010519491231002X", "1949-12-31", Sex.female),
        ("440524188001010014", "1880-01-01", Sex.male),
    ])
    func publishedExamples(id: String, birth: String, sex: Sex) throws {
        let c = try CitizenID(id)
        #expect(c.birthDate.description == birth)
        #expect(c.sex == sex)
        #expect(c.regionCode == String(id.prefix(6)))
    }

    @Test("the check character is ISO 7064 MOD 11-2")
    func checkCharacter() {
        #expect(CitizenID.checkCharacter(for: "11010519491231002".utf8.map { $0 - 48 }) == "X")
        #expect(CitizenID.checkCharacter(for: "44052418800101001".utf8.map { $0 - 48 }) == "4")
        // Changing any one digit changes the check character.
        let base = Array("32120319900517777".utf8.map { $0 - 48 })
        let check = CitizenID.checkCharacter(for: base)
        for i in base.indices {
            var changed = base
            changed[i] = (changed[i] + 1) % 10
            #expect(CitizenID.checkCharacter(for: changed) != check)
        }
    }

    @Test("each kind of wrong number gets its own message", arguments: [
        ("", CitizenID.Problem.empty),
        ("1101051949123100", .length(16)),
        ("11010519491231002Y", .characters),
        ("A1010519491231002X", .characters),
        ("99010519491231002X", .region),
        ("11010519491331002X", .birthDate),
        ("110105194902300021", .birthDate),
        ("110105194912310021", .checkCharacter(expected: "X")),
    ])
    func refused(id: String, problem: CitizenID.Problem) {
        #expect(throws: problem) { try CitizenID(id) }
        #expect(!problem.message.isEmpty)
    }

    @Test("a lower-case x and surrounding spaces are accepted; a birth after today is not")
    func normalisation() throws {
        #expect(try CitizenID(" 11010519491231002x ").value == "11010519491231002X")
        let future = try CitizenID.make(region: "321203", birth: civil("2030-01-01"), sequence: 1)
        let today = try civil("2026-06-30")
        #expect(throws: CitizenID.Problem.futureBirth) { try CitizenID(future, today: today) }
    }

    @Test("made numbers validate and carry the sex of the sequence's parity")
    func make() throws {
        for seq in [0, 1, 2, 999] {
            let id = try CitizenID.make(region: "321271", birth: civil("2000-02-29"), sequence: seq)
            let c = try CitizenID(id)
            #expect(c.sex == (seq % 2 == 1 ? .male : .female))
            #expect(c.birthDate == CivilDate("2000-02-29"))
        }
    }

    @Test("masking keeps the region code and the last four")
    func masking() {
        #expect(Masking.citizenID("11010519491231002X") == "110105********002X")
        #expect(Masking.phone("13812345678") == "138****5678")
        #expect(Masking.phone("052386123456") == "052******456")
        #expect(Masking.citizenID("123") == "***")
    }
}
