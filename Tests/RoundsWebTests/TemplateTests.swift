import Foundation
import Testing

@testable import RoundsWeb

/// The checked list of templates and the files in `Templates/` are the same set, so a page can only
/// name a template that exists, and the start-up check covers every file.
@Suite struct TemplateTests {
    @Test func everyTemplateFileHasACaseAndEveryCaseAFile() throws {
        // Given the template files
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/RoundsWeb/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        // Then they are exactly the cases of `Template`
        #expect(
            Set(names.filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) })
                == Set(Template.allCases.map(\.rawValue)))
    }

    @Test func startUpChecksEveryTemplate() async throws {
        // When the renderer starts, Then every template is loaded and renders
        let views = try await PageRenderer()
        for template in Template.allCases {
            #expect(views.library.getTemplate(named: template.rawValue) != nil, "\(template)")
        }
    }
}
