#if canImport(Accelerate)
    import Accelerate

    /// The two BLAS routines the encoder uses, from Accelerate on Apple platforms.
    enum BLAS {
        /// Why BLAS cannot be used; never on Apple platforms.
        static let problem: String? = nil
        static let kernel = "Accelerate"

        /// `c[m×n] = alpha · a[m×k] · b (or bᵀ) + beta · c`, row-major.
        static func sgemm(
            transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
            _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
        ) {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }

        static func sdot(_ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
            cblas_sdot(Int32(n), a, 1, b, 1)
        }
    }
#else
    import Foundation
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    /// The two BLAS routines the encoder uses, from OpenBLAS, opened at first use instead of linked.
    ///
    /// Why not link it: OpenBLAS picks its kernels when it is loaded, from the processor it recognises
    /// or `OPENBLAS_CORETYPE`. Debian's 0.3.21 does not recognise some virtualised Xeons and falls
    /// back to its generic SSE3 kernel (`Prescott`): measured here, a question's first answer took
    /// 15.2 s with it, 8.6 s with `Haswell` and 6.5 s with `SkylakeX`. A linked library is loaded
    /// before any Swift code runs; opening it here lets Rounds name the kernel the processor's
    /// features allow first, unless `OPENBLAS_CORETYPE` is already set.
    enum BLAS {
        typealias SGEMM =
            @convention(c) (
                Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?,
                Int32, Float, UnsafeMutablePointer<Float>?, Int32
            ) -> Void
        typealias SDOT = @convention(c) (Int32, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32) -> Float
        typealias SetThreads = @convention(c) (Int32) -> Void
        typealias CoreName = @convention(c) () -> UnsafeMutablePointer<CChar>?

        struct Library: @unchecked Sendable {
            let sgemm: SGEMM
            let sdot: SDOT
            let kernel: String
        }

        // CBLAS's enumerations, as OpenBLAS's cblas.h numbers them.
        static let rowMajor: Int32 = 101
        static let noTranspose: Int32 = 111
        static let transpose: Int32 = 112

        /// OpenBLAS, or why it could not be opened.
        static let loaded: Result<Library, Missing> = {
            if getenv("OPENBLAS_CORETYPE") == nil, let core = coreType(cpuFlags: cpuFlags()) {
                setenv("OPENBLAS_CORETYPE", core, 0)
            }
            let names: [String] = ["libopenblas.so.0", "libopenblas.so"]
            guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
                let reason = dlerror().map { String(cString: $0) } ?? "not found"
                return .failure(
                    Missing(
                        reason: "OpenBLAS could not be opened (\(reason)); install it: apt-get install libopenblas0"))
            }
            guard let sgemm = dlsym(handle, "cblas_sgemm"), let sdot = dlsym(handle, "cblas_sdot") else {
                return .failure(Missing(reason: "the OpenBLAS found has no cblas_sgemm and cblas_sdot"))
            }
            // One BLAS thread, in the caller's thread. Debian's OpenBLAS 0.3.21 (pthreads) corrupts memory
            // when two threads call its threaded GEMM at once (seen here: a crash in the test suite's
            // parallel runs), and its own threads only fight Rounds' for 2 cores.
            if let threads = dlsym(handle, "openblas_set_num_threads") {
                unsafeBitCast(threads, to: SetThreads.self)(1)
            }
            let kernel =
                dlsym(handle, "openblas_get_corename").flatMap { unsafeBitCast($0, to: CoreName.self)() }.map {
                    String(cString: $0)
                } ?? "unknown"
            return .success(
                Library(
                    sgemm: unsafeBitCast(sgemm, to: SGEMM.self), sdot: unsafeBitCast(sdot, to: SDOT.self),
                    kernel: "OpenBLAS \(kernel)"))
        }()

        struct Missing: Error {
            let reason: String
        }

        /// The library, when it could be opened.
        static let library: Library? = try? loaded.get()

        /// Why BLAS cannot be used, if it cannot: the encoder then multiplies with plain loops, the
        /// same results many times slower.
        static var problem: String? {
            if case .failure(let missing) = loaded { missing.reason } else { nil }
        }

        /// The library and kernel in use, for benchmarks' reports.
        static var kernel: String { library?.kernel ?? "plain loops (no OpenBLAS)" }

        /// The processor's feature flags (`/proc/cpuinfo`); empty when unreadable.
        static func cpuFlags() -> Set<String> {
            guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
            else { return [] }
            return Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        }

        /// The OpenBLAS kernel for a processor with `flags`: AVX-512 (SkylakeX), else AVX2 with FMA
        /// (Haswell); nil leaves OpenBLAS to decide.
        static func coreType(cpuFlags flags: Set<String>) -> String? {
            if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
                return "SkylakeX"
            }
            if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
            return nil
        }

        /// `c[m×n] = alpha · a[m×k] · b (or bᵀ) + beta · c`, row-major.
        static func sgemm(
            transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
            _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
        ) {
            if let library {
                library.sgemm(
                    rowMajor, noTranspose, transposeB ? transpose : noTranspose, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
                return
            }
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k { sum += a[i * lda + p] * (transposeB ? b[j * ldb + p] : b[p * ldb + j]) }
                    c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
                }
            }
        }

        static func sdot(_ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
            if let library { return library.sdot(Int32(n), a, 1, b, 1) }
            var sum: Float = 0
            for i in 0..<n { sum += a[i] * b[i] }
            return sum
        }
    }
#endif
