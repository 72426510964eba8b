import Foundation
import LinliCommands

// The `linli` command: the server and the operators' commands. See `linli --help`.
MallocArenas.limitToCores()
// Whatever this process writes (database, backups, exports, reports, photos; pg_dump's output too) is
// for the service's user alone, also when it is started by hand from a shell with umask 022.
umask(0o077)
await LinliCLI.main(Array(CommandLine.arguments.dropFirst()))
