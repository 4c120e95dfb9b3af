/// A terser-style location in a message: `PID-5-1`, `PID-3[2]-4-1`, `OBX[3]-5`, `MSH-9-2`.
///
/// Every number is 1-based. `SEG[n]` is the n-th segment with that id (default 1); `-f[r]` is field f,
/// repetition r (default 1); then component and subcomponent, each defaulting to 1, as HAPI's terser
/// does: `PID-5` reads the family name, PID-5-1.
public struct Path: Sendable, Hashable, CustomStringConvertible {
    public let segment: String
    public let segmentRepetition: Int
    public let field: Int
    public let fieldRepetition: Int
    public let component: Int?
    public let subcomponent: Int?

    public init(_ text: String) throws(HL7Error) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.count <= 4 else {
            throw .badPath(text, reason: "it needs a segment and a field, and at most a component and subcomponent")
        }
        let (segment, segmentRepetition) = try Self.indexed(parts[0], whole: text)
        guard segment.count == 3, segment.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
            throw .badPath(text, reason: "“\(segment)” is not a segment id (three capitals or digits)")
        }
        let (fieldText, fieldRepetition) = try Self.indexed(parts[1], whole: text)
        guard let field = Int(fieldText), field >= 1 else {
            throw .badPath(text, reason: "the field “\(fieldText)” must be a number from 1")
        }
        func number(_ index: Int, _ name: String) throws(HL7Error) -> Int? {
            guard index < parts.count else { return nil }
            guard let value = Int(parts[index]), value >= 1 else {
                throw .badPath(text, reason: "the \(name) “\(parts[index])” must be a number from 1")
            }
            return value
        }
        self.segment = segment
        self.segmentRepetition = segmentRepetition
        self.field = field
        self.fieldRepetition = fieldRepetition
        component = try number(2, "component")
        subcomponent = try number(3, "subcomponent")
    }

    /// `NAME[n]` → (NAME, n); `NAME` → (NAME, 1).
    static func indexed(_ part: String, whole: String) throws(HL7Error) -> (String, Int) {
        guard let open = part.firstIndex(of: "[") else { return (part, 1) }
        guard part.hasSuffix("]"), let n = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]),
            n >= 1
        else { throw .badPath(whole, reason: "“\(part)” needs a repetition like [2], counted from 1") }
        return (String(part[..<open]), n)
    }

    public var description: String {
        var text = segment + (segmentRepetition > 1 ? "[\(segmentRepetition)]" : "") + "-\(field)"
        if fieldRepetition > 1 { text += "[\(fieldRepetition)]" }
        if let component { text += "-\(component)" }
        if let subcomponent { text += "-\(subcomponent)" }
        return text
    }
}

/// What a path finds.
public enum Lookup: Sendable, Hashable {
    /// The segment, field, repetition or component is not in the message.
    case absent
    /// Present but empty: the sender said nothing.
    case empty
    /// `""`: the sender says the value is null (delete it), which is not the same as empty.
    case null
    /// The value, unescaped.
    case value(String)
}

extension Message {
    /// What is at `path` (see ``Path``).
    public func lookup(_ path: Path) -> Lookup {
        let matching = segments.lazy.filter { $0.id == path.segment }
        guard let segment = matching.dropFirst(path.segmentRepetition - 1).first,
            let raw = segment.leaf(
                field: path.field, repetition: path.fieldRepetition, component: path.component ?? 1,
                subcomponent: path.subcomponent ?? 1)
        else { return .absent }
        if segment.id == "MSH", path.field <= 2 { return .value(raw) }  // never unescaped
        if raw.isEmpty { return .empty }
        if raw == "\"\"" { return .null }
        return .value(Escaping.unescape(raw, delimiters))
    }

    /// The unescaped value at `path`, or nil when it is absent, empty or null.
    public func value(at path: String) throws(HL7Error) -> String? {
        if case .value(let text) = lookup(try Path(path)) { return text }
        return nil
    }
}
