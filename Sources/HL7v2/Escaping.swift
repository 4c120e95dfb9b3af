/// HL7 v2 escape sequences.
///
/// Unescaping turns `\F\ \S\ \T\ \R\ \E\` (and `\P\`, v2.7 truncation) into the delimiters, `\Xhh…\`
/// into the bytes it spells (read as UTF-8, or as ISO 8859-1 when they are not UTF-8), and `\.br\`
/// into a line break. The other formatting and character-set escapes (`\H\ \N\ \.sp\ \.in\ \.ti\
/// \.sk\ \.ce\ \.fi\ \.nf\ \Cxxyy\ \Mxxyyzz\ \Z…\`) are kept as written: they describe display, not
/// text. An escape character without its closing partner is kept literally.
public enum Escaping {
    public static func unescape(_ raw: String, _ d: Delimiters = .standard) -> String {
        let bytes = Array(raw.utf8)
        guard bytes.contains(d.escape) else { return raw }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == d.escape, let close = bytes[(index + 1)...].firstIndex(of: d.escape) else {
                out.append(byte)
                index += 1
                continue
            }
            let body = bytes[(index + 1)..<close]
            if let replacement = replacement(for: body, d) {
                out += replacement
            } else {
                out += bytes[index...close]
            }
            index = close + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func replacement(for body: ArraySlice<UInt8>, _ d: Delimiters) -> [UInt8]? {
        switch Array(body) {
        case [UInt8(ascii: "F")]: return [d.field]
        case [UInt8(ascii: "S")]: return [d.component]
        case [UInt8(ascii: "T")]: return [d.subcomponent]
        case [UInt8(ascii: "R")]: return [d.repetition]
        case [UInt8(ascii: "E")]: return [d.escape]
        case [UInt8(ascii: "P")]: return d.truncation.map { [$0] }
        case Array(".br".utf8): return [0x0A]
        default:
            guard body.first == UInt8(ascii: "X"), body.count >= 3, (body.count - 1) % 2 == 0 else { return nil }
            var data: [UInt8] = []
            var digits = body.dropFirst().makeIterator()
            while let high = digits.next(), let low = digits.next() {
                guard let h = hexValue(high), let l = hexValue(low) else { return nil }
                data.append(h << 4 | l)
            }
            if Message.firstInvalidUTF8(data) == nil { return data }
            // Not UTF-8: read as ISO 8859-1, where each byte is the code point.
            return Array(String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) })).utf8)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Escapes text so it can be put in a field: the delimiters, the escape character itself, and line
    /// breaks (`\.br\`; a lone CR as `\X0D\`).
    public static func escape(_ text: String, _ d: Delimiters = .standard) -> String {
        let e = d.escape
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case e: out += [e, UInt8(ascii: "E"), e]
            case d.field: out += [e, UInt8(ascii: "F"), e]
            case d.component: out += [e, UInt8(ascii: "S"), e]
            case d.subcomponent: out += [e, UInt8(ascii: "T"), e]
            case d.repetition: out += [e, UInt8(ascii: "R"), e]
            case d.truncation: out += [e, UInt8(ascii: "P"), e]
            case 0x0A: out += [e] + Array(".br".utf8) + [e]
            case 0x0D: out += [e] + Array("X0D".utf8) + [e]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
