#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One malloc arena per core instead of glibc's eight per core. Memory freed on one thread is not
/// reused by another thread's arena: with a bulk import preparing rows on one thread while SQLite
/// frees them on another, the default arenas held 190 MB more at the peak (docs/performance.md).
enum MallocArenas {
    static func limitToCores() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which Swift's Glibc module leaves out.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mArenaMax: Int32 = -8
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }
}
