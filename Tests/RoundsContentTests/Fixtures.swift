import Foundation

/// A content pack written to a temporary folder, for tests.
struct TemporaryPack {
    let root: URL

    init(files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-test-\(UUID().uuidString)")
        for (path, text) in files {
            try write(path, text)
        }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func writeData(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// Builders for valid files, which tests then break one way at a time.
enum Fixture {
    static let skills = """
        - id: privacy-compliance
          name: Privacy & compliance
          summary: HIPAA and friends.
        - id: security-incident-response
          name: Security & incident response
          summary: Keeping systems safe.
        """

    static let hosts = "- hhs.gov\n- nist.gov\n"

    static let role = """
        id: healthcare-data-analyst
        name: Healthcare data analyst
        summary: Turns clinical and claims data into answers.
        skills:
          privacy-compliance: 3
          security-incident-response: 1
        stages:
          - name: Recruiter screen
            minutes: 30
            focus: Background and motivation.
        market:
          - statement: An example figure.
            as_of: 2024-05
            retrieved: 2026-11
            source:
              title: BLS
              url: https://www.bls.gov/ooh/
        """

    /// A model answer of about 170 words that covers every point of `question`'s rubric.
    static let modelAnswer = """
        A breach is presumed when unsecured protected health information is acquired, used or disclosed \
        in a way the Privacy Rule does not allow, unless a documented risk assessment shows a low \
        probability of compromise. The assessment weighs four factors: the nature and extent of the \
        information, the unauthorized person who received it, whether it was actually acquired or viewed, \
        and how far the risk has been mitigated. When notice is due, affected individuals hear within 60 \
        days of discovery, by first-class mail or email if they agreed to it. Breaches affecting 500 or \
        more residents of a state also require notice to prominent media outlets, and HHS must be told \
        within the same 60 days. Smaller breaches go into a log that is reported to HHS within 60 days of \
        the end of the calendar year. Encryption that meets HHS guidance makes the data secured, so a lost \
        encrypted laptop is not a reportable breach. Business associates tell the covered entity, which \
        then notifies. I keep the whole analysis on file for six years, because regulators ask for it \
        during investigations and audits.
        """

    static func question(
        id: String = "breach-notification-basics", folder: String = "privacy-compliance",
        replacing: [(String, String)] = [], body: String? = nil
    ) -> (path: String, text: String) {
        var text = """
            ---
            id: \(id)
            title: When is a lost laptop a reportable breach?
            level: beginner
            skills: [privacy-compliance]
            roles: [healthcare-data-analyst]
            kind: concept
            minutes: 3
            reviewed: 2026-11
            rubric:
              - point: Defines a breach and the presumption
                weight: 2
                evidence:
                  - presumed breach
                  - breach is presumed
              - point: Names the four-factor risk assessment
                weight: 2
                evidence:
                  - four factors
                  - risk assessment
              - point: Gives the 60-day deadline and the 500-person threshold
                weight: 1.5
                evidence:
                  - 60 days
                  - 500 or more
            misconceptions:
              - claim: Encrypted laptops must always be reported.
                phrases:
                  - always report encrypted laptops
                correction: Data encrypted to HHS guidance is secured; its loss is not a reportable breach.
            followups:
              - What changes when a business associate loses the laptop?
            sources:
              - title: HHS Breach Notification Rule
                url: https://www.hhs.gov/hipaa/for-professionals/breach-notification/index.html
            ---

            """
        text +=
            body ?? """
                ## Model answer

                \(modelAnswer)

                ## Tip

                Lead with the presumption, then the four factors.

                ## Pitfalls

                - Treating every lost device as a breach.
                """
        for (old, new) in replacing {
            precondition(text.contains(old), "fixture does not contain \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return ("questions/\(folder)/\(id).md", text)
    }

    /// A complete pack: taxonomy plus the given question files.
    static func pack(_ questions: [(path: String, text: String)] = [question()]) throws -> TemporaryPack {
        var files = [
            "skills.yaml": skills, "primary-sources.yaml": hosts, "roles/healthcare-data-analyst.yaml": role,
        ]
        for question in questions { files[question.path] = question.text }
        return try TemporaryPack(files: files)
    }
}
