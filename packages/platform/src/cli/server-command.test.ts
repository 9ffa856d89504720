import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox, type CliResult } from './test-support/run-cli.js'

const WEATHER = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)

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

  it('validates and profiles a stored dataset version the same way with --url', async () => {
    expect((await sandbox.run(['data', 'ingest', WEATHER, '--name', 'weather'])).code).toBe(0)
    const suite = path.join(sandbox.dir, 'suite.json')
    writeFileSync(
      suite,
      JSON.stringify({
        expectations: [
          {
            expectation_type: 'expect_column_values_to_be_between',
            kwargs: { column: 'temp_max', max_value: 30 },
          },
        ],
      }),
    )
    const commands = [
      ['data', 'list'],
      ['data', 'show', 'weather'],
      ['data', 'validate', 'weather@1', '--suite', suite],
      ['data', 'infer-suite', 'weather'],
    ]
    for (const command of commands) {
      const local = await sandbox.run([...command, '--json'])
      const remote = await sandbox.run([...command, '--json', '--url', url], { home: false })
      expect(remote).toEqual(local)
    }
    const validate = await sandbox.run(
      ['data', 'validate', 'weather@1', '--suite', suite, '--url', url],
      {
        home: false,
      },
    )
    expect(validate.code).toBe(1)
    expect(validate.stdout).toContain('unexpected 53 of 1461 (3.63%)')
  })

  it('runs an embedded worker, listed by the workers API', async () => {
    const res = await fetch(`${url}/api/v1/workers`)
    const { workers } = (await res.json()) as { workers: Array<{ pid: number }> }
    expect(workers.map((w) => w.pid)).toEqual([process.pid])
  })

  it('stops when asked and exits 0', async () => {
    stop.abort()
    const result = await serving
    expect(result.code).toBe(0)
    expect(
      await sandbox.seed((_b, runtime) => runtime.services.jobs.liveWorkers(undefined, 60_000)),
    ).toEqual([])
    expect(result.stdout).toMatch(
      /^ballast server listening on http:\/\/127\.0\.0\.1:\d+\n {2}metadata store: .+\n {2}artifact store: .+\n {2}auth: off \(loopback only\)\n$/,
    )
    await expect(fetch(`${url}/health/live`)).rejects.toThrow()
  })
})
