/**
 * HTTP load generators for the serving benchmark, each run in its own process: autocannon (npm,
 * always present) and wrk (C, from the distribution's packages, used when it is on the PATH).
 * Both keep a fixed number of keep-alive connections busy, one request at a time on each, and
 * report latency percentiles over every answered request.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface LoadRun {
  url: string
  /** JSON request body, POSTed with content-type application/json. */
  body: string
  connections: number
  seconds: number
}

export interface LoadSummary {
  p50: number
  p99: number
  rps: number
  total: number
  /** Connection errors and timeouts. */
  errors: number
  non2xx: number
}

export interface LoadGenerator {
  name: string
  run(load: LoadRun): Promise<LoadSummary>
}

/** Runs a command and resolves with its standard output; rejects on a non-zero exit. */
function output(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => (out += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${command} exited with code ${code}`))
      else resolve(out)
    })
  })
}

interface AutocannonJson {
  latency: { p50: number; p99: number }
  requests: { average: number; total: number }
  errors: number
  timeouts: number
  non2xx: number
}

export const autocannon: LoadGenerator = {
  name: 'autocannon',
  async run({ url, body, connections, seconds }) {
    const cli = createRequire(import.meta.url).resolve('autocannon')
    const json = await output(process.execPath, [
      ...[cli, '--json', '--no-progress'],
      ...['-c', String(connections), '-d', String(seconds), '-m', 'POST'],
      ...['-H', 'content-type=application/json', '-b', body, url],
    ])
    const result = JSON.parse(json) as AutocannonJson
    return {
      p50: result.latency.p50,
      p99: result.latency.p99,
      rps: result.requests.average,
      total: result.requests.total,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    }
  },
}

/** wrk's duration in milliseconds: `850.00us`, `1.23ms`, `2.01s`. */
export function wrkMilliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim())
  if (!match) throw new Error(`wrk printed a latency this cannot read: '${text}'`)
  const scale = { us: 1e-3, ms: 1, s: 1e3, m: 6e4 }[match[2] as 'us' | 'ms' | 's' | 'm']
  return Number(match[1]) * scale
}

/** Reads the summary `wrk --latency` prints. */
export function parseWrk(text: string): LoadSummary {
  const find = (pattern: RegExp, what: string): RegExpExecArray => {
    const match = pattern.exec(text)
    if (!match) throw new Error(`wrk's output has no ${what}:\n${text}`)
    return match
  }
  const percentile = (p: number) =>
    wrkMilliseconds(find(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'), `${p}% latency`)[1]!)
  const total = Number(find(/^\s+(\d+) requests in /m, 'request count')[1])
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  return {
    p50: percentile(50),
    p99: percentile(99),
    rps: Number(find(/^Requests\/sec:\s+([\d.]+)/m, 'requests per second')[1]),
    total,
    errors: socket ? socket.slice(1).reduce((a, n) => a + Number(n), 0) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
  }
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined
}

/** wrk with `threads` threads; the POST body goes through a Lua script, as wrk wants it. */
export function wrk(threads: number): LoadGenerator {
  return {
    name: `wrk (${threads} thread${threads === 1 ? '' : 's'})`,
    async run({ url, body, connections, seconds }) {
      const dir = mkdtempSync(path.join(tmpdir(), 'ballast-wrk-'))
      try {
        const script = path.join(dir, 'post.lua')
        writeFileSync(
          script,
          `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n` +
            `wrk.body = ${JSON.stringify(body)}\n`,
        )
        const text = await output('wrk', [
          ...['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`],
          ...['--latency', '-s', script, url],
        ])
        return parseWrk(text)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
