import RoundsContent

/// The bundled bank, loaded once per test process: loading and checking 360 questions and 80 labs
/// takes seconds, and no test changes it. Extra packs named by `ROUNDS_CONTENT` are not loaded.
public enum TestBank {
    public static let library: ContentLibrary = ContentLoader(packs: [ContentLoader.bundledPack()]).load().library
}
