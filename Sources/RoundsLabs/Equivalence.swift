import FHIR
import Foundation

/// When two values in a hand-in mean the same, as the labs compare them (docs/labs.md states the rules):
///
/// - FHIR dates and date-times compare as the span of time they cover, so `2024-05-20T13:00:00Z` and
///   `2024-05-20T08:00:00-05:00` are the same instant; a date is not the same as a date-time within it.
/// - HL7 v2 timestamps (TS/DTM) with a time and an offset compare as instants too.
/// - Decimals compare as numbers: `5.90` is `5.9`. FHIR and HL7 keep trailing zeros as a statement of
///   precision, so a lab that grades precision says so in its task; none of the bundled labs does.
/// - Codes, systems, references and identifiers compare exactly (UCUM is case-sensitive: `mL` is a
///   millilitre, `ML` a megalitre).
/// - Free text (display names, notes, short answers) compares without regard to case, spacing around
///   punctuation, or a final full stop: `0.6 - 1.1` is `0.6-1.1`.
public enum Equivalence {
    /// Whether two FHIR primitive values are the same, given the element's name.
    static func sameFHIR(_ a: String, _ b: String, element: String) -> Bool {
        if a == b { return true }
        if a.hasPrefix("urn:uuid:") && b.hasPrefix("urn:uuid:") { return true }
        if let same = sameDate(a, b) { return same }
        if element == "value", isPhoneNumber(a), isPhoneNumber(b) {
            return a.filter(\.isNumber) == b.filter(\.isNumber)
        }
        if exactElements.contains(element) { return false }
        return sameText(a, b)
    }

    /// Elements whose values are codes or identifiers: compared exactly.
    static let exactElements: Set<String> = [
        "system", "code", "reference", "value", "url", "fullUrl", "resourceType", "id", "use", "status", "type",
        "gender", "method", "intent", "criticality", "category", "severity", "birthDate",
    ]

    /// Digits with the punctuation phone numbers are written with: `(217)555-0100`, `+1 217 555 0100`.
    static func isPhoneNumber(_ text: String) -> Bool {
        text.filter(\.isNumber).count >= 7 && text.allSatisfy { $0.isNumber || "()-+. ".contains($0) }
    }

    /// Whether two FHIR dates or date-times cover the same time; nil unless both are dates. Two times
    /// of day name the same instant whatever their fractional digits (`…:00.000Z` is `…:00Z`);
    /// otherwise the spans must agree, so a date is not a time within it.
    static func sameDate(_ a: String, _ b: String) -> Bool? {
        guard looksLikeDate(a), looksLikeDate(b), let x = FHIRDate(a), let y = FHIRDate(b) else { return nil }
        if a.contains("T"), b.contains("T"), x.high - x.low <= 1, y.high - y.low <= 1 { return x.low == y.low }
        return x == y
    }

    static func looksLikeDate(_ text: String) -> Bool {
        text.count >= 4 && text.prefix(4).allSatisfy(\.isNumber) && (text.count == 4 || text.dropFirst(4).first == "-")
    }

    /// Numbers by value (`5.90` = `5.9`, `1e1` = `10`).
    static func sameNumber(_ a: String, _ b: String) -> Bool {
        guard isNumber(a), isNumber(b), let x = Decimal(string: a, locale: Locale(identifier: "en_US_POSIX")),
            let y = Decimal(string: b, locale: Locale(identifier: "en_US_POSIX"))
        else { return false }
        return x == y
    }

    /// A plain decimal: an optional sign, digits with at most one point, an optional exponent.
    /// (Decimal(string:) alone reads a prefix, so `20240202-0500` would read as a number.)
    static func isNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        let mantissa = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard mantissa.contains(where: \.isNumber), mantissa.filter({ $0 == "." }).count <= 1 else { return false }
        rest = rest.dropFirst(mantissa.count)
        if rest.isEmpty { return true }
        guard rest.first == "e" || rest.first == "E" else { return false }
        rest = rest.dropFirst()
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Free text as the labs compare it: lower case, spaces collapsed, no spaces around punctuation,
    /// quotes and a final full stop dropped.
    public static func normalizedText(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if "\"'“”‘’`".contains(character) { continue }
            let punctuation = character.isPunctuation || character.isSymbol
            if pendingSpace, !out.isEmpty, !punctuation, !(out.last.map { $0.isPunctuation || $0.isSymbol } ?? false) {
                out.append(" ")
            }
            pendingSpace = false
            out.append(character)
        }
        while out.last == "." { out.removeLast() }
        return out
    }

    public static func sameText(_ a: String, _ b: String) -> Bool {
        normalizedText(a) == normalizedText(b) || sameNumber(a, b)
    }

    // MARK: HL7 v2

    /// Whether two HL7 v2 leaf values mean the same: equal text, equal numbers, or the same instant.
    static func sameHL7(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if sameNumber(a, b) { return true }
        if let x = hl7Instant(a), let y = hl7Instant(b) { return x == y }
        return false
    }

    /// An HL7 v2 timestamp with at least minutes and an offset (`202405200900-0500`), as seconds since
    /// 1970 UTC; nil for anything else, which then compares as text.
    static func hl7Instant(_ text: String) -> Double? {
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let stamp = text[..<sign]
        let zone = text[text.index(after: sign)...]
        let digits = stamp.split(separator: ".").first.map(String.init) ?? ""
        guard digits.count >= 12, digits.count % 2 == 0, digits.allSatisfy(\.isNumber), zone.count == 4,
            zone.allSatisfy(\.isNumber)
        else { return nil }
        let numbers = Array(digits).map { Int(String($0))! }
        func value(_ from: Int, _ count: Int) -> Int { numbers[from..<(from + count)].reduce(0) { $0 * 10 + $1 } }
        let date = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", value(0, 4), value(4, 2), value(6, 2),
            value(8, 2), value(10, 2), digits.count >= 14 ? value(12, 2) : 0)
        guard let utc = FHIRDate(date) else { return nil }
        let zoneDigits = Array(zone).map { Int(String($0))! }
        let offset = Double((zoneDigits[0] * 10 + zoneDigits[1]) * 3600 + (zoneDigits[2] * 10 + zoneDigits[3]) * 60)
        let fraction = stamp.split(separator: ".").dropFirst().first.flatMap { Double("0." + $0) } ?? 0
        return utc.low + fraction - (text[sign] == "+" ? offset : -offset)
    }
}
