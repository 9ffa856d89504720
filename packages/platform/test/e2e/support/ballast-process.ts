import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'

/** The built `ballast` command, run as a user runs it, for the end-to-end tests. */
export const PACKAGE = fileURLToPath(new URL('../../..', import.meta.url))
export const BIN = path.join(PACKAGE, 'bin', 'ballast.js')
export const WEATHER = path.join(
  PACKAGE,
  '..',
  '..',
  'node_modules',
  'vega-datasets',
  'data',
  'seattle-weather.csv',
)

export interface Spawned {
  code: number | null
  stdout: string
  stderr: string
}

/** This process's environment without BALLAST_* settings, which must not change an outcome. */
export const cleanEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BALLAST_')))

/** Builds the CLI when `dist` is missing (a test run straight after a clone). */
export function ensureBuilt(): void {
  if (!existsSync(path.join(PACKAGE, 'dist', 'cli', 'main.js'))) {
    execFileSync('npx', ['tsc', '-b', 'packages/platform'], {
      cwd: path.join(PACKAGE, '..', '..'),
      stdio: 'inherit',
    })
  }
}

export function ballast(args: string[], cwd: string): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: cleanEnv(), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** `ballast …` that must succeed: its standard output, or an error with its standard error. */
export async function ballastOk(args: string[], cwd: string): Promise<string> {
  const result = await ballast(args, cwd)
  if (result.code !== 0) throw new Error(`ballast ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

/** Every row of a Parquet file, as DuckDB gives them to JavaScript. */
export async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const sql = `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`
    return (await connection.runAndReadAll(sql)).getRowObjectsJS()
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

export interface SpawnedServer {
  url: string
  process: ChildProcess
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>
}

/** `ballast server --home h --port 0` in `cwd`; resolves with its URL once it listens. */
export async function spawnServer(cwd: string): Promise<SpawnedServer> {
  const server = spawn(process.execPath, [BIN, 'server', '--home', 'h', '--port', '0'], {
    cwd,
    env: { ...cleanEnv(), BALLAST_WORKER_POLL_MS: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Every request is logged to stderr: an unread pipe fills up and blocks the server's exit.
  server.stderr.resume()
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const found = /listening on (http:\/\/\S+)/.exec(out)
      if (found) resolve(found[1]!)
    })
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
  return {
    url,
    process: server,
    async stop() {
      if (server.exitCode !== null) return
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    },
  }
}
