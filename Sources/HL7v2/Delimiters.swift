/// The encoding characters of a message, read from MSH-1 and MSH-2, never assumed.
///
/// All five must be distinct printable ASCII characters that are not letters or digits; MSH-2 has
/// four characters (component, repetition, escape, subcomponent) or, from v2.7, five (plus
/// truncation).
public struct Delimiters: Sendable, Hashable {
    public let field: UInt8
    public let component: UInt8
    public let repetition: UInt8
    public let escape: UInt8
    public let subcomponent: UInt8
    public let truncation: UInt8?

    /// `|^~\&`, the usual set.
    public static let standard = Delimiters(
        field: UInt8(ascii: "|"), component: UInt8(ascii: "^"), repetition: UInt8(ascii: "~"),
        escape: UInt8(ascii: "\\"), subcomponent: UInt8(ascii: "&"), truncation: nil)

    public init(
        field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8, subcomponent: UInt8, truncation: UInt8?
    ) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
        self.truncation = truncation
    }

    /// Reads the delimiters from the bytes after `MSH`: the field separator, then MSH-2 up to the next
    /// field separator.
    init(afterMSH bytes: ArraySlice<UInt8>) throws(HL7Error) {
        guard let field = bytes.first else { throw .shortHeader("the message ends right after “MSH”") }
        let encoding = bytes.dropFirst().prefix { $0 != field && $0 != 0x0D && $0 != 0x0A }
        guard (4...5).contains(encoding.count) else {
            throw .badDelimiters(
                "MSH-2 must hold 4 encoding characters (5 from v2.7), found \(encoding.count): “\(String(decoding: encoding, as: UTF8.self))”"
            )
        }
        let all = [field] + encoding
        for byte in all where !Self.isAllowed(byte) {
            throw .badDelimiters(
                "“\(String(decoding: [byte], as: UTF8.self))” (0x\(String(byte, radix: 16))) cannot be a delimiter: use printable ASCII punctuation"
            )
        }
        guard Set(all).count == all.count else {
            throw .badDelimiters(
                "the field separator and the encoding characters must all differ: “\(String(decoding: all, as: UTF8.self))”"
            )
        }
        let chars = Array(encoding)
        self.init(
            field: field, component: chars[0], repetition: chars[1], escape: chars[2], subcomponent: chars[3],
            truncation: chars.count == 5 ? chars[4] : nil)
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !(byte >= 0x30 && byte <= 0x39) && !(byte >= 0x41 && byte <= 0x5A)
            && !(byte >= 0x61 && byte <= 0x7A)
    }

    /// MSH-2 as written.
    public var encodingCharacters: String {
        String(
            decoding: [component, repetition, escape, subcomponent] + (truncation.map { [$0] } ?? []), as: UTF8.self)
    }

    var fieldCharacter: String { String(decoding: [field], as: UTF8.self) }
}
