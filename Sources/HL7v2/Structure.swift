/// Structure checks for common message types: required segments in the right order, required
/// fields, and the formats of timestamps (TS/DTM) and numbers (NM). Each problem names its path.
///
/// The structures are the core of each v2.5.1 abstract message definition, simplified to what an
/// interface analyst checks first; Z-segments are allowed anywhere.
public struct StructureCheck: Sendable {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Where, as a path (`PID-7`, `OBX[2]-5`) or a segment (`PV1`).
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// A segment, or a group of rules, that may be required and may repeat.
    indirect enum Rule: Sendable {
        case segment(String, required: Bool, repeats: Bool)
        case group(String, [Rule], required: Bool, repeats: Bool)
    }

    struct Definition: Sendable {
        let rules: [Rule]
    }

    static let adt: [Rule] = [
        .segment("MSH", required: true, repeats: false), .segment("SFT", required: false, repeats: true),
        .segment("EVN", required: true, repeats: false), .segment("PID", required: true, repeats: false),
        .segment("PD1", required: false, repeats: false), .segment("ROL", required: false, repeats: true),
        .segment("NK1", required: false, repeats: true), .segment("PV1", required: true, repeats: false),
        .segment("PV2", required: false, repeats: false), .segment("ROL", required: false, repeats: true),
        .segment("DB1", required: false, repeats: true), .segment("OBX", required: false, repeats: true),
        .segment("AL1", required: false, repeats: true), .segment("DG1", required: false, repeats: true),
        .segment("DRG", required: false, repeats: false),
        .group(
            "PROCEDURE",
            [.segment("PR1", required: true, repeats: false), .segment("ROL", required: false, repeats: true)],
            required: false, repeats: true),
        .segment("GT1", required: false, repeats: true),
        .group(
            "INSURANCE",
            [
                .segment("IN1", required: true, repeats: false), .segment("IN2", required: false, repeats: false),
                .segment("IN3", required: false, repeats: true),
            ], required: false, repeats: true),
        .segment("ACC", required: false, repeats: false), .segment("UB1", required: false, repeats: false),
        .segment("UB2", required: false, repeats: false),
    ]

    static let definitions: [String: Definition] = [
        "ADT^A01": Definition(rules: adt), "ADT^A03": Definition(rules: adt), "ADT^A04": Definition(rules: adt),
        "ADT^A08": Definition(rules: adt),
        "ORU^R01": Definition(rules: [
            .segment("MSH", required: true, repeats: false), .segment("SFT", required: false, repeats: true),
            .group(
                "PATIENT_RESULT",
                [
                    .group(
                        "PATIENT",
                        [
                            .segment("PID", required: true, repeats: false),
                            .segment("PD1", required: false, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                            .segment("NK1", required: false, repeats: true),
                            .group(
                                "VISIT",
                                [
                                    .segment("PV1", required: true, repeats: false),
                                    .segment("PV2", required: false, repeats: false),
                                ], required: false, repeats: false),
                        ], required: false, repeats: false),
                    .group(
                        "ORDER_OBSERVATION",
                        [
                            .segment("ORC", required: false, repeats: false),
                            .segment("OBR", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                            .group(
                                "OBSERVATION",
                                [
                                    .segment("OBX", required: true, repeats: false),
                                    .segment("NTE", required: false, repeats: true),
                                ], required: false, repeats: true),
                            .segment("SPM", required: false, repeats: true),
                        ], required: true, repeats: true),
                ], required: true, repeats: true),
            .segment("DSC", required: false, repeats: false),
        ]),
        "ORM^O01": Definition(rules: [
            .segment("MSH", required: true, repeats: false), .segment("NTE", required: false, repeats: true),
            .group(
                "PATIENT",
                [
                    .segment("PID", required: true, repeats: false), .segment("PD1", required: false, repeats: false),
                    .segment("NTE", required: false, repeats: true),
                    .group(
                        "PATIENT_VISIT",
                        [
                            .segment("PV1", required: true, repeats: false),
                            .segment("PV2", required: false, repeats: false),
                        ],
                        required: false, repeats: false),
                    .group(
                        "INSURANCE",
                        [
                            .segment("IN1", required: true, repeats: false),
                            .segment("IN2", required: false, repeats: false),
                        ],
                        required: false, repeats: true),
                    .segment("GT1", required: false, repeats: false), .segment("AL1", required: false, repeats: true),
                ], required: false, repeats: false),
            .group(
                "ORDER",
                [
                    .segment("ORC", required: true, repeats: false), .segment("OBR", required: false, repeats: false),
                    .segment("NTE", required: false, repeats: true), .segment("DG1", required: false, repeats: true),
                    .segment("OBX", required: false, repeats: true), .segment("NTE", required: false, repeats: true),
                ], required: true, repeats: true),
        ]),
        "SIU^S12": Definition(rules: [
            .segment("MSH", required: true, repeats: false), .segment("SCH", required: true, repeats: false),
            .segment("TQ1", required: false, repeats: true), .segment("NTE", required: false, repeats: true),
            .group(
                "PATIENT",
                [
                    .segment("PID", required: true, repeats: false), .segment("PD1", required: false, repeats: false),
                    .segment("PV1", required: false, repeats: false), .segment("PV2", required: false, repeats: false),
                    .segment("OBX", required: false, repeats: true), .segment("DG1", required: false, repeats: true),
                ], required: false, repeats: true),
            .group(
                "RESOURCES",
                [
                    .segment("RGS", required: true, repeats: false),
                    .group(
                        "SERVICE",
                        [
                            .segment("AIS", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                        ],
                        required: false, repeats: true),
                    .group(
                        "GENERAL_RESOURCE",
                        [
                            .segment("AIG", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                        ],
                        required: false, repeats: true),
                    .group(
                        "LOCATION_RESOURCE",
                        [
                            .segment("AIL", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                        ],
                        required: false, repeats: true),
                    .group(
                        "PERSONNEL_RESOURCE",
                        [
                            .segment("AIP", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                        ],
                        required: false, repeats: true),
                ], required: true, repeats: true),
        ]),
        "VXU^V04": Definition(rules: [
            .segment("MSH", required: true, repeats: false), .segment("SFT", required: false, repeats: true),
            .segment("PID", required: true, repeats: false), .segment("PD1", required: false, repeats: false),
            .segment("NK1", required: false, repeats: true),
            .group(
                "PATIENT",
                [.segment("PV1", required: true, repeats: false), .segment("PV2", required: false, repeats: false)],
                required: false, repeats: false),
            .segment("GT1", required: false, repeats: true),
            .group(
                "INSURANCE",
                [.segment("IN1", required: true, repeats: false), .segment("IN2", required: false, repeats: false)],
                required: false, repeats: true),
            .group(
                "ORDER",
                [
                    .segment("ORC", required: true, repeats: false),
                    .segment("TQ1", required: false, repeats: true),
                    .segment("RXA", required: true, repeats: false), .segment("RXR", required: false, repeats: false),
                    .group(
                        "OBSERVATION",
                        [
                            .segment("OBX", required: true, repeats: false),
                            .segment("NTE", required: false, repeats: true),
                        ],
                        required: false, repeats: true),
                ], required: false, repeats: true),
        ]),
    ]

    /// Fields that must have a value wherever their segment appears.
    static let requiredFields: [String: [Int]] = [
        "MSH": [7, 9, 10, 11, 12], "EVN": [2], "PID": [3, 5], "PV1": [2], "OBR": [4], "OBX": [3, 11],
        "ORC": [1], "SCH": [1], "RXA": [3, 5, 6], "AIS": [3],
    ]

    /// Fields of type TS/DTM (first component).
    static let timestampFields: [String: [Int]] = [
        "MSH": [7], "EVN": [2, 6], "PID": [7, 29], "PV1": [44, 45], "OBR": [7, 8, 22], "OBX": [14, 19],
        "ORC": [9], "RXA": [3, 4], "SCH": [], "AIS": [4],
    ]

    /// The message types checked.
    public static var supportedTypes: [String] { definitions.keys.sorted() }

    public init() {}

    /// Every structural problem of `message`, in message order.
    public func problems(in message: Message) -> [Problem] {
        var problems: [Problem] = []
        guard let type = message.messageType else {
            return [Problem(path: "MSH-9", message: "the message type is missing (for example ADT^A01)")]
        }
        if let definition = Self.definitions[type] {
            let ids = message.segments.map(\.id).filter { !$0.hasPrefix("Z") }
            var position = 0
            problems += match(definition.rules, ids: ids, position: &position, context: type)
            if position < ids.count {
                problems.append(
                    Problem(
                        path: ids[position],
                        message:
                            "this \(ids[position]) segment is not allowed here in \(type) (after \(position > 0 ? ids[position - 1] : "the start")); check the order of segments"
                    ))
            }
        } else {
            problems.append(
                Problem(
                    path: "MSH-9",
                    message:
                        "\(type) has no structure here; the fields are still checked. Known: \(Self.supportedTypes.joined(separator: ", "))"
                ))
        }
        problems += fieldProblems(message, type: type)
        return problems
    }

    /// Matches rules against segment ids from `position`, greedily; reports missing required parts.
    func match(_ rules: [Rule], ids: [String], position: inout Int, context: String) -> [Problem] {
        var problems: [Problem] = []
        for rule in rules {
            switch rule {
            case .segment(let id, let required, let repeats):
                var count = 0
                while position < ids.count, ids[position] == id, repeats || count == 0 {
                    position += 1
                    count += 1
                }
                if required, count == 0 {
                    let after = position > 0 ? " after \(ids[position - 1])" : ""
                    problems.append(
                        Problem(path: id, message: "the required \(id) segment is missing\(after) in \(context)"))
                }
            case .group(let name, let inner, let required, let repeats):
                var count = 0
                while position < ids.count, starts(inner, at: ids[position]), repeats || count == 0 {
                    problems += match(inner, ids: ids, position: &position, context: "\(context) \(name)")
                    count += 1
                }
                if required, count == 0 {
                    let openers = leadingSegments(inner)
                    let needed = firstRequiredSegment(inner) ?? openers.last ?? name
                    problems.append(
                        Problem(
                            path: needed,
                            message:
                                "the required \(name) group is missing in \(context): it starts with \(openers.joined(separator: " or ")) and needs \(needed)"
                        ))
                }
            }
        }
        return problems
    }

    /// Whether a group can start with this segment id: its first required element or any optional one
    /// before it.
    func starts(_ rules: [Rule], at id: String) -> Bool {
        for rule in rules {
            switch rule {
            case .segment(let segment, let required, _):
                if segment == id { return true }
                if required { return false }
            case .group(_, let inner, let required, _):
                if starts(inner, at: id) { return true }
                if required { return false }
            }
        }
        return false
    }

    /// The segments a group can start with: its optional leading segments and the first required one.
    func leadingSegments(_ rules: [Rule]) -> [String] {
        var ids: [String] = []
        for rule in rules {
            switch rule {
            case .segment(let id, let required, _):
                ids.append(id)
                if required { return ids }
            case .group(_, let inner, let required, _):
                ids += leadingSegments(inner)
                if required { return ids }
            }
        }
        return ids
    }

    /// The first segment a group cannot do without.
    func firstRequiredSegment(_ rules: [Rule]) -> String? {
        for rule in rules {
            switch rule {
            case .segment(let id, let required, _): if required { return id }
            case .group(_, let inner, let required, _): if required, let id = firstRequiredSegment(inner) { return id }
            }
        }
        return nil
    }

    func fieldProblems(_ message: Message, type: String) -> [Problem] {
        var problems: [Problem] = []
        var seen: [String: Int] = [:]
        for segment in message.segments {
            let n = seen[segment.id, default: 0] + 1
            seen[segment.id] = n
            let name = n > 1 || message.segments(segment.id).count > 1 ? "\(segment.id)[\(n)]" : segment.id
            for field in Self.requiredFields[segment.id] ?? [] {
                let raw = segment.leaf(field: field, repetition: 1, component: 1, subcomponent: 1) ?? ""
                if raw.isEmpty || raw == "\"\"" {
                    problems.append(Problem(path: "\(name)-\(field)", message: "this field is required and is empty"))
                }
            }
            for field in Self.timestampFields[segment.id] ?? [] {
                guard let raw = segment.leaf(field: field, repetition: 1, component: 1, subcomponent: 1), !raw.isEmpty,
                    raw != "\"\""
                else { continue }
                if let reason = Self.timestampProblem(raw) {
                    problems.append(
                        Problem(path: "\(name)-\(field)", message: "“\(raw)” is not a DTM timestamp: \(reason)"))
                }
            }
            if segment.id == "OBX", segment.leaf(field: 2, repetition: 1, component: 1, subcomponent: 1) == "NM" {
                for repetition in 1...max(1, segment.repetitions(of: 5)) {
                    let raw = segment.leaf(field: 5, repetition: repetition, component: 1, subcomponent: 1) ?? ""
                    if !raw.isEmpty, raw != "\"\"", !Self.isNumber(raw) {
                        problems.append(
                            Problem(
                                path: "\(name)-5",
                                message:
                                    "OBX-2 says NM (numeric), but “\(raw)” is not a number; use ST or SN for text or ranges"
                            ))
                    }
                }
            }
        }
        return problems
    }

    /// Why `raw` is not `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`, or nil if it is.
    public static func timestampProblem(_ raw: String) -> String? {
        var text = Substring(raw)
        if let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = text[text.index(after: sign)...]
            guard zone.count == 4, zone.allSatisfy(\.isASCIIDigitCharacter), let hh = Int(zone.prefix(2)), hh <= 14,
                let mm = Int(zone.suffix(2)), mm < 60
            else { return "the time zone must be +HHMM or -HHMM" }
            text = text[..<sign]
        }
        var fraction: Substring = ""
        if let dot = text.firstIndex(of: ".") {
            fraction = text[text.index(after: dot)...]
            text = text[..<dot]
            guard text.count == 14, (1...4).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigitCharacter)
            else {
                return "fractions of a second (1 to 4 digits) need a full time to the second"
            }
        }
        guard text.allSatisfy(\.isASCIIDigitCharacter), [4, 6, 8, 10, 12, 14].contains(text.count) else {
            return "write it as YYYY[MM[DD[HH[MM[SS]]]]], digits only"
        }
        let digits = Array(text)
        func part(_ start: Int) -> Int? {
            start + 2 <= digits.count ? Int(String(digits[start..<start + 2])) : nil
        }
        if let month = part(4), !(1...12).contains(month) { return "the month must be 01 to 12" }
        if let day = part(6), !(1...31).contains(day) { return "the day must be 01 to 31" }
        if let hour = part(8), hour > 23 { return "the hour must be 00 to 23" }
        if let minute = part(10), minute > 59 { return "the minute must be 00 to 59" }
        if let second = part(12), second > 59 { return "the second must be 00 to 59" }
        return nil
    }

    static func isNumber(_ raw: String) -> Bool {
        var text = Substring(raw)
        if text.first == "+" || text.first == "-" { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.contains(where: { !$0.isEmpty }) else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isASCIIDigitCharacter) }
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
