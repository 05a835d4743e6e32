import Foundation
import ImapLogCommand
import ImapLogKit

// The command line's policy, and nothing else: the standard streams, the signals, the exit code.
Platform.ignoreBrokenPipeSignal()
Platform.returnFreedMemoryPromptly()
let console = StandardStreams()
let arguments = Array(CommandLine.arguments.dropFirst())
var status = Command.run(arguments: arguments, environment: ProcessInfo.processInfo.environment, console: console)
// A full share may refuse the last writes only when the file is closed (NFS, SMB).
if case .failed(let code) = Platform.closeStandardOutput(), status != .ioError {
    status = console.outputFailed(code, isCheck: status.isCheck)
}
exit(status.exitCode)
