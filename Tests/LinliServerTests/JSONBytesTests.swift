import Foundation
@testable import LinliServer
import Testing

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
        let parsed = try JSONSerialization.jsonObject(with: Data(j.bytes)) as! [String: Any]
        #expect(parsed["a"] as? String == "引号\"反斜杠\\换行\n制表\t\u{1}")
        #expect(parsed["n"] as? Int == -42)
        #expect(parsed["list"] as? [String] == ["x", "\"y\""])
    }
}
