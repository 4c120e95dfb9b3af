/// The Minimal Lower Layer Protocol that carries HL7 v2 over TCP: each message is framed as
/// `0x0B` (vertical tab), the message, then `0x1C 0x0D` (file separator, carriage return).
public enum MLLP {
    public static let start: UInt8 = 0x0B
    public static let end: [UInt8] = [0x1C, 0x0D]

    /// One message, framed.
    public static func frame(_ message: String) -> [UInt8] {
        [start] + Array(message.utf8) + end
    }

    /// The messages in a stream of frames. Bytes between frames must be whitespace; a frame that is
    /// not closed, or data outside a frame, is an error that says where.
    public static func unframe(_ bytes: [UInt8]) throws(HL7Error) -> [String] {
        var messages: [String] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D || byte == 0x20 {
                index += 1
                continue
            }
            guard byte == start else {
                throw .mllp(
                    "byte \(index) (0x\(String(byte, radix: 16))) is outside a frame; each message starts with 0x0B")
            }
            var close = index + 1
            while close + 1 < bytes.count, !(bytes[close] == end[0] && bytes[close + 1] == end[1]) { close += 1 }
            guard close + 1 < bytes.count else {
                throw .mllp("the frame that starts at byte \(index) has no end (0x1C 0x0D)")
            }
            messages.append(String(decoding: bytes[(index + 1)..<close], as: UTF8.self))
            index = close + 2
        }
        return messages
    }
}
