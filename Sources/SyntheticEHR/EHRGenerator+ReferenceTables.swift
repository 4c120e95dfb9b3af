import Foundation
import GRDBSQLite

/// The reference tables: organizations, payers, departments and the code lists.
extension Run {
    mutating func writeReferenceTables() throws {
        try writeRows(EHRSchema.organizations, EHRCatalog.organizations) { row, index, org in
            row.int(1, index + 1)
            row.text(2, StaticText(org.name))
            row.text(3, StaticText(org.kind))
            row.text(4, StaticText(org.city))
            row.text(5, StaticText("IL"))
        }
        try writeRows(EHRSchema.payers, EHRCatalog.payers) { row, index, payer in
            row.int(1, index + 1)
            row.text(2, StaticText(payer.name))
            row.text(3, StaticText(payer.kind))
        }
        try writeRows(EHRSchema.providers, providers) { row, index, provider in
            row.int(1, index + 1)
            row.text(2, StaticText(provider.npi))
            row.text(3, StaticText(provider.name))
            row.text(4, StaticText(EHRCatalog.departments[provider.department - 1].specialty))
            row.int(5, provider.department)
        }
        try writeRows(EHRSchema.diagnosisCodes, Codes.diagnoses) { row, _, code in
            row.text(1, StaticText(code.code))
            row.text(2, StaticText(code.description))
            row.int(3, code.chronic ? 1 : 0)
        }
        try writeRows(EHRSchema.labTests, Codes.labTests) { row, _, test in
            row.text(1, StaticText(test.loinc))
            row.text(2, StaticText(test.name))
            row.text(3, StaticText(test.unit))
            if let low = test.low { row.real(4, low) } else { row.null(4) }
            if let high = test.high { row.real(5, high) } else { row.null(5) }
        }
        try writeRows(EHRSchema.medicationCodes, Codes.medications) { row, _, med in
            row.text(1, StaticText(med.rxcui))
            row.text(2, StaticText(med.name))
        }
        try writeRows(EHRSchema.procedureCodes, Codes.procedures) { row, _, proc in
            row.text(1, StaticText(proc.code))
            row.text(2, StaticText(proc.system))
            row.text(3, StaticText(proc.description))
        }
    }

    /// One row per item of a small, fixed table; `bind` gets the item's position.
    func writeRows<Item>(_ table: EHRSchema.Table, _ items: [Item], bind: (Inserter, Int, Item) -> Void) throws {
        let rows = try Inserter(table, on: writer)
        for (index, item) in items.enumerated() {
            bind(rows, index, item)
            try rows.step()
        }
        try rows.finish()
    }

    /// Wards get beds for their busiest nights: the 90th-percentile census at 92% occupancy.
    mutating func writeDepartments() throws {
        let departments = try Inserter(EHRSchema.departments, on: writer)
        for (index, department) in EHRCatalog.departments.enumerated() {
            var beds = 0
            if let ward = EHRCatalog.wards.firstIndex(of: index + 1) {
                let sorted = census[ward].sorted()
                let p90 = Double(sorted[Int(Double(sorted.count - 1) * 0.9)])
                beds = max(4, Int((p90 / 0.92).rounded(.up)))
            }
            departments.int(1, index + 1)
            departments.int(2, department.organization)
            departments.text(3, StaticText(department.name))
            departments.int(4, beds)
            try departments.step()
        }
        try departments.finish()
    }
}
