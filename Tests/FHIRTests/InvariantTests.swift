import Foundation
import Testing

@testable import FHIR

/// Every evaluated invariant with a resource that breaks it and the same resource mended.
@Suite struct InvariantTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let key: String
        let invalid: String
        let valid: String
        var testDescription: String { key }
    }

    static let subject = #""subject": {"reference": "Patient/p1"}"#
    static let code = #""code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]}"#
    static func observation(_ extra: String) -> String {
        #"{"resourceType": "Observation", "status": "final", \#(code), \#(subject)\#(extra)}"#
    }
    static let clinical =
        #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}"#
    static let resolved =
        #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]}"#
    static let conditionError =
        #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "entered-in-error"}]}"#
    static let allergyClinical =
        #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]}"#
    static let allergyError =
        #"{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "entered-in-error"}]}"#
    static func condition(_ extra: String) -> String {
        #"{"resourceType": "Condition", \#(subject)\#(extra)}"#
    }
    static func allergy(_ extra: String) -> String {
        #"{"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/p1"}\#(extra)}"#
    }
    static func patient(_ extra: String) -> String { #"{"resourceType": "Patient"\#(extra)}"# }
    static let uuid = "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40"
    static func bundle(_ type: String, _ entry: String, _ extra: String = "") -> String {
        #"{"resourceType": "Bundle", "type": "\#(type)"\#(extra), "entry": [\#(entry)]}"#
    }
    static let patientEntry = #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Patient", "gender": "male"}"#

    static let cases: [Case] = [
        Case(
            key: "obs-3",
            invalid: observation(#", "referenceRange": [{"text": "x", "type": {"text": "normal"}}]"#)
                .replacingOccurrences(of: #""text": "x", "#, with: ""),
            valid: observation(#", "referenceRange": [{"text": "70-99 mg/dL"}]"#)),
        Case(
            key: "obs-6", invalid: observation(#", "valueString": "high", "dataAbsentReason": {"text": "x"}"#),
            valid: observation(#", "dataAbsentReason": {"text": "x"}"#)),
        Case(
            key: "obs-7",
            invalid: observation(#", "valueString": "x", "component": [{\#(code), "valueString": "y"}]"#),
            valid: observation(#", "component": [{\#(code), "valueString": "y"}]"#)),
        Case(
            key: "con-1", invalid: condition(#", "stage": [{"type": {"text": "x"}}]"#),
            valid: condition(#", "stage": [{"summary": {"text": "Stage II"}}]"#)),
        Case(
            key: "con-2",
            invalid: condition(
                #", "evidence": [{"extension": [{"url": "http://example.org/x", "valueString": "x"}]}]"#),
            valid: condition(#", "evidence": [{"code": [{"text": "HbA1c 8.4%"}]}]"#)),
        Case(
            key: "con-3",
            invalid: condition(#", "category": [{"coding": [{"code": "problem-list-item"}]}]"#),
            valid: condition(
                #", "clinicalStatus": \#(clinical), "category": [{"coding": [{"code": "problem-list-item"}]}]"#)),
        Case(
            key: "con-4", invalid: condition(#", "clinicalStatus": \#(clinical), "abatementDateTime": "2024-01-02""#),
            valid: condition(#", "clinicalStatus": \#(resolved), "abatementDateTime": "2024-01-02""#)),
        Case(
            key: "con-5",
            invalid: condition(#", "clinicalStatus": \#(clinical), "verificationStatus": \#(conditionError)"#),
            valid: condition(#", "verificationStatus": \#(conditionError)"#)),
        Case(key: "ait-1", invalid: allergy(""), valid: allergy(#", "clinicalStatus": \#(allergyClinical)"#)),
        Case(
            key: "ait-2",
            invalid: allergy(#", "clinicalStatus": \#(allergyClinical), "verificationStatus": \#(allergyError)"#),
            valid: allergy(#", "verificationStatus": \#(allergyError)"#)),
        Case(
            key: "att-1", invalid: patient(#", "photo": [{"data": "aGVsbG8="}]"#),
            valid: patient(#", "photo": [{"contentType": "image/png", "data": "aGVsbG8="}]"#)),
        Case(
            key: "cpt-2", invalid: patient(#", "telecom": [{"value": "555-0100"}]"#),
            valid: patient(#", "telecom": [{"system": "phone", "value": "555-0100"}]"#)),
        Case(
            key: "pat-1", invalid: patient(#", "contact": [{"gender": "male"}]"#),
            valid: patient(#", "contact": [{"name": {"family": "Lee"}}]"#)),
        Case(
            key: "per-1",
            invalid: patient(#", "name": [{"family": "Lee", "period": {"start": "2024-02-01", "end": "2024-01-01"}}]"#),
            valid: patient(#", "name": [{"family": "Lee", "period": {"start": "2024-01-01", "end": "2024-02-01"}}]"#)),
        Case(
            key: "qty-3", invalid: observation(#", "valueQuantity": {"value": 1, "code": "mg/dL"}"#),
            valid: observation(
                #", "valueQuantity": {"value": 1, "system": "http://unitsofmeasure.org", "code": "mg/dL"}"#)),
        Case(
            key: "rng-2", invalid: observation(#", "valueRange": {"low": {"value": 9}, "high": {"value": 3}}"#),
            valid: observation(#", "valueRange": {"low": {"value": 3}, "high": {"value": 9}}"#)),
        Case(
            key: "rat-1", invalid: observation(#", "valueRatio": {"numerator": {"value": 1}}"#),
            valid: observation(#", "valueRatio": {"numerator": {"value": 1}, "denominator": {"value": 2}}"#)),
        Case(
            key: "org-1", invalid: #"{"resourceType": "Organization", "active": true}"#,
            valid: #"{"resourceType": "Organization", "name": "Clinic"}"#),
        Case(
            key: "org-2",
            invalid: #"{"resourceType": "Organization", "name": "C", "address": [{"use": "home", "city": "X"}]}"#,
            valid: #"{"resourceType": "Organization", "name": "C", "address": [{"use": "work", "city": "X"}]}"#),
        Case(
            key: "org-3",
            invalid:
                #"{"resourceType": "Organization", "name": "C", "telecom": [{"system": "phone", "value": "1", "use": "home"}]}"#,
            valid:
                #"{"resourceType": "Organization", "name": "C", "telecom": [{"system": "phone", "value": "1", "use": "work"}]}"#
        ),
        Case(
            key: "imm-1",
            invalid:
                #"{"resourceType": "Immunization", "status": "completed", "vaccineCode": {"text": "flu"}, "patient": {"reference": "Patient/p1"}, "occurrenceString": "last fall", "education": [{"publicationDate": "2023-01-01"}]}"#,
            valid:
                #"{"resourceType": "Immunization", "status": "completed", "vaccineCode": {"text": "flu"}, "patient": {"reference": "Patient/p1"}, "occurrenceString": "last fall", "education": [{"documentType": "253088698300028811170630"}]}"#
        ),
        Case(
            key: "txt-2",
            invalid: patient(
                #", "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"> </div>"}"#),
            valid: patient(
                #", "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Ana Rivera</div>"}"#
            )),
        Case(
            key: "ref-1", invalid: observation(##", "performer": [{"reference": "#p"}]"##),
            valid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p"}], "performer": [{"reference": "#p"}]"##)),
        Case(
            key: "dom-2",
            invalid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p", "contained": [{"resourceType": "Organization", "id": "o", "name": "O"}]}], "performer": [{"reference": "#p"}]"##
            ),
            valid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p"}], "performer": [{"reference": "#p"}]"##)),
        Case(
            key: "dom-3", invalid: observation(#", "contained": [{"resourceType": "Practitioner", "id": "p"}]"#),
            valid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p"}], "performer": [{"reference": "#p"}]"##)),
        Case(
            key: "dom-4",
            invalid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p", "meta": {"versionId": "2"}}], "performer": [{"reference": "#p"}]"##
            ),
            valid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p", "meta": {"tag": [{"code": "x"}]}}], "performer": [{"reference": "#p"}]"##
            )),
        Case(
            key: "dom-5",
            invalid: observation(
                ##", "contained": [{"resourceType": "Practitioner", "id": "p", "meta": {"security": [{"code": "R"}]}}], "performer": [{"reference": "#p"}]"##
            ),
            valid: observation(
                ##", "meta": {"security": [{"code": "R"}]}, "contained": [{"resourceType": "Practitioner", "id": "p"}], "performer": [{"reference": "#p"}]"##
            )),
        Case(
            key: "bdl-1", invalid: bundle("collection", patientEntry + "}", #", "total": 1"#),
            valid: bundle("searchset", patientEntry + #", "search": {"mode": "match"}}"#, #", "total": 1"#)),
        Case(
            key: "bdl-2", invalid: bundle("collection", patientEntry + #", "search": {"mode": "match"}}"#),
            valid: bundle("collection", patientEntry + "}")),
        Case(
            key: "bdl-3", invalid: bundle("transaction", patientEntry + "}"),
            valid: bundle("transaction", patientEntry + #", "request": {"method": "POST", "url": "Patient"}}"#)),
        Case(
            key: "bdl-4", invalid: bundle("transaction-response", patientEntry + "}"),
            valid: bundle("transaction-response", patientEntry + #", "response": {"status": "201 Created"}}"#)),
        Case(
            key: "bdl-5", invalid: bundle("collection", #"{"fullUrl": "\#(uuid)"}"#),
            valid: bundle("collection", patientEntry + "}")),
        Case(
            key: "bdl-7", invalid: bundle("collection", patientEntry + "}, " + patientEntry + "}"),
            valid: bundle("collection", patientEntry + "}")),
        Case(
            key: "bdl-8",
            invalid: bundle(
                "collection",
                #"{"fullUrl": "http://x.org/fhir/Patient/1/_history/2", "resource": {"resourceType": "Patient", "id": "1"}}"#
            ),
            valid: bundle(
                "collection",
                #"{"fullUrl": "http://x.org/fhir/Patient/1", "resource": {"resourceType": "Patient", "id": "1"}}"#)),
        Case(
            key: "bdl-9",
            invalid: bundle(
                "document", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Composition"}}"#,
                #", "timestamp": "2024-03-10T10:00:00Z""#),
            valid: bundle(
                "document", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Composition"}}"#,
                #", "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}, "timestamp": "2024-03-10T10:00:00Z""#
            )),
        Case(
            key: "bdl-10",
            invalid: bundle(
                "document", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Composition"}}"#,
                #", "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}"#
            ),
            valid: bundle(
                "document", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Composition"}}"#,
                #", "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}, "timestamp": "2024-03-10T10:00:00Z""#
            )),
        Case(
            key: "bdl-11",
            invalid: bundle(
                "document", patientEntry + "}",
                #", "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}, "timestamp": "2024-03-10T10:00:00Z""#
            ),
            valid: bundle(
                "document", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "Composition"}}"#,
                #", "identifier": {"system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}, "timestamp": "2024-03-10T10:00:00Z""#
            )),
        Case(
            key: "bdl-12", invalid: bundle("message", patientEntry + "}"),
            valid: bundle("message", #"{"fullUrl": "\#(uuid)", "resource": {"resourceType": "MessageHeader"}}"#)),
    ]

    @Test(arguments: cases)
    func invariantIsBrokenByOneAndKeptByTheOther(_ testCase: Case) {
        let broken = FHIRValidator().validate(testCase.invalid)
        #expect(broken.contains { $0.invariant == testCase.key }, "\(testCase.key) not reported: \(broken)")
        let mended = FHIRValidator().validate(testCase.valid)
        #expect(
            !mended.contains { $0.invariant == testCase.key }, "\(testCase.key) reported on the valid case: \(mended)")
        #expect(!mended.contains { $0.severity == .fatal }, "\(mended)")
    }

    @Test func everyEvaluatedInvariantHasACase() {
        #expect(Set(Self.cases.map(\.key)) == FHIRValidator.evaluatedInvariants)
    }
}
