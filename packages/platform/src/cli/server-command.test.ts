import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox, type CliResult } from './test-support/run-cli.js'

/** `ballast server` in process, and every read command giving the same JSON through it. */
describe('ballast server and --url', () => {
  const sandbox = cliSandbox()
  const stop = new AbortController()
  let url = ''
  let serving: Promise<CliResult>
  let runId = ''

  beforeAll(async () => {
    runId = await sandbox.seed(async (ballast) => {
      const run = await ballast.startRun({ experiment: 'remote', name: 'r1' })
      run.logParam('depth', 6)
      run.logMetric('rmse', 0.25, 3)
      await run.end()
      return run.id
    })
    let announced: (url: string) => void = () => {}
    const listening = new Promise<string>((resolve) => (announced = resolve))
    let printed = ''
    serving = sandbox.run(['server', '--port', '0'], {
      signal: stop.signal,
      onStdout: (text) => {
        printed += text
        const match = /listening on (http:\/\/\S+)/.exec(printed)
        if (match) announced(match[1]!)
      },
    })
    url = await Promise.race([
      listening,
      serving.then((r) => Promise.reject(new Error(`server exited ${r.code}: ${r.stderr}`))),
    ])
  })
  afterAll(async () => {
    stop.abort()
    await serving
    sandbox.dispose()
  })

  it('prints its URL and where it stores data', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const health = await fetch(`${url}/health/live`)
    expect(health.status).toBe(200)
  })

  it('gives the same --json output with --url as with --home', async () => {
    const commands = [
      ['experiments', 'list'],
      ['runs', 'list', '--experiment', 'remote'],
      ['runs', 'show', runId],
      ['runs', 'search', '--filter', 'metrics.rmse < 1'],
    ]
    for (const command of commands) {
      const local = await sandbox.run([...command, '--json'])
      const remote = await sandbox.run([...command, '--json', '--url', url], { home: false })
      expect(local.code).toBe(0)
      expect(remote).toEqual(local)
    }
  })

  it('gives the same exit code and message for a missing run either way', async () => {
    const local = await sandbox.run(['runs', 'show', 'ffffffffffffffffffffffffffffffff'])
    const remote = await sandbox.run(
      ['runs', 'show', 'ffffffffffffffffffffffffffffffff', '--url', url],
      { home: false },
    )
    expect(local.code).toBe(3)
    expect(remote).toEqual(local)
  })

  it('stops when asked and exits 0', async () => {
    stop.abort()
    const result = await serving
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^ballast server listening on http:\/\/127\.0\.0\.1:\d+\n {2}metadata store: .+\n {2}artifact store: .+\n {2}auth: off \(loopback only\)\n$/,
    )
    await expect(fetch(`${url}/health/live`)).rejects.toThrow()
  })
})
