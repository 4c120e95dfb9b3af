/// A write the store refused, with what was wrong.
public enum StoreError: Error, CustomStringConvertible {
    /// The record a write refers to does not exist, or belongs to another learner.
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) does not exist"
        }
    }
}
