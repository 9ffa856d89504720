import { afterAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

describe('ballast command line', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it("exits 2 with commander's message on an unknown option or command", async () => {
    const unknownOption = await sandbox.run(['experiments', 'list', '--colour'])
    expect(unknownOption.code).toBe(2)
    expect(unknownOption.stderr).toContain("error: unknown option '--colour'")
    const unknownCommand = await sandbox.run(['experimnts', 'list'])
    expect(unknownCommand.code).toBe(2)
    expect(unknownCommand.stderr).toContain("error: unknown command 'experimnts'")
    expect(unknownCommand.stderr).toContain('(Did you mean experiments?)')
  })

  it('exits 2 on a missing required option and a bad number', async () => {
    const missing = await sandbox.run(['runs', 'list'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(
      "error: required option '--experiment <name|id>' not specified",
    )
    const badMax = await sandbox.run(['runs', 'list', '--experiment', 'x', '--max', '0'])
    expect(badMax.code).toBe(2)
    expect(badMax.stderr).toContain(
      "error: option '--max <n>' argument '0' is invalid. expected a whole number of at least 1",
    )
    const badRole = await sandbox.run(['tokens', 'create', '--name', 'ci'])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toContain("required option '--role <role>' not specified")
  })

  it('exits 2 and names the flag when the configuration is invalid', async () => {
    const result = await sandbox.run(['experiments', 'list', '--db', 'mysql://db/x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'error: invalid configuration:\n  db: must be a SQLite file path, sqlite:PATH or postgres://… (from --db)\n',
    )
  })

  it('prints help with the global options, and the version, with exit code 0', async () => {
    const help = await sandbox.run(['runs', 'search', '--help'], { home: false })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: ballast runs search [options]')
    expect(help.stdout).toContain('--order-by <expr>')
    expect(help.stdout).toContain('--url <url>')
    const version = await sandbox.run(['--version'], { home: false })
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' })
  })

  it('reports an unreachable server with exit code 5', async () => {
    // Port 9 (discard) is closed on any test machine; no retries keep the test short.
    const result = await sandbox.run(['experiments', 'list', '--url', 'http://127.0.0.1:9'], {
      home: false,
    })
    expect(result.code).toBe(5)
    expect(result.stderr).toMatch(
      /^error: cannot reach http:\/\/127\.0\.0\.1:9\/api\/2\.0\/mlflow\/experiments\/search: fetch failed/,
    )
  }, 60_000)
})
