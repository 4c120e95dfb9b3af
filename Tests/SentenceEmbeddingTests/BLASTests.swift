import Foundation
import Testing

@testable import SentenceEmbedding

/// The matrix products under the encoder: the kernel named from the processor's features, and the
/// library's products against plain loops on the same matrices.
@Suite struct BLASTests {
    #if !canImport(Accelerate)
        @Test(
            arguments: [
                (["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"], "SkylakeX"),
                (["avx512f", "avx2", "fma"], "Haswell"),
                (["avx2", "fma", "sse3"], "Haswell"),
                (["avx2"], nil),
                (["sse3", "ssse3"], nil),
                ([], nil),
            ] as [([String], String?)])
        func theKernelIsTheFastestTheProcessorAllows(flags: [String], expected: String?) {
            #expect(BLAS.coreType(cpuFlags: Set(flags)) == expected)
        }

        @Test func openBLASIsOpenedWithAKernelForThisProcessor() {
            #expect(BLAS.problem == nil, "\(BLAS.problem ?? "")")
            #expect(BLAS.kernel.hasPrefix("OpenBLAS "))
            if let expected = BLAS.coreType(cpuFlags: BLAS.cpuFlags()),
                ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
            {
                #expect(BLAS.kernel.lowercased() == "openblas \(expected.lowercased())")
            }
        }
    #endif

    @Test(arguments: [false, true])
    func productsMatchPlainLoops(transposeB: Bool) {
        // Given matrices of awkward sizes, with a row stride wider than the row
        var random = SystemRandomNumberGenerator()
        let (m, n, k) = (7, 13, 29)
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &random) }
        let b = (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &random) }
        var c = [Float](repeating: 0.5, count: m * n)
        var expected = c
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum += a[i * k + p] * (transposeB ? b[j * k + p] : b[p * n + j]) }
                expected[i * n + j] = 0.75 * sum + 1 * expected[i * n + j]
            }
        }
        // When the library multiplies them, Then it agrees with the loops to float precision
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemm(
                        transposeB: transposeB, m, n, k, 0.75, a.baseAddress!, k, b.baseAddress!, transposeB ? k : n, 1,
                        c.baseAddress!, n)
                }
            }
        }
        #expect(zip(c, expected).allSatisfy { abs($0 - $1) < 1e-4 })
        let dot = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { BLAS.sdot(k, a.baseAddress!, $0.baseAddress!) }
        }
        let loop = (0..<k).reduce(Float(0)) { $0 + a[$1] * b[$1] }
        #expect(abs(dot - loop) < 1e-4)
    }
}
