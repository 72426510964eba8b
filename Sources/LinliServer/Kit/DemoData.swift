import Foundation
import LinliData

/// `linli demo`'s data: every capability's part, in the order of the list.
public enum DemoData {
    /// Loads each capability's part into an empty database and hands on what each says it loaded.
    public static func load(_ demo: DemoContext, report: (String) -> Void) async throws {
        for capability in Capabilities.all {
            guard let step = capability.demo else { continue }
            if let line = try await step.load(demo) { report(line) }
        }
    }
}
