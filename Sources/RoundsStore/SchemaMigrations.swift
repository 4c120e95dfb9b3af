/// The migrations this build of Rounds knows, oldest first. Both stores apply exactly these, under
/// these names; `/readyz` reports a database that has not applied them all as not ready.
public enum SchemaMigrations {
    public static let names = PostgresMigrations.all.map(\.name)
}
