import Foundation
@testable import LinliServer
import Testing

/// What the hand-written object must read back as.
fileprivate struct Escaped: Decodable {
    var a: String
    var n: Int
    var list: [String]
}

@Suite("Hand-written JSON")
struct JSONBytesTests {
    @Test("escapes quotes, backslashes and control characters, keeps Chinese")
    func escaping() throws {
        var j = JSONBytes()
        j.open()
        j.field("a", "引号\"反斜杠\\换行\n制表\t\u{1}")
        j.field("n", -42)
        j.field("list", ["x", "\"y\""])
        j.close()
        let parsed = try JSONDecoder().decode(Escaped.self, from: Data(j.bytes))
        #expect(parsed.a == "引号\"反斜杠\\换行\n制表\t\u{1}")
        #expect(parsed.n == -42)
        #expect(parsed.list == ["x", "\"y\""])
    }
}
