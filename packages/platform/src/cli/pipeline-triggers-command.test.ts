import type { FiringsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkTriggers } from '../orchestration/index.js'
import { triggeredSpec } from '../orchestration/triggers/test-support/fake-pipelines.js'
import { cliSandbox } from './test-support/run-cli.js'

// Whole minutes, so that the table's times are exact.
const NOW = Math.floor(Date.now() / 60_000) * 60_000

describe('ballast pipeline firings', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      const { services } = runtime
      await services.orchestration.pipelines.apply(
        triggeredSpec('retrain', [{ kind: 'schedule', cron: '* * * * *' }], {
          maxRunsPerDay: 1,
          debounceMs: 0,
        }),
        'alice',
      )
      const deps = {
        store: runtime.store,
        pipelines: services.orchestration.pipelines,
        data: services.data,
        monitors: services.monitoring.monitors,
      }
      await checkTriggers(deps, NOW - 120_000)
      await checkTriggers(deps, NOW - 60_000)
      await checkTriggers(deps, NOW)
    })
  }, 60_000)
  afterAll(() => sandbox.dispose())

  async function run(args: string[]) {
    const result = await sandbox.run(args)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    return result.stdout
  }

  it('prints each firing with its outcome and run, newest first', async () => {
    const json = JSON.parse(
      await run(['pipeline', 'firings', 'retrain', '--json']),
    ) as FiringsResponse
    expect(json.firings.map((f) => [f.time, f.outcome])).toEqual([
      [NOW, 'capped'],
      [NOW - 60_000, 'started'],
    ])
    const runId = json.firings[1]!.run_id!
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')
    expect((await run(['pipeline', 'firings', 'retrain'])).split('\n')).toEqual([
      expect.stringMatching(/^TIME +TRIGGER +KIND +REASON +OUTCOME$/),
      expect.stringMatching(new RegExp(`^${iso(NOW)} +0 +schedule +\\* \\* \\* \\* \\* +capped$`)),
      expect.stringMatching(
        new RegExp(`^${iso(NOW - 60_000)} +0 +schedule +\\* \\* \\* \\* \\* +started ${runId}$`),
      ),
      '',
    ])
    const limited = JSON.parse(
      await run(['pipeline', 'firings', 'retrain', '--limit', '1', '--json']),
    ) as FiringsResponse
    expect(limited.firings.map((f) => f.outcome)).toEqual(['capped'])
  })

  it('names a pipeline that does not exist, exiting 3', async () => {
    const result = await sandbox.run(['pipeline', 'firings', 'nope'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("'nope'")
  })
})
