import ArgumentParser

@main
struct Rounds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rounds",
        abstract: "Interview practice for healthcare-technology jobs.",
        discussion: """
            Rounds holds an original bank of interview questions for healthcare data, health-IT, \
            integration, security, cloud and design roles, each with a model answer, a rubric, tips and \
            primary sources. Hands-on labs grade HL7 v2, FHIR and SQL work; the SQL labs run on a \
            synthetic EHR (`rounds ehr`).

            Your answers, reviews and settings are kept in a local SQLite database (see --db on each \
            command); `rounds export` writes them out.

            Examples:
              rounds serve
              rounds practice
              rounds answer fhir-vs-hl7v2
              rounds mock --role healthcare-data-analyst --minutes 30
              rounds stats
              rounds plan --hours 6
              rounds roles show ehr-integration-analyst
              rounds questions list --skill interoperability --level beginner
              rounds questions show fhir-vs-hl7v2 --answer
              rounds questions search "readmission model"
              rounds labs list --kind sql
              rounds labs submit sql-readmission-rate --sql query.sql
              rounds content stats
              rounds content lint ./my-team-pack
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, QuestionsCommand.self, AnswerCommand.self, PracticeCommand.self, MockCommand.self,
            StatsCommand.self, PlanCommand.self, RolesCommand.self, OpeningsCommand.self,
            SettingsCommand.self, ScheduleCommand.self, ExportCommand.self, ImportCommand.self, ContentCommand.self,
            AccountsCommand.self, LabsCommand.self, EHRCommand.self, HL7Command.self, FHIRCommand.self,
            DBCommand.self, BenchCommand.self,
        ]
    )
}
