/// A parsed HL7 v2 message in ER7 (pipe-delimited) form.
///
/// Values are kept as written (escaped), so that ``encoded(terminator:)`` reproduces the message
/// exactly; ``value(at:)`` unescapes on the way out. Segments may end with CR (the standard), LF or
/// CRLF; anything but CR is accepted and reported in ``notes``.
public struct Message: Sendable, Hashable {
    public let delimiters: Delimiters
    public let segments: [Segment]
    /// Things that were accepted but are not strictly standard (LF line ends, blank lines).
    public let notes: [String]

    /// Parses a message from text.
    public init(_ text: String) throws(HL7Error) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Parses a message from bytes, which must be UTF-8 text.
    public init(bytes: [UInt8]) throws(HL7Error) {
        guard !bytes.isEmpty else { throw .empty }
        if let bad = Self.firstInvalidUTF8(bytes) { throw .notUTF8(offset: bad) }
        if let control = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0D && $0 != 0x0A && $0 != 0x09 }) {
            throw .binary(offset: control)
        }
        var lines: [ArraySlice<UInt8>] = []
        var sawLF = false
        var sawCRLF = false
        var blank = 0
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0A { sawLF = true }
                let line = bytes[start..<index]
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    sawCRLF = true
                    index += 1
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    blank += line.isEmpty ? 0 : 1
                } else {
                    lines.append(line)
                }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count, !bytes[start...].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            lines.append(bytes[start...])
        }
        guard let first = lines.first else { throw .empty }
        guard first.starts(with: Array("MSH".utf8)) else {
            throw .noMSH(found: String(decoding: first.prefix(12), as: UTF8.self))
        }
        let delimiters = try Delimiters(afterMSH: first.dropFirst(3))
        var segments: [Segment] = []
        for (number, line) in lines.enumerated() {
            segments.append(try Segment(line, delimiters: delimiters, number: number + 1))
        }
        var notes: [String] = []
        if sawCRLF { notes.append("Segments end with CR LF; the standard ending is CR alone.") }
        if sawLF && !sawCRLF { notes.append("Segments end with LF; the standard ending is CR.") }
        if blank > 0 { notes.append("\(blank) blank line(s) between segments were skipped.") }
        self.delimiters = delimiters
        self.segments = segments
        self.notes = notes
    }

    /// The message as text, each segment ended by `terminator` (CR by default).
    public func encoded(terminator: String = "\r") -> String {
        segments.map { $0.encoded(delimiters) }.joined(separator: terminator) + terminator
    }

    /// Segments with this id, in order.
    public func segments(_ id: String) -> [Segment] { segments.filter { $0.id == id } }

    /// MSH-9 as `TYPE^TRIGGER`, e.g. `ADT^A01`.
    public var messageType: String? {
        guard let msh = segments.first else { return nil }
        let type = msh.leaf(field: 9, repetition: 1, component: 1, subcomponent: 1) ?? ""
        let trigger = msh.leaf(field: 9, repetition: 1, component: 2, subcomponent: 1) ?? ""
        return type.isEmpty ? nil : trigger.isEmpty ? type : "\(type)^\(trigger)"
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += String(scalar).utf8.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// One segment: an id and its fields. `fields[n]` is `ID-n`; `fields[0]` is unused. In MSH, field 1 is
/// the field separator and field 2 the encoding characters, both kept as written and never split.
public struct Segment: Sendable, Hashable {
    /// A field's repetitions, each a list of components, each a list of subcomponents, as written.
    public typealias Field = [[[String]]]

    public let id: String
    public let fields: [Field]

    init(_ line: ArraySlice<UInt8>, delimiters d: Delimiters, number: Int) throws(HL7Error) {
        let idBytes = line.prefix(3)
        let id = String(decoding: idBytes, as: UTF8.self)
        guard idBytes.count == 3, idBytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }),
            line.count == 3 || line[line.startIndex + 3] == d.field
        else { throw .badSegmentID(line: number, id: String(decoding: line.prefix(8), as: UTF8.self)) }
        self.id = id
        var fields: [Field] = [[[[id]]]]
        // What follows the field separator after the id, if there is one.
        var rest: ArraySlice<UInt8>? = line.count > 3 ? line.dropFirst(4) : nil
        if id == "MSH", let afterSeparator = rest {
            let encoding = afterSeparator.prefix { $0 != d.field }
            fields.append([[[d.fieldCharacter]]])
            fields.append([[[String(decoding: encoding, as: UTF8.self)]]])
            rest = afterSeparator.count > encoding.count ? afterSeparator.dropFirst(encoding.count + 1) : nil
        }
        if let rest {
            for field in rest.split(separator: d.field, omittingEmptySubsequences: false) {
                fields.append(Self.parse(field, d))
            }
        }
        self.fields = fields
    }

    static func parse(_ field: ArraySlice<UInt8>, _ d: Delimiters) -> Field {
        field.split(separator: d.repetition, omittingEmptySubsequences: false).map { repetition in
            repetition.split(separator: d.component, omittingEmptySubsequences: false).map { component in
                component.split(separator: d.subcomponent, omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
            }
        }
    }

    func encoded(_ d: Delimiters) -> String {
        let sep = d.fieldCharacter
        let rep = String(decoding: [d.repetition], as: UTF8.self)
        let comp = String(decoding: [d.component], as: UTF8.self)
        let sub = String(decoding: [d.subcomponent], as: UTF8.self)
        let start = id == "MSH" ? 3 : 1
        var text = id
        if id == "MSH", fields.count > 2 { text += sep + fields[2][0][0][0] }
        for field in fields.dropFirst(start) {
            text +=
                sep + field.map { $0.map { $0.joined(separator: sub) }.joined(separator: comp) }.joined(separator: rep)
        }
        return text
    }

    /// The raw (escaped) leaf at 1-based positions, nil when absent.
    func leaf(field: Int, repetition: Int, component: Int, subcomponent: Int) -> String? {
        guard field >= 1, field < fields.count else { return nil }
        let reps = fields[field]
        guard repetition >= 1, repetition <= reps.count else { return nil }
        let comps = reps[repetition - 1]
        guard component >= 1, component <= comps.count else { return nil }
        let subs = comps[component - 1]
        guard subcomponent >= 1, subcomponent <= subs.count else { return nil }
        return subs[subcomponent - 1]
    }

    /// How many times field `n` repeats (0 when absent or empty).
    public func repetitions(of field: Int) -> Int {
        guard field >= 1, field < fields.count else { return 0 }
        let reps = fields[field]
        return reps.count == 1 && reps[0] == [[""]] ? 0 : reps.count
    }
}
