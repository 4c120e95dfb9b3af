import Foundation
import GRDBSQLite

/// Patients, their duplicates and their coverage periods.
extension Run {
    mutating func writePatient(duplicateOf original: Person?) throws {
        next.patient += 1
        patientCount += 1
        let patientID = id(next.patient)
        var person: Person
        if let original {
            person = original.duplicate(using: &random)
        } else {
            person = Person.random(using: &random)
        }
        person.id = patientID

        patients.int(1, patientID)
        patients.formatted(2) { slot in
            slot[0] = 77  // M
            return 1 + CivilTime.writeDigits(Int(patientID), width: 10, to: slot + 1)
        }
        patients.text(3, person.firstName)
        patients.text(4, person.lastName)
        patients.text(5, person.sex == .female ? EHRCatalog.female : EHRCatalog.male)
        patients.date(6, day: person.birthDay)
        // Race is missing at random: more often for older patients (the age is known).
        if random.chance(person.age >= 65 ? 0.15 : 0.04) {
            patients.null(7)
        } else {
            patients.text(7, EHRCatalog.races.pick(&random))
        }
        // ZIP and phone are missing completely at random.
        if random.chance(0.02) { patients.null(8) } else { patients.text(8, EHRCatalog.zips[person.zip]) }
        if random.chance(0.08) {
            patients.null(9)
        } else {
            let number = person.phone
            let style = original == nil ? 0 : 1 + random.below(2)
            patients.formatted(9) { EHRCatalog.writePhone(number, style: style, to: $0) }
        }
        if let death = person.deathDay { patients.date(10, day: death) } else { patients.null(10) }
        try patients.step()

        let payers = try writeCoverage(for: person)
        try writeVisits(for: person, payers: payers)

        // A few people are registered twice, with their name or phone written differently.
        if original == nil, random.chance(0.004) { try writePatient(duplicateOf: person) }
    }

    /// Coverage periods; returns the payer for each day range (the second starts where the first ends).
    mutating func writeCoverage(for person: Person) throws -> [(payer: Int, from: Int)] {
        var periods: [(payer: Int, from: Int)] = []
        let first = EHRCatalog.payer(for: person, using: &random)
        periods.append((first, Int.min))
        if first != EHRCatalog.selfPay, random.chance(0.1) {
            let change = EHRGenerator.firstDay + 60 + random.below(600)
            var second = EHRCatalog.payer(for: person, using: &random)
            if second == first { second = EHRCatalog.commercial[random.below(EHRCatalog.commercial.count)] }
            periods.append((second, change))
        }
        for (index, period) in periods.enumerated() where period.payer != EHRCatalog.selfPay {
            next.coverage += 1
            coverage.int(1, id(next.coverage))
            coverage.int(2, person.id)
            coverage.int(3, period.payer)
            let member = random.below(900_000_000) + 100_000_000
            coverage.formatted(4) { slot in
                slot[0] = 87  // W
                return 1 + CivilTime.writeDigits(member, width: 9, to: slot + 1)
            }
            let start = max(index == 0 ? EHRGenerator.firstDay - 30 - random.below(2000) : period.from, person.birthDay)
            var end = index + 1 < periods.count ? periods[index + 1].from - 1 : nil
            // One switch in 20 leaves a gap: the old plan ends a month before the new one starts (a
            // lapse between jobs), so continuous-enrolment questions have something to find. Chosen by
            // id, not by a random draw, so the rest of the data stays as it was.
            if let last = end, person.id % 20 == 7 { end = last - 31 }
            // A period that ended before the person was born covers nobody (a newborn switched plans
            // before birth): the row is left out, but its random draws are spent as before.
            if let last = end, last < start { continue }
            coverage.date(5, day: start)
            if let end { coverage.date(6, day: end) } else { coverage.null(6) }
            try coverage.step()
        }
        return periods
    }
}
