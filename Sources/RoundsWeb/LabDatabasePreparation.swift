import Foundation
import Logging
import RoundsLabs
import ServiceLifecycle

/// Builds the SQL labs' practice and hidden databases while the server starts, so that the first Run
/// does not wait for them; pages are served meanwhile, and a Run before they are ready builds them
/// itself (one build at a time, `LabDatabases`).
///
/// The build is a few minutes of synchronous SQLite work, so it runs on a thread of its own rather
/// than on the concurrency pool that serves requests. The service then waits for shutdown: a service
/// that returns would end the whole service group. Shutting down mid-build loses nothing, because a
/// build writes to a temporary name and renames it when done.
struct LabDatabasePreparation: Service {
    let databases: LabDatabases
    let logger: Logger

    func run() async throws {
        if !databases.standardIsReady {
            let databases = databases
            let logger = logger
            logger.info("building the SQL labs' databases", metadata: ["directory": "\(databases.directory)"])
            Thread.detachNewThread {
                do {
                    try databases.prepareStandard()
                    logger.info("the SQL labs' databases are ready")
                } catch {
                    logger.error("could not build the SQL labs' databases: \(error)")
                }
            }
        }
        try? await gracefulShutdown()
    }
}
