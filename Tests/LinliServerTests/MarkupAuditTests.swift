import Foundation
import LinliCore
@testable import LinliServer
import Testing
import Vapor

@Suite("Markup: pages escape by construction")
struct MarkupTests {
    static let nasty = "<script>alert(\"x\")</script> & 'y'"
    static let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"

    @Test("a String is escaped in element content and in an attribute value")
    func escapesText() {
        let text = Self.nasty
        let m: Markup = "<p title=\"\(text)\">\(text)</p>"
        #expect(m.description == "<p title=\"\(Self.escaped)\">\(Self.escaped)</p>")
        #expect(Markup.text(text).description == Self.escaped)
        // A String held in an optional goes through `??` as a String, and is escaped as well.
        let absent: String? = nil, present: String? = text
        let o: Markup = "\(absent ?? "—")|\(present ?? "—")"
        #expect(o.description == "—|" + Self.escaped)
    }

    @Test("markup, lists of markup and numbers go in as they are; literals in the page's source are markup")
    func composes() {
        let cell: Markup = "<b>\("1 < 2")</b>"
        let list: [Markup] = ["<li>a</li>", "<li>\("&")</li>"]
        let flag = !list.isEmpty, n = 7, big: Int64 = 1 << 40
        let m: Markup = "\(cell)<ul>\(list)</ul>\(flag ? " <i>on</i>" : "")\(n)/\(big)"
        #expect(m.description == "<b>1 < 2</b><ul><li>a</li><li>&</li></ul> <i>on</i>7/1099511627776")
        let value = "<i>"
        let chosen: Markup = "\(flag ? value : "")"
        #expect(chosen.description == "&lt;i&gt;")
        #expect(list.joined(separator: ", ").description == "<li>a</li>, <li>&</li>")
        #expect([Markup]().joined().isEmpty)
        let missing: Markup? = nil
        #expect(missing.orEmpty == .empty && Optional(cell).orEmpty == cell)
        #expect((cell + "<br>").description == "<b>1 < 2</b><br>")
    }

    @Test("Markup.unescaped is the only way to take a String unchanged")
    func rawPath() {
        let html = "<em>trusted</em>"
        #expect(Markup.unescaped(html).description == html)
        #expect(Markup.text(html).description == "&lt;em&gt;trusted&lt;/em&gt;")
        let m: Markup = "\(html)"
        #expect(m.description != html)
    }
}

/// Reads the sources: `Markup.unescaped` only where the allow-list says, and no interpolation that takes any value.
@Suite("Markup audit: raw HTML only in listed places")
struct MarkupAuditTests {
    /// File (relative to Sources/) → the number of `.unescaped(` uses it may have, each with its reason.
    /// Empty: no page needs raw HTML today (the stylesheet is a file served as CSS, never Markup).
    static let allowed: [String: Int] = [:]

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    /// Lines of code, comments left out (the doc comments name the function).
    static func code(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
    }

    static func swiftFiles() throws -> [(path: String, text: String)] {
        let root = sources.standardizedFileURL.path
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        var out: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            out.append((relative, try String(contentsOfFile: root + "/" + relative, encoding: .utf8)))
        }
        return out
    }

    @Test("every use of Markup.unescaped is on the allow-list")
    func unescapedUses() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 50)   // the walk found the sources
        #expect(files.contains { $0.path == "LinliServer/Kit/Console.swift" })
        var found: [String: Int] = [:]
        for (path, text) in files {
            let n = Self.code(text).reduce(0) { $0 + $1.components(separatedBy: ".unescaped(").count - 1 }
            if n > 0 { found[path] = n }
        }
        for (path, n) in found.sorted(by: { $0.key < $1.key }) {
            #expect(n <= Self.allowed[path] ?? 0, "\(path): \(n) use(s) of Markup.unescaped, allowed \(Self.allowed[path] ?? 0); audit it and list it in MarkupAuditTests.allowed")
        }
        for (path, n) in Self.allowed {
            #expect(found[path] == n, "\(path): allowed \(n) use(s) of Markup.unescaped, found \(found[path] ?? 0); update MarkupAuditTests.allowed")
        }
    }

    @Test("Markup's interpolation takes text, markup, lists of markup, integers and UUIDs, nothing else")
    func interpolationOverloads() throws {
        let text = try String(contentsOf: Self.sources.appendingPathComponent("LinliServer/Kit/Markup.swift"), encoding: .utf8)
        let overloads = Self.code(text).compactMap { line -> String? in
            guard let r = line.range(of: "func appendInterpolation(") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != ")" })
        }
        #expect(overloads == ["_ text: String", "_ markup: Markup", "_ parts: [Markup]", "_ number: Int", "_ number: Int64", "_ id: UUID"])
        #expect(text.contains("private init(html: String)"))
    }
}

@Suite("The console's stylesheet", .serialized)
struct StylesheetTests {
    @Test("served as CSS from the bundle, with a chip colour for every indicator status")
    func served() async throws {
        try await withTestApp(residents: 20) { app in
            let r = try await app.testing().sendRequest(.GET, "/assets/console.css")
            #expect(r.status == .ok)
            #expect(r.headers.contentType?.type == "text" && r.headers.contentType?.subType == "css")
            #expect(r.headers.first(name: .cacheControl) == "public, max-age=3600")
            let css = String(buffer: r.body)
            #expect(css.contains("@media print") && css.contains(".sheet {"))
            for status in IndicatorStatus.allCases {
                #expect(css.contains(".chip.st-\(status.rawValue) { background: \(status.colour); }"), "no chip colour for \(status.rawValue)")
            }
        }
    }
}
