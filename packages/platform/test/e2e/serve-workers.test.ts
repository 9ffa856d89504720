import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BIN,
  WEATHER,
  ballast,
  ballastOk,
  cleanEnv,
  ensureBuilt,
} from './support/ballast-process.js'

const RECORD = { date: '2015-06-01', precipitation: 0, temp_max: 25, temp_min: 12, wind: 3 }

/** The pids of a process's children (Linux `ps`). */
const childrenOf = (pid: number): number[] =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)

describe('ballast serve --workers', () => {
  let dir: string

  beforeAll(async () => {
    ensureBuilt()
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-serve-workers-'))
    await ballastOk(['--home', 'h', 'data', 'ingest', WEATHER, '--name', 'weather'], dir)
    await ballastOk(
      [
        ...['--home', 'h', 'train', '--dataset', 'weather@1', '--target', 'weather'],
        ...['--task', 'classification', '--algo', 'gbdt', '--param', 'numTrees=10'],
        ...['--register', 'w'],
      ],
      dir,
    )
    await ballastOk(['--home', 'h', 'deploy', 'create', 'weather', '--model', 'w/1'], dir)
  }, 300_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('answers on one port from two processes and drains both on SIGTERM', async () => {
    const serve = spawn(
      process.execPath,
      [BIN, '--home', 'h', 'serve', '--deployment', 'weather', '--port', '0', '--workers', '2'],
      { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    serve.stderr.resume()
    const exited = new Promise<number | null>((resolve) => serve.once('exit', resolve))
    let printed = ''
    const url = await new Promise<string>((resolve, reject) => {
      serve.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString()
        const found = /listening on (http:\/\/\S+)/.exec(printed)
        if (found && printed.includes('auth:')) resolve(found[1]!)
      })
      void exited.then((code) => reject(new Error(`serve exited ${code}`)))
    })
    expect(printed).toContain('  workers: 2\n')
    expect(childrenOf(serve.pid!)).toHaveLength(2)

    // Separate connections, so that the primary hands them to both workers.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await fetch(`${url}/api/v1/deployments/weather/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ records: [RECORD] }),
        })
        return { status: response.status, body: (await response.json()) as { version: number } }
      }),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200))
    expect(new Set(answers.map((a) => a.body.version))).toEqual(new Set([1]))

    serve.kill('SIGTERM')
    expect(await exited).toBe(0)
    // Both workers flushed their prediction logs before they exited.
    const exported = await ballastOk(
      ['--home', 'h', 'predictions', 'export', 'weather', '--output', 'p.parquet'],
      dir,
    )
    expect(exported).toContain('(40 predictions, 0 with a label)')
  }, 120_000)

  it('refuses a worker count that is not a whole number from 1 to 64', async () => {
    const result = await ballast(
      ['--home', 'h', 'serve', '--deployment', 'weather', '--workers', '0'],
      dir,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("option '--workers <n>' argument '0' is invalid")
  })

  it('fails fast on a deployment that does not exist, starting no worker', async () => {
    const result = await ballast(
      ['--home', 'h', 'serve', '--deployment', 'nope', '--port', '0', '--workers', '2'],
      dir,
    )
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('nope')
  })
})
