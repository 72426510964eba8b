/// One thing wrong with one field of an input, with the message a worker reads (in Chinese).
public struct FieldError: Error, Hashable, Sendable {
    /// The input field at fault, as the API names it (`id_number`, `household_id` …).
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Everything wrong with an input at once, so a form can show every message in one round trip.
public struct ValidationFailure: Error, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// Collects field errors while an input is checked; `finish()` throws when any were found.
public struct FieldErrors: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}
    public mutating func add(_ field: String, _ message: String) { errors.append(FieldError(field, message)) }
    public mutating func add(_ error: FieldError) { errors.append(error) }
    public var isEmpty: Bool { errors.isEmpty }
    public func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
