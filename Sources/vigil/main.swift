import Dashboard
import Monitor
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

// The executable is thin: parse, load settings, hand over to a mode.

let environment = ProcessEnvironment.current()
let status = Vigil.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
exit(status)
