import Foundation

/// HTML that is safe by construction. Text goes in through string interpolation and is escaped there (in
/// element content and in quoted attribute values alike); markup goes in only as `Markup`. So a page cannot
/// put a user's text, an SQL fragment, an optional or any other value on the page unescaped: the
/// interpolation has no overload for them and the page does not compile.
///
/// The literal parts of a `Markup` literal are the page's own source and trusted. The one way to take a
/// `String` as markup unchanged is `Markup.unescaped(_:)`; every use is listed and checked by a test.
struct Markup: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The HTML text.
    private(set) var html: String

    private init(html: String) { self.html = html }

    static let empty = Markup(html: "")

    /// Trusted markup from elsewhere (a file of the project's own, a value already escaped by `HTML.escape`).
    /// Searchable on purpose: `MarkupAuditTests` fails when a new use appears.
    static func unescaped(_ html: String) -> Markup { Markup(html: html) }

    /// Text, escaped: for a table cell or any place that wants `Markup` of a plain value.
    static func text(_ text: String) -> Markup { "\(text)" }

    init(stringLiteral value: String) { html = value }

    init(stringInterpolation: StringInterpolation) { html = stringInterpolation.html }

    var description: String { html }
    var isEmpty: Bool { html.isEmpty }

    struct StringInterpolation: StringInterpolationProtocol {
        var html = ""

        init(literalCapacity: Int, interpolationCount: Int) { html.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        mutating func appendLiteral(_ literal: String) { html += literal }
        /// Text: escaped. Disfavoured so that a string literal written in the page's source (`\(cond ? "<b>" : "")`)
        /// is taken as markup like the literal around it, while every `String` value is still escaped.
        @_disfavoredOverload
        mutating func appendInterpolation(_ text: String) { html += HTML.escape(text) }
        mutating func appendInterpolation(_ markup: Markup) { html += markup.html }
        mutating func appendInterpolation(_ parts: [Markup]) { for p in parts { html += p.html } }
        mutating func appendInterpolation(_ number: Int) { html += String(number) }
        mutating func appendInterpolation(_ number: Int64) { html += String(number) }
        /// Hex digits and hyphens only.
        mutating func appendInterpolation(_ id: UUID) { html += id.uuidString }
    }

    static func + (a: Markup, b: Markup) -> Markup { Markup(html: a.html + b.html) }
    static func += (a: inout Markup, b: Markup) { a.html += b.html }
}

extension Array where Element == Markup {
    /// The parts one after another, with an optional separator between them.
    func joined(separator: Markup = .empty) -> Markup {
        var out = Markup.empty
        for (i, m) in enumerated() {
            if i > 0 { out += separator }
            out += m
        }
        return out
    }
}

extension Optional where Wrapped == Markup {
    /// Nothing when absent: an optional never reaches a page by accident, only through this.
    var orEmpty: Markup { self ?? .empty }
}
