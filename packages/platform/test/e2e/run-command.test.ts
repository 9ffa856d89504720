import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunRecord } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url))
const BIN = path.join(PACKAGE, 'bin', 'ballast.js')
const BUILT_COMMAND = path.join(PACKAGE, 'dist', 'cli', 'run-command.js')

const TRAIN_SCRIPT = `
const res = await fetch(process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/log-metric', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    run_id: process.env.MLFLOW_RUN_ID, key: 'loss', value: 0.5, timestamp: Date.now(), step: 0,
  }),
})
if (!res.ok) throw new Error('log-metric: ' + res.status)
console.log('epoch 1 loss 0.5')
`

const WAIT_SCRIPT = `
process.stdout.write('ready\\n')
setInterval(() => {}, 1000)
`

interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts the installed command in `cwd`, with no BALLAST_* setting of the machine. */
function start(args: string[], cwd: string): { child: ChildProcess; done: Promise<Finished> } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BALLAST_')),
  )
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: 'pipe' })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<Finished>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  )
  return { child, done }
}

function runIdOf(stderr: string): string {
  const match = /^ballast run: run ([0-9a-f]{32}) /.exec(stderr)
  if (match === null) throw new Error(`no run id in: ${stderr}`)
  return match[1]!
}

/** `ballast run` as a user starts it: the compiled CLI in its own process, real signals. */
describe('ballast run executable', () => {
  let dir: string

  beforeAll(() => {
    if (!existsSync(BUILT_COMMAND)) {
      execFileSync('npx', ['tsc', '-b', 'packages/platform'], {
        cwd: path.join(PACKAGE, '..', '..'),
        stdio: 'inherit',
      })
    }
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-run-e2e-'))
    writeFileSync(path.join(dir, 'train.mjs'), TRAIN_SCRIPT)
    writeFileSync(path.join(dir, 'wait.mjs'), WAIT_SCRIPT)
  }, 300_000)
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  async function showRun(runId: string): Promise<RunRecord> {
    const shown = await start(['runs', 'show', runId, '--home', 'h', '--json'], dir).done
    expect(shown.code).toBe(0)
    return (JSON.parse(shown.stdout) as { run: RunRecord }).run
  }

  it('serves the home to the script for the length of the run, then records it FINISHED', async () => {
    const { done } = start(
      ['--home', 'h', 'run', '--experiment', 'e2e', '--', process.execPath, 'train.mjs'],
      dir,
    )
    const result = await done
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('epoch 1 loss 0.5\n')
    const run = await showRun(runIdOf(result.stderr))
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.5 })])
  })

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`passes ${signal} on to the command, ends the run KILLED and exits ${code}`, async () => {
      const { child, done } = start(['--home', 'h', 'run', '--', process.execPath, 'wait.mjs'], dir)
      await new Promise<void>((resolve) => {
        const onData = (chunk: Buffer) => {
          if (!chunk.toString().includes('ready')) return
          child.stdout!.off('data', onData)
          resolve()
        }
        child.stdout!.on('data', onData)
      })
      child.kill(signal)
      const result = await done
      expect(result.code).toBe(code)
      expect(result.stderr).toMatch(new RegExp(`ended KILLED \\(signal ${signal}\\)\\n$`))
      const run = await showRun(runIdOf(result.stderr))
      expect(run.info.status).toBe('KILLED')
    })
  }
})
