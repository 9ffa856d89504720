import type { RunRecord, SearchRunsResponse } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

describe('ballast runs', () => {
  const sandbox = cliSandbox()
  const ids: Record<string, string> = {}
  let experimentId = ''

  beforeAll(async () => {
    await sandbox.seed(async (ballast) => {
      experimentId = (await ballast.experiment('churn')).id
      for (const [name, lr, auc] of [
        ['a', 0.1, 0.8],
        ['b', 0.2, 0.9],
        ['c', 0.3, 0.95],
      ] as const) {
        const run = await ballast.startRun({ experiment: 'churn', name, tags: { owner: 'ana' } })
        run.logParams({ lr, model: 'gbm' })
        run.logMetric('auc', auc - 0.1, 0)
        run.logMetric('auc', auc, 1)
        await run.end()
        ids[name] = run.id
      }
      await ballast.startRun({ experiment: 'other', name: 'z' }).then((run) => run.end())
    })
  })
  afterAll(() => sandbox.dispose())

  it('lists the runs of an experiment by name or id, as the API JSON', async () => {
    const byName = await sandbox.json<SearchRunsResponse>(['runs', 'list', '--experiment', 'churn'])
    expect(byName.runs?.map((r) => r.info.run_name).sort()).toEqual(['a', 'b', 'c'])
    expect(byName.runs?.every((r) => r.info.experiment_id === experimentId)).toBe(true)
    const byId = await sandbox.json<SearchRunsResponse>([
      'runs',
      'list',
      '--experiment',
      experimentId,
    ])
    expect(byId).toEqual(byName)
  })

  it('stops at --max and says that more runs match', async () => {
    const json = await sandbox.json<SearchRunsResponse>([
      'runs',
      'list',
      '--experiment',
      'churn',
      '--max',
      '2',
    ])
    expect(json.runs).toHaveLength(2)
    expect(typeof json.next_page_token).toBe('string')
    const table = await sandbox.run(['runs', 'list', '--experiment', 'churn', '--max', '2'])
    expect(table.code).toBe(0)
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3)
    expect(table.stdout).toMatch(/^RUN ID +EXPERIMENT +NAME +STATUS +STARTED +DURATION\n/)
    expect(table.stderr).toBe('more runs match; showing the first 2 (use --max to see more)\n')
  })

  it('shows one run: info, params, latest metrics and tags', async () => {
    const json = await sandbox.json<{ run: RunRecord }>(['runs', 'show', ids.b!])
    expect(json.run.info).toMatchObject({ run_id: ids.b, run_name: 'b', status: 'FINISHED' })
    expect(json.run.data.metrics).toEqual([
      expect.objectContaining({ key: 'auc', value: 0.9, step: 1 }),
    ])

    const text = (await sandbox.run(['runs', 'show', ids.b!])).stdout
    expect(text).toContain(`run:         ${ids.b}\n`)
    expect(text).toContain('status:      FINISHED\n')
    expect(text).toContain('\nparams\nKEY    VALUE\nlr     0.2\nmodel  gbm\n')
    expect(text).toMatch(/\nmetrics \(latest\)\nKEY +VALUE +STEP +LOGGED\nauc +0\.9 +1 +\d{4}-/)
    expect(text).toMatch(/\ntags\nKEY +VALUE\n(.*\n)*owner +ana\n/)
  })

  it('searches with a filter and an order, showing the columns they name', async () => {
    const args = [
      'runs',
      'search',
      '--filter',
      'metrics.auc > 0.85',
      '--order-by',
      'metrics.auc DESC',
    ]
    const json = await sandbox.json<SearchRunsResponse>(args)
    expect(json.runs?.map((r) => r.info.run_name)).toEqual(['c', 'b'])
    const table = await sandbox.run([...args, '--experiment', 'churn'])
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/ +DURATION +metrics\.auc$/)
    expect(lines[1]).toMatch(new RegExp(`^${ids.c} .* 0\\.95$`))
    expect(lines[2]).toMatch(new RegExp(`^${ids.b} .* 0\\.9$`))
  })

  it('searches every experiment when none is named', async () => {
    const json = await sandbox.json<SearchRunsResponse>([
      'runs',
      'search',
      '--filter',
      "params.model = 'gbm'",
    ])
    expect(json.runs).toHaveLength(3)
    const all = await sandbox.json<SearchRunsResponse>(['runs', 'search'])
    expect(all.runs?.map((r) => r.info.run_name).sort()).toEqual(['a', 'b', 'c', 'z'])
  })

  it('exits 3 for a missing run or experiment, 2 for a bad filter', async () => {
    const missingRun = await sandbox.run(['runs', 'show', 'ffffffffffffffffffffffffffffffff'])
    expect(missingRun.code).toBe(3)
    expect(missingRun.stdout).toBe('')
    expect(missingRun.stderr).toMatch(/^error: .*ffffffffffffffffffffffffffffffff/)

    const missingExperiment = await sandbox.run(['runs', 'list', '--experiment', 'nope'])
    expect(missingExperiment.code).toBe(3)
    expect(missingExperiment.stderr).toBe("error: no experiment named 'nope' or with id 'nope'\n")

    const badFilter = await sandbox.run([
      'runs',
      'search',
      '--experiment',
      'churn',
      '--filter',
      'metrics.auc >>> 1',
    ])
    expect(badFilter.code).toBe(2)
    expect(badFilter.stderr).toMatch(/^error: .+\n$/)
  })
})
