import Foundation
import Hummingbird
import RoundsCore

/// `/api/v1/drafts`: what the learner has typed but not submitted, kept per answer box so that it
/// survives a reload or a change of computer. The pages save drafts here as the learner types and
/// remove one when its answer is saved; a script manages its own with PUT and DELETE.
extension APIController {
    /// A draft without its text, for the list.
    struct DraftSummary: Encodable {
        let key: String
        let savedAt: Date
        /// Unicode scalars, as the answer limits count them.
        let characters: Int
    }

    struct DraftBody: Decodable {
        let text: String
    }

    @Sendable func drafts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", range: 1...500) ?? 100
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", range: 0...10_000_000) ?? 0
        let all = try await environment.store.drafts(learnerID: learner.id)
        let items = all.dropFirst(offset).prefix(limit).map {
            DraftSummary(key: $0.key, savedAt: $0.savedAt, characters: $0.text.unicodeScalars.count)
        }
        return try APIResponse.json(Page(total: all.count, offset: offset, count: items.count, items: Array(items)))
    }

    @Sendable func draft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let key = try Self.draftKey(context)
        guard let draft = try await environment.store.draft(key: key, learnerID: learner.id) else {
            throw PageError(status: .notFound, code: "no_draft", message: "You have no draft under “\(key)”.")
        }
        return try APIResponse.json(draft)
    }

    /// Saves the text as the draft; empty text (or only spaces) removes it.
    @Sendable func saveDraft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let key = try Self.draftKey(context)
        let body = try await APIResponse.decode(DraftBody.self, from: request, limit: Draft.maxBytes + 4096)
        let text = body.text.replacingOccurrences(of: "\r\n", with: "\n")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            try await environment.store.deleteDraft(key: key, learnerID: learner.id)
            return Response(status: .noContent)
        }
        if let problem = TypedText.problem(in: text, maxCharacters: Draft.maxCharacters, maxBytes: Draft.maxBytes) {
            if case .controlCharacter = problem {
                throw PageError.badRequest("The draft was not saved: \(problem).", code: "control_character")
            }
            throw PageError(
                status: .contentTooLarge, code: "draft_too_long", message: "The draft was not saved: \(problem).")
        }
        let draft = try await environment.store.saveDraft(key: key, text: text, learnerID: learner.id, at: Date())
        return try APIResponse.json(
            DraftSummary(key: key, savedAt: draft.savedAt, characters: text.unicodeScalars.count))
    }

    @Sendable func deleteDraft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let key = try Self.draftKey(context)
        guard try await environment.store.deleteDraft(key: key, learnerID: learner.id) else {
            throw PageError(status: .notFound, code: "no_draft", message: "You have no draft under “\(key)”.")
        }
        return Response(status: .noContent)
    }

    static func draftKey(_ context: AppRequestContext) throws -> String {
        let raw = context.parameters.get("key") ?? ""
        let key = raw.removingPercentEncoding ?? raw
        guard Draft.isValidKey(key) else {
            throw PageError.badRequest(
                "“\(key.prefix(80))” is not a draft key: use question:ID, lab:ID or mock:INTERVIEW:QUESTION, as the pages name their answer boxes.",
                code: "bad_draft_key")
        }
        return key
    }
}
