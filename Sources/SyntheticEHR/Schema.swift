/// The synthetic EHR's tables: the columns, their types and constraints, and what each holds. The
/// generator creates the database from this, `rounds labs show` prints it, and docs/ehr.md describes it.
///
/// Indexes: every table has its primary key, `patients.mrn` is unique, and the foreign keys of the
/// child tables are indexed, as in a real warehouse extract. `encounters` has no index beyond its key
/// and `patient_id`: the tuning lab asks the learner to add the ones a slow report needs.
public enum EHRSchema {
    public struct Column: Sendable, Hashable, Codable {
        public let name: String
        public let type: String
        /// `PRIMARY KEY`, `NOT NULL`, `REFERENCES patients(id)`, `CHECK (…)`, as SQL.
        public let constraints: String
        public let about: String
        /// The table a foreign key points at.
        public var references: String? {
            guard let range = constraints.range(of: "REFERENCES ") else { return nil }
            return String(constraints[range.upperBound...].prefix { $0 != "(" })
        }
    }

    public struct Table: Sendable, Hashable, Codable {
        public let name: String
        public let about: String
        public let columns: [Column]
        /// Columns indexed after the load (foreign keys), one index each.
        public let indexed: [String]

        public var createSQL: String {
            let body = columns.map { "    \($0.name) \($0.type)\($0.constraints.isEmpty ? "" : " " + $0.constraints)" }
            return "CREATE TABLE \(name) (\n\(body.joined(separator: ",\n"))\n)"
        }

        public var indexSQL: [String] {
            indexed.map { "CREATE INDEX \(name)_\($0.replacingOccurrences(of: ", ", with: "_")) ON \(name)(\($0))" }
        }

        public var insertSQL: String {
            "INSERT INTO \(name) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        }
    }

    static func column(_ name: String, _ type: String, _ constraints: String = "", _ about: String) -> Column {
        Column(name: name, type: type, constraints: constraints, about: about)
    }

    public static let organizations = Table(
        name: "organizations", about: "Hospitals and clinics of the (fictional) health system.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Organization id."),
            column("name", "TEXT", "NOT NULL", "Name."),
            column("kind", "TEXT", "NOT NULL CHECK (kind IN ('hospital', 'clinic'))", "hospital or clinic."),
            column("city", "TEXT", "NOT NULL", "City."),
            column("state", "TEXT", "NOT NULL", "Two-letter state."),
        ], indexed: [])

    public static let departments = Table(
        name: "departments", about: "Departments and wards; `beds` is staffed beds (0 for clinics without beds).",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Department id."),
            column("organization_id", "INTEGER", "NOT NULL REFERENCES organizations(id)", "Owning organization."),
            column("name", "TEXT", "NOT NULL", "Name, such as Emergency or Cardiology."),
            column("beds", "INTEGER", "NOT NULL", "Staffed inpatient beds."),
        ], indexed: ["organization_id"])

    public static let providers = Table(
        name: "providers", about: "Clinicians. NPIs are made up and fail the real NPI check digit on purpose.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Provider id."),
            column("npi", "TEXT", "NOT NULL", "A fictional 10-digit NPI."),
            column("name", "TEXT", "NOT NULL", "Name."),
            column("specialty", "TEXT", "NOT NULL", "Specialty."),
            column("department_id", "INTEGER", "NOT NULL REFERENCES departments(id)", "Home department."),
        ], indexed: ["department_id"])

    public static let payers = Table(
        name: "payers", about: "Insurers, and self-pay.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Payer id."),
            column("name", "TEXT", "NOT NULL", "Name."),
            column(
                "kind", "TEXT", "NOT NULL CHECK (kind IN ('medicare', 'medicaid', 'commercial', 'self-pay'))",
                "medicare, medicaid, commercial or self-pay."),
        ], indexed: [])

    public static let patients = Table(
        name: "patients",
        about:
            "One row per patient record. Some people have two records (planted duplicates, which some labs ask you to find).",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Patient id."),
            column("mrn", "TEXT", "NOT NULL UNIQUE", "Medical record number."),
            column("first_name", "TEXT", "NOT NULL", "Given name."),
            column("last_name", "TEXT", "NOT NULL", "Family name."),
            column("sex", "TEXT", "NOT NULL CHECK (sex IN ('F', 'M'))", "Sex at birth: F or M."),
            column("birth_date", "TEXT", "NOT NULL", "YYYY-MM-DD."),
            column("race", "TEXT", "", "OMB race category; missing for some (more often at 65 and over)."),
            column("zip", "TEXT", "", "Five-digit ZIP code; missing for some."),
            column("phone", "TEXT", "", "Phone number, in several formats; missing for some."),
            column("deceased_date", "TEXT", "", "YYYY-MM-DD, when the patient died."),
        ], indexed: [])

    public static let coverage = Table(
        name: "coverage", about: "Insurance coverage periods; `end_date` NULL means still covered.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Coverage id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("payer_id", "INTEGER", "NOT NULL REFERENCES payers(id)", "Payer."),
            column("member_id", "TEXT", "NOT NULL", "Member number on the card."),
            column("start_date", "TEXT", "NOT NULL", "YYYY-MM-DD."),
            column("end_date", "TEXT", "", "YYYY-MM-DD, or NULL."),
        ], indexed: ["patient_id", "payer_id"])

    public static let encounters = Table(
        name: "encounters", about: "Visits: inpatient stays, outpatient and telehealth appointments, emergency visits.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Encounter id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("provider_id", "INTEGER", "REFERENCES providers(id)", "Attending provider; missing for some."),
            column("department_id", "INTEGER", "NOT NULL REFERENCES departments(id)", "Department."),
            column("payer_id", "INTEGER", "NOT NULL REFERENCES payers(id)", "Payer billed for the visit."),
            column(
                "type", "TEXT", "NOT NULL CHECK (type IN ('inpatient', 'outpatient', 'emergency', 'telehealth'))",
                "inpatient, outpatient, emergency or telehealth."),
            column(
                "status", "TEXT", "NOT NULL CHECK (status IN ('finished', 'no-show', 'cancelled'))",
                "finished, no-show (appointments only) or cancelled (an appointment called off, an emergency patient who left before being seen, an admission called off)."
            ),
            column("admit_time", "TEXT", "NOT NULL", "Arrival, admission or appointment time: YYYY-MM-DD HH:MM:SS."),
            column("discharge_time", "TEXT", "", "Discharge or end time; NULL when the visit did not happen."),
            column("seen_time", "TEXT", "", "Emergency only: when a clinician first saw the patient."),
            column(
                "primary_diagnosis", "TEXT", "REFERENCES diagnosis_codes(code)", "ICD-10-CM code of the main reason."),
        ], indexed: ["patient_id"])

    public static let diagnosisCodes = Table(
        name: "diagnosis_codes", about: "The ICD-10-CM codes used (a subset).",
        columns: [
            column("code", "TEXT", "PRIMARY KEY", "ICD-10-CM code, with its dot."),
            column("description", "TEXT", "NOT NULL", "Short description."),
            column("chronic", "INTEGER", "NOT NULL", "1 for a long-term condition."),
        ], indexed: [])

    public static let conditions = Table(
        name: "conditions", about: "Problem-list entries: chronic conditions and acute diagnoses.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Condition id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column(
                "encounter_id", "INTEGER", "REFERENCES encounters(id)",
                "Where it was diagnosed; NULL if before the data."),
            column("icd10_code", "TEXT", "NOT NULL REFERENCES diagnosis_codes(code)", "ICD-10-CM code."),
            column("onset_date", "TEXT", "NOT NULL", "YYYY-MM-DD."),
            column("resolved_date", "TEXT", "", "YYYY-MM-DD, or NULL while active."),
        ], indexed: ["patient_id", "encounter_id"])

    public static let labTests = Table(
        name: "lab_tests", about: "The LOINC-coded tests used, with the unit each should be reported in.",
        columns: [
            column("loinc_code", "TEXT", "PRIMARY KEY", "LOINC code."),
            column("name", "TEXT", "NOT NULL", "Short name."),
            column("unit", "TEXT", "NOT NULL", "Expected UCUM unit."),
            column("ref_low", "REAL", "", "Low end of the adult reference range."),
            column("ref_high", "REAL", "", "High end of the adult reference range."),
        ], indexed: [])

    public static let observations = Table(
        name: "observations", about: "Laboratory results. A few are in the wrong unit or mistyped (planted).",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Observation id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("encounter_id", "INTEGER", "NOT NULL REFERENCES encounters(id)", "Encounter."),
            column("loinc_code", "TEXT", "NOT NULL REFERENCES lab_tests(loinc_code)", "LOINC code."),
            column("value", "REAL", "", "Numeric result; missing for some."),
            column("unit", "TEXT", "NOT NULL", "UCUM unit as reported."),
            column("observed_at", "TEXT", "NOT NULL", "YYYY-MM-DD HH:MM:SS."),
        ], indexed: ["patient_id", "encounter_id"])

    public static let medicationCodes = Table(
        name: "medication_codes", about: "The RxNorm ingredients used.",
        columns: [
            column("rxnorm_code", "TEXT", "PRIMARY KEY", "RxNorm concept id (RXCUI) of the ingredient."),
            column("name", "TEXT", "NOT NULL", "Ingredient name."),
        ], indexed: [])

    public static let medications = Table(
        name: "medications", about: "Prescriptions.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Medication order id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("encounter_id", "INTEGER", "NOT NULL REFERENCES encounters(id)", "Ordering encounter."),
            column("rxnorm_code", "TEXT", "NOT NULL REFERENCES medication_codes(rxnorm_code)", "RxNorm code."),
            column("start_date", "TEXT", "NOT NULL", "YYYY-MM-DD."),
            column("end_date", "TEXT", "", "YYYY-MM-DD, or NULL for ongoing."),
        ], indexed: ["patient_id", "encounter_id"])

    public static let procedureCodes = Table(
        name: "procedure_codes", about: "The ICD-10-PCS and HCPCS Level II codes used.",
        columns: [
            column("code", "TEXT", "PRIMARY KEY", "Code."),
            column("code_system", "TEXT", "NOT NULL", "ICD-10-PCS or HCPCS."),
            column("description", "TEXT", "NOT NULL", "Short description."),
        ], indexed: [])

    public static let procedures = Table(
        name: "procedures", about: "Procedures done during inpatient stays and emergency visits.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Procedure id."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("encounter_id", "INTEGER", "NOT NULL REFERENCES encounters(id)", "Encounter."),
            column("code", "TEXT", "NOT NULL REFERENCES procedure_codes(code)", "Procedure code."),
            column("performed_at", "TEXT", "NOT NULL", "YYYY-MM-DD HH:MM:SS."),
        ], indexed: ["patient_id", "encounter_id"])

    public static let claims = Table(
        name: "claims", about: "One claim per finished visit. Amounts in US dollars.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Claim id."),
            column("encounter_id", "INTEGER", "NOT NULL REFERENCES encounters(id)", "Visit billed."),
            column("patient_id", "INTEGER", "NOT NULL REFERENCES patients(id)", "Patient."),
            column("payer_id", "INTEGER", "NOT NULL REFERENCES payers(id)", "Payer."),
            column("submitted_date", "TEXT", "NOT NULL", "YYYY-MM-DD."),
            column(
                "status", "TEXT", "NOT NULL CHECK (status IN ('paid', 'denied', 'pending'))", "paid, denied or pending."
            ),
            column("billed", "REAL", "NOT NULL", "Charges billed."),
            column("allowed", "REAL", "", "Amount the payer allowed; NULL while pending."),
            column("paid", "REAL", "", "Amount the payer paid; NULL while pending."),
            column("denial_reason", "TEXT", "", "Why a denied claim was denied."),
        ], indexed: ["encounter_id", "patient_id", "payer_id"])

    public static let claimLines = Table(
        name: "claim_lines", about: "Service lines of a claim; the lines' billed amounts add up to the claim's.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Line id."),
            column("claim_id", "INTEGER", "NOT NULL REFERENCES claims(id)", "Claim."),
            column("line_number", "INTEGER", "NOT NULL", "1, 2, …"),
            column("code", "TEXT", "NOT NULL REFERENCES procedure_codes(code)", "HCPCS or ICD-10-PCS code billed."),
            column("units", "INTEGER", "NOT NULL", "Units."),
            column("billed", "REAL", "NOT NULL", "Charges billed for the line."),
        ], indexed: ["claim_id"])

    public static let bedDays = Table(
        name: "bed_days", about: "Midnight census: one row per inpatient in a bed at midnight.",
        columns: [
            column("id", "INTEGER", "PRIMARY KEY", "Row id."),
            column("encounter_id", "INTEGER", "NOT NULL REFERENCES encounters(id)", "Inpatient stay."),
            column("department_id", "INTEGER", "NOT NULL REFERENCES departments(id)", "Ward."),
            column("census_date", "TEXT", "NOT NULL", "YYYY-MM-DD: the patient was in a bed at its midnight start."),
        ], indexed: ["encounter_id", "department_id, census_date"])

    /// In creation order.
    public static let tables: [Table] = [
        organizations, departments, providers, payers, patients, coverage, encounters, diagnosisCodes, conditions,
        labTests, observations, medicationCodes, medications, procedureCodes, procedures, claims, claimLines,
        bedDays,
    ]

    public static func table(_ name: String) -> Table? { tables.first { $0.name == name.lowercased() } }
}
