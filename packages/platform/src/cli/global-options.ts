import { type Command, InvalidArgumentError } from 'commander'
import { type Config, loadConfig } from '../config/index.js'
import type { CliStreams } from './output.js'

/** The options every `ballast` command takes, wherever they appear on the command line. */
export interface GlobalOptions {
  home?: string
  db?: string
  artifacts?: string
  config?: string
  url?: string
  token?: string
  json?: boolean
}

/** What a command needs from its caller besides the command line. */
export interface CliEnvironment {
  /** Only `BALLAST_*` keys are read, by loadConfig. */
  env: Record<string, string | undefined>
  cwd: string
}

/** Everything a command touches outside its arguments; tests pass their own. */
export interface CliIo extends CliStreams, CliEnvironment {
  /** Aborting stops a running `ballast server`, as SIGINT and SIGTERM do. */
  signal?: AbortSignal
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option(
      '--home <dir>',
      'Ballast home folder: the SQLite file and local artifacts (BALLAST_HOME)',
    )
    .option('--db <url>', 'metadata store: a SQLite file, sqlite:PATH or postgres://… (BALLAST_DB)')
    .option(
      '--artifacts <url>',
      'artifact store: a folder or s3://bucket/prefix (BALLAST_ARTIFACTS)',
    )
    .option('--config <file>', 'YAML configuration file (default ./ballast.yaml when present)')
    .option(
      '--url <url>',
      'act through the Ballast server at this URL instead of the store (BALLAST_URL)',
    )
    .option('--token <token>', 'access token for --url (BALLAST_TOKEN)')
    .option('--json', 'print the API JSON instead of tables')
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>()
}

/**
 * The configuration for a command: flags > BALLAST_* environment > ballast.yaml > defaults.
 * `extraFlags` are keyed by config path (`server.port`).
 */
export function configFrom(
  options: GlobalOptions,
  environment: CliEnvironment,
  extraFlags: Record<string, unknown> = {},
): Config {
  return loadConfig({
    flags: {
      home: options.home,
      db: options.db,
      artifacts: options.artifacts,
      url: options.url,
      token: options.token,
      ...extraFlags,
    },
    ...(options.config === undefined ? {} : { configFile: options.config }),
    env: environment.env,
    cwd: environment.cwd,
  })
}

/** The configuration and output mode of the command being run. */
export function commandSettings(
  command: Command,
  io: CliIo,
  extraFlags: Record<string, unknown> = {},
): { config: Config; json: boolean } {
  const options = globalOptions(command)
  return { config: configFrom(options, io, extraFlags), json: options.json === true }
}

/** Commander parser for `--max N` and the like. */
export function positiveInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1')
  }
  return n
}

/** Commander parser for repeatable options: `--order-by a --order-by b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** Commander parser for repeatable `--tag key=value`. */
export function collectKeyValue(
  value: string,
  previous: Array<{ key: string; value: string }> | undefined,
): Array<{ key: string; value: string }> {
  const at = value.indexOf('=')
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`)
  return [...(previous ?? []), { key: value.slice(0, at), value: value.slice(at + 1) }]
}

/** Commander parser for `--columns a,b`: the names, trimmed, at least one. */
export function commaList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) throw new InvalidArgumentError('expected comma-separated column names')
  return names
}

/** Commander parser for `--threshold 0.1` and the like: any finite number. */
export function finite(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError('expected a number')
  return n
}
