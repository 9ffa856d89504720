import { readFileSync } from 'node:fs'
import { exitCodeFor } from '@ballast/contracts'
import { Command, CommanderError } from 'commander'
import { registerAuditCommand } from './audit-command.js'
import { registerGcCommand } from './gc-command.js'
import { registerDataCommand } from './data-command.js'
import { registerDataValidateCommands } from './data-validate-command.js'
import { registerDecisionsCommand } from './decisions-command.js'
import { registerDeployCommand } from './deploy-command.js'
import { registerExperimentsCommand } from './experiments-command.js'
import { ExitStatus } from './exit-status.js'
import { type CliIo, addGlobalOptions } from './global-options.js'
import { registerJobsCommand } from './jobs-command.js'
import { registerLineageCommand } from './lineage-command.js'
import { registerModelsCommand } from './models-command.js'
import { registerMonitorAlertCommands } from './monitor-alert-commands.js'
import { registerMonitorCommand } from './monitor-command.js'
import { registerMonitorDeploymentCommands } from './monitor-deployment-commands.js'
import { registerPipelineCommand } from './pipeline-command.js'
import { registerPredictCommand } from './predict-command.js'
import { registerPredictionsCommand } from './predictions-command.js'
import { registerReportCommand } from './report-command.js'
import { registerRunCommand } from './run-command.js'
import { registerRolloutsCommand } from './rollouts-command.js'
import { registerRunsCommand } from './runs-command.js'
import { registerServeCommand } from './serve-command.js'
import { registerDemoCommand } from './demo-command.js'
import { registerServerCommand } from './server-command.js'
import { registerTokensCommand } from './tokens-command.js'
import { registerTrainCommand } from './train-command.js'
import { registerWorkerCommand } from './worker-command.js'

export type { CliIo } from './global-options.js'

/** Exit code of a command line that commander refused (unknown option, missing argument…). */
export const USAGE_EXIT_CODE = 2

// src/cli and dist/cli are both two folders below the package root.
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

export function buildProgram(io: CliIo): Command {
  const program = new Command('ballast')
    .description('Ballast: experiment tracking and the MLOps platform around it')
    .version(VERSION)
    // Throw instead of exiting, and write where the caller says: runCli decides the exit code.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
  addGlobalOptions(program)
  registerDemoCommand(program, io)
  registerServerCommand(program, io)
  registerServeCommand(program, io)
  registerExperimentsCommand(program, io)
  registerRunsCommand(program, io)
  registerRunCommand(program, io)
  registerTrainCommand(program, io)
  registerPipelineCommand(program, io)
  registerModelsCommand(program, io)
  registerPredictCommand(program, io)
  registerDeployCommand(program, io)
  registerRolloutsCommand(program, io)
  registerDecisionsCommand(program, io)
  registerTokensCommand(program, io)
  registerAuditCommand(program, io)
  registerGcCommand(program, io)
  registerLineageCommand(program, io)
  registerReportCommand(program, io)
  registerJobsCommand(program, io)
  registerPredictionsCommand(program, io)
  registerWorkerCommand(program, io)
  registerDataValidateCommands(registerDataCommand(program, io), io)
  const monitor = registerMonitorCommand(program, io)
  registerMonitorDeploymentCommands(monitor, io)
  registerMonitorAlertCommands(monitor, io)
  return program
}

/**
 * Runs one `ballast` command line (without `node` and the script) and returns its exit code: 0 ok,
 * 2 bad usage or input, 3 not found, 4 auth, others by error code (see `exitCodeFor`). Errors are
 * printed as `error: <message>` on standard error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    // The command has reported its outcome already.
    if (error instanceof ExitStatus) return error.exitCode
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help, or the version) already.
      return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE
    }
    const message = error instanceof Error ? error.message : String(error)
    io.stderr.write(`error: ${message}\n`)
    return exitCodeFor(error)
  }
}
