import Foundation
import Testing

/// Issue 18: every `--help` fits 80 columns. ArgumentParser prints a usage line as one line, however
/// long, so the long ones are given wrapped (`usage:`); this keeps them complete as options change.
@Suite struct HelpTests {
    static let commands = [
        ["answer"], ["practice"], ["mock"], ["settings"], ["serve"], ["content", "lint"], ["questions", "list"],
        ["questions", "search"], ["labs", "submit"], ["labs", "run"], ["labs", "list"], ["labs", "show"], ["stats"],
        ["plan"], ["roles", "list"], ["roles", "show"], ["openings", "import"], ["openings", "list"],
        ["openings", "show"],
        ["openings", "match"], ["openings", "summary"], ["openings", "plan"], ["openings", "note"],
        ["openings", "delete"],
        ["export"], ["accounts", "reset-password"], ["hl7", "inspect"], ["questions", "show"], ["schedule", "replay"],
        ["ehr", "generate"], ["fhir", "search"], ["bench", "feedback"], ["bench", "ehr"], ["bench", "judge"],
        ["bench", "history"], ["db", "migrate"], ["db", "copy"],
    ]

    @Test(arguments: commands)
    func helpFitsEightyColumnsAndNamesEveryOption(command: [String]) throws {
        let help = try RoundsBinary.run(command + ["--help"]).stdout
        let long = help.split(separator: "\n").filter { $0.count > 80 }
        #expect(long.isEmpty, "\(command): \(long)")
        // The usage names every option the OPTIONS section lists (but --help and --version).
        let parts = help.components(separatedBy: "\nOPTIONS:")
        let usage = parts[0].components(separatedBy: "USAGE:").last ?? ""
        let options = Set(
            (parts.count > 1 ? parts[1] : "").matches(of: /\n  (--[a-z-]+)/).map { String($0.1) }
        ).subtracting(["--help", "--version"])
        for option in options {
            #expect(usage.contains(option + " ") || usage.contains(option + "]"), "\(command) usage lacks \(option)")
        }
    }
}
