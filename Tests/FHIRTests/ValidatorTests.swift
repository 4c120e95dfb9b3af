import Foundation
import Testing

@testable import FHIR

@Suite struct ValidatorTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Examples")
    static let exampleNames = [
        "Patient", "Practitioner", "Organization", "Encounter", "Observation", "Condition", "MedicationRequest",
        "AllergyIntolerance", "Procedure", "Immunization", "DiagnosticReport", "Bundle-transaction",
    ]

    static func example(_ name: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent("\(name).json"), encoding: .utf8)
    }

    /// Replaces or removes (nil) a top-level member of an example, keeping the order of the rest.
    static func edit(_ name: String, _ changes: [String: JSONValue?]) throws -> JSONValue {
        let json = try JSONValue(parsing: example(name))
        var members = json.members ?? []
        for (key, value) in changes {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let value { members[index].value = value } else { members.remove(at: index) }
            } else if let value {
                members.append((key, value))
            }
        }
        return .object(members)
    }

    static func json(_ text: String) -> JSONValue { try! JSONValue(parsing: text) }

    @Test(arguments: exampleNames)
    func validExamplesHaveNoErrors(name: String) throws {
        let issues = FHIRValidator().validate(try Self.example(name))
        #expect(!issues.hasErrors, "\(issues)")
    }

    /// One broken resource per rule: the location and the kind of problem must be the ones a learner needs.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let resource: String
        let changes: [String: JSONValue?]
        let location: String
        let code: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "missing required status", resource: "Observation", changes: ["status": nil],
            location: "Observation.status", code: "required"),
        Case(
            name: "missing required choice", resource: "MedicationRequest",
            changes: ["medicationCodeableConcept": nil], location: "MedicationRequest.medication[x]", code: "required"),
        Case(
            name: "unknown element", resource: "Patient", changes: ["birthdate": .string("1984-07-21")],
            location: "Patient.birthdate", code: "structure"),
        Case(
            name: "single value given as array", resource: "Patient",
            changes: ["gender": .array([.string("female")])], location: "Patient.gender", code: "structure"),
        Case(
            name: "repeating element given as object", resource: "Patient",
            changes: ["name": json(#"{"family": "Rivera"}"#)], location: "Patient.name", code: "structure"),
        Case(
            name: "boolean as string", resource: "Patient", changes: ["active": .string("true")],
            location: "Patient.active", code: "value"),
        Case(
            name: "decimal as string", resource: "Observation",
            changes: ["valueQuantity": json(#"{"value": "7.2", "unit": "%"}"#)],
            location: "Observation.valueQuantity.value", code: "value"),
        Case(
            name: "bad date format", resource: "Patient", changes: ["birthDate": .string("07/21/1984")],
            location: "Patient.birthDate", code: "value"),
        Case(
            name: "impossible date", resource: "Patient", changes: ["birthDate": .string("2023-02-30")],
            location: "Patient.birthDate", code: "value"),
        Case(
            name: "dateTime without zone", resource: "Observation",
            changes: ["effectiveDateTime": .string("2024-03-10T08:05:00")],
            location: "Observation.effectiveDateTime", code: "value"),
        Case(
            name: "empty string", resource: "Patient", changes: ["birthDate": .string("")],
            location: "Patient.birthDate", code: "value"),
        Case(
            name: "empty array", resource: "Patient", changes: ["telecom": .array([])],
            location: "Patient.telecom", code: "structure"),
        Case(
            name: "empty object", resource: "Patient", changes: ["maritalStatus": .object([])],
            location: "Patient.maritalStatus", code: "structure"),
        Case(
            name: "code not in required value set", resource: "Patient", changes: ["gender": .string("F")],
            location: "Patient.gender", code: "code-invalid"),
        Case(
            name: "code in wrong case", resource: "Observation", changes: ["status": .string("Final")],
            location: "Observation.status", code: "code-invalid"),
        Case(
            name: "two choice types", resource: "Observation", changes: ["valueString": .string("7.2 %")],
            location: "Observation.valueString", code: "structure"),
        Case(
            name: "choice type not allowed", resource: "Observation",
            changes: ["valueAddress": json(#"{"city": "X"}"#)],
            location: "Observation.valueAddress", code: "structure"),
        Case(
            name: "bare choice name", resource: "Condition", changes: ["onset": .string("2019-05")],
            location: "Condition.onset", code: "structure"),
        Case(
            name: "reference to wrong type", resource: "Observation",
            changes: ["subject": json(#"{"reference": "Practitioner/prac-1"}"#)],
            location: "Observation.subject.reference", code: "value"),
        Case(
            name: "reference type in lower case", resource: "Observation",
            changes: ["subject": json(#"{"reference": "patient/pat-001"}"#)],
            location: "Observation.subject.reference", code: "value"),
        Case(
            name: "reference that is not a reference", resource: "Observation",
            changes: ["subject": json(#"{"reference": "pat-001"}"#)],
            location: "Observation.subject.reference", code: "value"),
        Case(
            name: "bad id", resource: "Patient", changes: ["id": .string("pat_001")], location: "Patient.id",
            code: "value"),
        Case(
            name: "obs-6 value and dataAbsentReason", resource: "Observation",
            changes: ["dataAbsentReason": json(#"{"text": "not done"}"#)],
            location: "Observation.dataAbsentReason", code: "invariant"),
        Case(
            name: "con-4 abated but active", resource: "Condition", changes: ["abatementDateTime": .string("2023-01")],
            location: "Condition.clinicalStatus", code: "invariant"),
        Case(
            name: "Encounter.class as CodeableConcept", resource: "Encounter",
            changes: ["class": json(#"{"coding": [{"code": "IMP"}]}"#)], location: "Encounter.class.coding",
            code: "structure"),
        Case(
            name: "required CodeableConcept binding", resource: "AllergyIntolerance",
            changes: [
                "clinicalStatus": json(
                    #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "current"}]}"#
                )
            ],
            location: "AllergyIntolerance.clinicalStatus.coding[0].code", code: "code-invalid"),
        Case(
            name: "ait-1 missing clinicalStatus", resource: "AllergyIntolerance", changes: ["clinicalStatus": nil],
            location: "AllergyIntolerance.clinicalStatus", code: "invariant"),
        Case(
            name: "per-1 period backwards", resource: "Procedure",
            changes: ["performedPeriod": json(#"{"start": "2024-01-15T10:00:00Z", "end": "2024-01-15T09:00:00Z"}"#)],
            location: "Procedure.performedPeriod", code: "invariant"),
        Case(
            name: "qty-3 unit code without system", resource: "Immunization",
            changes: ["doseQuantity": json(#"{"value": 0.5, "code": "mL"}"#)],
            location: "Immunization.doseQuantity.system", code: "invariant"),
        Case(
            name: "pat-1 empty contact", resource: "Patient",
            changes: ["contact": json(#"[{"relationship": [{"text": "friend"}]}]"#)],
            location: "Patient.contact[0]", code: "invariant"),
        Case(
            name: "org-1 nameless organization", resource: "Organization", changes: ["name": nil],
            location: "Organization", code: "invariant"),
        Case(
            name: "ref-1 missing contained", resource: "MedicationRequest",
            changes: ["medicationCodeableConcept": nil, "medicationReference": json(##"{"reference": "#med1"}"##)],
            location: "MedicationRequest.medicationReference.reference", code: "invariant"),
        Case(
            name: "integer too big", resource: "MedicationRequest",
            changes: ["dispenseRequest": json(#"{"numberOfRepeatsAllowed": 4294967296}"#)],
            location: "MedicationRequest.dispenseRequest.numberOfRepeatsAllowed", code: "value"),
        Case(
            name: "null value", resource: "Patient", changes: ["gender": .null], location: "Patient.gender",
            code: "structure"),
    ]

    @Test(arguments: cases)
    func brokenResourcesAreReportedWhereTheProblemIs(_ testCase: Case) throws {
        let issues = FHIRValidator().validate(json: try Self.edit(testCase.resource, testCase.changes))
        let errors = issues.filter { $0.severity <= .error }
        #expect(
            errors.contains { $0.location == testCase.location && $0.code == testCase.code },
            "expected \(testCase.code) at \(testCase.location), got \(issues)")
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test func unknownElementsGetASpellingHint() throws {
        let issues = FHIRValidator().validate(json: try Self.edit("Patient", ["birthdate": .string("1984-07-21")]))
        #expect(issues.contains { $0.message.contains("Did you mean “birthDate”") })
    }

    @Test func syntaxErrorsSayLineAndColumn() {
        let issues = FHIRValidator().validate("{\n  \"resourceType\": \"Patient\",\n  \"active\": true,\n}")
        #expect(issues.count == 1)
        #expect(issues[0].severity == .fatal)
        #expect(issues[0].message.contains("line 4"))
        #expect(issues[0].message.contains("trailing comma"))
    }

    @Test func resourceTypeProblems() {
        #expect(FHIRValidator().validate("{\"id\": \"1\"}").contains { $0.code == "required" })
        #expect(
            FHIRValidator().validate("{\"resourceType\": \"patient\"}").contains { $0.message.contains("“Patient”") })
        #expect(FHIRValidator().validate("[1, 2]").contains { $0.message.contains("not an array") })
        let other = FHIRValidator().validate("{\"resourceType\": \"Medication\", \"id\": \"m1\"}")
        #expect(other.contains { $0.severity == .warning && $0.code == "not-supported" })
        #expect(!other.hasErrors)
    }

    @Test func containedResourcesMustBeReferenced() throws {
        let contained = Self.json(#"[{"resourceType": "Practitioner", "id": "p1", "name": [{"family": "Lee"}]}]"#)
        let unreferenced = FHIRValidator().validate(json: try Self.edit("Observation", ["contained": contained]))
        #expect(unreferenced.contains { $0.invariant == "dom-3" && $0.location == "Observation.contained[0]" })
        let referenced = FHIRValidator().validate(
            json: try Self.edit(
                "Observation", ["contained": contained, "performer": Self.json(##"[{"reference": "#p1"}]"##)]))
        #expect(!referenced.hasErrors, "\(referenced)")
        let nested = Self.json(
            #"[{"resourceType": "Practitioner", "id": "p1", "contained": [{"resourceType": "Organization", "id": "o", "name": "X"}]}]"#
        )
        let issues = FHIRValidator().validate(
            json: try Self.edit(
                "Observation", ["contained": nested, "performer": Self.json(##"[{"reference": "#p1"}]"##)]))
        #expect(issues.contains { $0.invariant == "dom-2" })
    }

    @Test func primitiveExtensionsAreChecked() throws {
        let good = FHIRValidator().validate(try Self.example("Patient"))
        #expect(!good.hasErrors)
        let bad = FHIRValidator().validate(
            json: try Self.edit("Patient", ["_birthDate": Self.json(#"{"value": "1984"}"#)]))
        #expect(bad.contains { $0.location == "Patient._birthDate.value" })
        let notPrimitive = FHIRValidator().validate(
            json: try Self.edit("Patient", ["_name": Self.json(#"{"id": "x"}"#)]))
        #expect(notPrimitive.contains { $0.location == "Patient._name" && $0.code == "structure" })
    }

    @Test func operationOutcomeIsFHIR() throws {
        let issues = FHIRValidator().validate(json: try Self.edit("Observation", ["status": nil]))
        let outcome = issues.operationOutcome
        #expect(outcome["resourceType"]?.string == "OperationOutcome")
        let first = try #require(outcome["issue"]?.items.first)
        #expect(first["severity"]?.string == "error")
        #expect(first["expression"]?.items.first?.string == "Observation.status")
        #expect(Array<FHIR.Issue>().operationOutcome["issue"]?.items.first?["code"]?.string == "informational")
    }
}
