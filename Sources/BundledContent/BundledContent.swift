/// Locates the question bank that ships inside the binary.
import Foundation

public enum BundledContent {
    /// The bundled `Content/` folder.
    public static var url: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Content", isDirectory: true)
    }
}
