/// Why a message could not be read, with what to fix.
public enum HL7Error: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notUTF8(offset: Int)
    case binary(offset: Int)
    case noMSH(found: String)
    case shortHeader(String)
    case badDelimiters(String)
    case badSegmentID(line: Int, id: String)
    case badPath(String, reason: String)
    case mllp(String)

    public var description: String {
        switch self {
        case .empty: "The message is empty: an HL7 v2 message starts with an MSH segment."
        case .notUTF8(let offset):
            "The message is not valid UTF-8 (byte \(offset)); convert it from its MSH-18 character set first."
        case .binary(let offset):
            "The message contains a control byte at offset \(offset); HL7 v2 is text. Is this a file of another kind, or MLLP framing that was not removed?"
        case .noMSH(let found):
            "The message must start with an MSH segment, not “\(found)”. (Batches wrapped in FHS/BHS are not read here; send one message at a time.)"
        case .shortHeader(let reason): "The MSH segment is too short: \(reason)."
        case .badDelimiters(let reason): "The delimiters in MSH-1 and MSH-2 are not usable: \(reason)."
        case .badSegmentID(let line, let id):
            "Segment \(line) starts with “\(id)”; a segment starts with a three-character id such as PID or OBX."
        case .badPath(let path, let reason):
            "“\(path)” is not a path: \(reason). Write it like PID-5-1, PID-3[2]-4-1 or OBX[3]-5."
        case .mllp(let reason): "MLLP framing: \(reason)."
        }
    }
}
