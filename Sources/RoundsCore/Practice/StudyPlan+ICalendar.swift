import Foundation

extension StudyPlan {
    /// The plan as an iCalendar file (RFC 5545): one all-day event per day with something to do, its
    /// items in the description, and the interview itself as an event. Lines end in CRLF and are
    /// folded at 75 octets; text is escaped as section 3.3.11 says.
    ///
    /// - Parameters:
    ///   - stamp: the DTSTAMP of every event (when the file was made).
    ///   - skillNames: display names of skills, for the descriptions.
    public func iCalendar(stamp: Date, skillNames: [String: String] = [:]) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rounds//Study plan//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:Rounds study plan",
        ]
        let stampText = Self.utcStamp(stamp)
        for day in days where !day.items.isEmpty {
            let compact = day.date.replacingOccurrences(of: "-", with: "")
            let counts = Dictionary(grouping: day.items, by: \.kind).mapValues(\.count)
            var parts: [String] = []
            if let n = counts[.review] { parts.append("\(n) review\(n == 1 ? "" : "s")") }
            if let n = counts[.new] { parts.append("\(n) new") }
            if let n = counts[.lab] { parts.append("\(n) lab\(n == 1 ? "" : "s")") }
            if counts[.mock] != nil { parts.append("mock interview") }
            let description = day.items.map { item in
                let skill = item.skill.map { " [\(skillNames[$0] ?? $0)]" } ?? ""
                return "\(item.kind.rawValue): \(item.title)\(skill), \(item.minutes) min (\(item.why))"
            }.joined(separator: "\n")
            lines += [
                "BEGIN:VEVENT",
                "UID:plan-\(compact)@rounds.local",
                "DTSTAMP:\(stampText)",
                "DTSTART;VALUE=DATE:\(compact)",
                "DTEND;VALUE=DATE:\(Self.nextDay(compact))",
                "SUMMARY:" + Self.escape("Rounds: " + parts.joined(separator: ", ") + " (\(day.plannedMinutes) min)"),
                "DESCRIPTION:" + Self.escape(description),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        if let interviewDate {
            let compact = interviewDate.replacingOccurrences(of: "-", with: "")
            lines += [
                "BEGIN:VEVENT", "UID:interview-\(compact)@rounds.local", "DTSTAMP:\(stampText)",
                "DTSTART;VALUE=DATE:\(compact)", "DTEND;VALUE=DATE:\(Self.nextDay(compact))",
                "SUMMARY:" + Self.escape("Interview" + (role.map { " (\($0))" } ?? "")), "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping: backslash, semicolon, comma and newline.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line into lines of at most 75 octets, continuation lines starting with a space,
    /// never splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var result = ""
        var current = 0
        var limit = 75
        for character in line {
            let size = String(character).utf8.count
            if current + size > limit {
                result += "\r\n "
                current = 0
                limit = 74
            }
            result.append(character)
            current += size
        }
        return result
    }

    static func utcStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// The day after a `YYYYMMDD` date, in the same form.
    static func nextDay(_ compact: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = Int(compact.prefix(4))!
        let month = Int(compact.dropFirst(4).prefix(2))!
        let day = Int(compact.suffix(2))!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let next = calendar.date(byAdding: .day, value: 1, to: date)!
        let c = calendar.dateComponents([.year, .month, .day], from: next)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }
}
