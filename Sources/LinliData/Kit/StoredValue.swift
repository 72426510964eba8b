import Foundation
import SQLKit

/// A stored row the code cannot read: a column holds a value that is not one of its cases (written by
/// hand or by another program). It is the data's fault, never the caller's, so the server answers it
/// as an internal error; the value itself is not repeated (a column may hold personal data).
public struct StoredValueError: Error, CustomStringConvertible, Sendable {
    public let record: String
    public let column: String
    public var description: String { "\(record): the stored \(column) is not a known value" }
}

extension RawRepresentable where RawValue == String {
    /// The case a stored raw value names, or `StoredValueError`.
    static func stored(_ raw: String, column: String, of record: String) throws -> Self {
        guard let value = Self(rawValue: raw) else { throw StoredValueError(record: record, column: column) }
        return value
    }
}

extension SQLRow {
    /// A row as a record; a value a typed field does not know is a `StoredValueError`, not a client's decoding error.
    func decodeRecord<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try decode(model: type, keyDecodingStrategy: .convertFromSnakeCase)
        } catch {
            // Decoding a fetched row does no I/O: whatever fails here is the row's content.
            throw StoredValueError(record: String(describing: T.self), column: (error as? DecodingError)?.column ?? "?")
        }
    }

    /// One column of a row, with the same error as `decodeRecord`.
    func decodeStored<T: Decodable>(column: String, as type: T.Type, of record: String) throws -> T {
        do {
            return try decode(column: column, as: type)
        } catch {
            throw StoredValueError(record: record, column: column)
        }
    }
}

extension DecodingError {
    var column: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let k, let c): path = c.codingPath + [k]
        @unknown default: path = []
        }
        return path.map(\.stringValue).joined(separator: ".")
    }
}
