/// A FHIR date, dateTime or instant as the span of time it covers.
///
/// `2024` covers the whole year and `2024-03-10` the whole day, which is what search prefixes compare
/// (`date=ge2024-01-01`). Times without a zone cannot occur in valid FHIR; dates without a time are
/// read in UTC, a documented simplification (servers may use their own zone).
public struct FHIRDate: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z, inclusive.
    public let low: Double
    /// Seconds since 1970-01-01T00:00:00Z, exclusive.
    public let high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    public static func < (lhs: FHIRDate, rhs: FHIRDate) -> Bool { (lhs.low, lhs.high) < (rhs.low, rhs.high) }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date with `Thh:mm[:ss[.fff]]` and a zone (`Z`, `±hh:mm`).
    /// Search values may leave out seconds and zone; those are read as minutes precision and UTC.
    public init?(_ text: String) {
        let scalars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[from..<(from + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4) else { return nil }
        var month = 1
        var day = 1
        var index = 4
        var unit: Calendar = .year
        if index < scalars.count {
            guard scalars[index] == UInt8(ascii: "-"), let m = number(index + 1, 2), (1...12).contains(m) else {
                return nil
            }
            month = m
            unit = .month
            index += 3
        }
        if index < scalars.count, scalars[index] == UInt8(ascii: "-") {
            guard let d = number(index + 1, 2), (1...Self.daysIn(month: month, year: year)).contains(d) else {
                return nil
            }
            day = d
            unit = .day
            index += 3
        }
        var seconds = Double(Self.daysFromEpoch(year: year, month: month, day: day)) * 86_400
        var length: Double
        switch unit {
        case .year: length = Double(Self.isLeap(year) ? 366 : 365) * 86_400
        case .month: length = Double(Self.daysIn(month: month, year: year)) * 86_400
        case .day: length = 86_400
        }
        if index < scalars.count {
            guard unit == .day, scalars[index] == UInt8(ascii: "T"), let hour = number(index + 1, 2), hour < 24,
                index + 3 < scalars.count, scalars[index + 3] == UInt8(ascii: ":"), let minute = number(index + 4, 2),
                minute < 60
            else { return nil }
            seconds += Double(hour * 3600 + minute * 60)
            length = 60
            index += 6
            if index < scalars.count, scalars[index] == UInt8(ascii: ":") {
                guard let second = number(index + 1, 2), second <= 60 else { return nil }
                seconds += Double(second)
                length = 1
                index += 3
                if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
                    var digits = 0
                    var fraction = 0.0
                    var scale = 0.1
                    index += 1
                    while index < scalars.count, (0x30...0x39).contains(scalars[index]) {
                        fraction += Double(scalars[index] - 0x30) * scale
                        scale /= 10
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { return nil }
                    seconds += fraction
                    length = scale * 10
                }
            }
            if index < scalars.count {
                if scalars[index] == UInt8(ascii: "Z") {
                    index += 1
                } else {
                    guard scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-"),
                        let zh = number(index + 1, 2), index + 3 < scalars.count,
                        scalars[index + 3] == UInt8(ascii: ":"), let zm = number(index + 4, 2)
                    else { return nil }
                    let offset = Double(zh * 3600 + zm * 60)
                    seconds -= scalars[index] == UInt8(ascii: "+") ? offset : -offset
                    index += 6
                }
            }
        }
        guard index == scalars.count else { return nil }
        low = seconds
        high = seconds + length
    }

    private enum Calendar { case year, month, day }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (proleptic Gregorian), by Howard Hinnant's civil-from-days inverse.
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Why a string that fits the spec's pattern is still not a real date (30 February), or nil.
    static func calendarProblem(_ text: String) -> String? {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        let days = daysIn(month: month, year: year)
        return day > days ? "\(year)-\(parts[1]) has \(days) days" : nil
    }
}
