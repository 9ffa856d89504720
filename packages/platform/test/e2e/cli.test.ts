import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url))
const BIN = path.join(PACKAGE, 'bin', 'ballast.js')
const BUILT_MAIN = path.join(PACKAGE, 'dist', 'cli', 'main.js')

interface Spawned {
  code: number | null
  stdout: string
  stderr: string
}

function ballast(args: string[], cwd: string): Promise<Spawned> {
  // Only what Node needs: no BALLAST_* setting of the machine may change the outcome.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BALLAST_')),
  )
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** The installed command: the bin script over the compiled CLI, as a user runs it. */
describe('ballast executable', () => {
  let dir: string

  beforeAll(() => {
    if (!existsSync(BUILT_MAIN)) {
      execFileSync('npx', ['tsc', '-b', 'packages/platform'], {
        cwd: path.join(PACKAGE, '..', '..'),
        stdio: 'inherit',
      })
    }
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-cli-e2e-'))
  }, 300_000)
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates an experiment on a new home and prints the API JSON', async () => {
    const result = await ballast(['experiments', 'create', 'spawned', '--home', 'h', '--json'], dir)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual(['experiment_id'])
    expect(existsSync(path.join(dir, 'h', 'ballast.db'))).toBe(true)
  })

  it('exits 3 with "error: …" on standard error for a missing run', async () => {
    const result = await ballast(
      ['runs', 'show', 'ffffffffffffffffffffffffffffffff', '--home', 'h'],
      dir,
    )
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^error: .*ffffffffffffffffffffffffffffffff.*\n$/)
  })
})
