import type { OpsReportWire } from '@ballast/contracts'
import { afterAll, describe, expect, it } from 'vitest'
import { formatOpsReport } from './report-command.js'
import { cliSandbox } from './test-support/run-cli.js'

const REPORT: OpsReportWire = {
  since: null,
  lead_time: {
    median_ms: 5_400_000,
    versions: [
      {
        deployment: 'loans',
        model: 'loans',
        version: 2,
        run_started_at: Date.UTC(2026, 1, 3, 8),
        promoted_at: Date.UTC(2026, 1, 3, 9, 30),
        lead_time_ms: 5_400_000,
      },
    ],
  },
  deployments_per_week: [{ week: '2026-W06', deployments: 2 }],
  rollbacks: {
    count: 1,
    list: [
      {
        deployment: 'loans',
        time: Date.UTC(2026, 1, 4),
        actor: 'bob',
        from_version: 2,
        to_version: 1,
      },
    ],
  },
  drift_to_promotion: [],
  accuracy_over_time: [
    {
      deployment: 'loans',
      monitor: 'loans-drift',
      window_end: Date.UTC(2026, 1, 4),
      realized: 0.8125,
      estimated: null,
    },
  ],
  cost: [
    {
      deployment: 'loans',
      version: 1,
      predictions: 2000,
      cpu_seconds: 3,
      cpu_seconds_per_1000: 1.5,
    },
  ],
}

describe('ballast report ops', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it('prints one table per measure', () => {
    expect(formatOpsReport(REPORT)).toBe(
      [
        'LEAD TIME (median 1.5 h)',
        'DEPLOYMENT  MODEL  VERSION  RUN STARTED           PROMOTED              HOURS',
        'loans       loans  2        2026-02-03T08:00:00Z  2026-02-03T09:30:00Z  1.5',
        '',
        'DEPLOYMENTS PER WEEK',
        'WEEK      DEPLOYMENTS',
        '2026-W06  2',
        '',
        'ROLLBACKS (1)',
        'DEPLOYMENT  TIME                  FROM  TO  BY',
        'loans       2026-02-04T00:00:00Z  2     1   bob',
        '',
        'DRIFT TO PROMOTION',
        '(none)',
        '',
        'ACCURACY OVER TIME',
        'DEPLOYMENT  MONITOR      WINDOW END            REALIZED  ESTIMATED',
        'loans       loans-drift  2026-02-04T00:00:00Z  0.8125    -',
        '',
        'COST',
        'DEPLOYMENT  VERSION  PREDICTIONS  CPU SECONDS  CPU S / 1000',
        'loans       1        2000         3            1.5',
        '',
      ].join('\n'),
    )
  })

  it('reports an empty platform through the API, as tables and as JSON', async () => {
    const text = await sandbox.run(['report', 'ops'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(
      'LEAD TIME (median - h)\n(none)\n\nDEPLOYMENTS PER WEEK\n(none)\n',
    )
    const json = await sandbox.json<OpsReportWire>([
      'report',
      'ops',
      '--since',
      '2026-01-01T00:00:00Z',
    ])
    expect(json).toEqual({
      since: Date.UTC(2026, 0, 1),
      lead_time: { median_ms: null, versions: [] },
      deployments_per_week: [],
      rollbacks: { count: 0, list: [] },
      drift_to_promotion: [],
      accuracy_over_time: [],
      cost: [],
    })
  })

  it('names what lineage cannot find, with the not-found exit code', async () => {
    const missing = await sandbox.run(['lineage', 'prediction', 'req-9'])
    expect(missing).toMatchObject({
      code: 3,
      stderr: "error: Prediction 'req-9' not found in the log of any deployment\n",
    })
    // The slash of the ref travels encoded and reaches the registry whole.
    expect(await sandbox.run(['lineage', 'model', 'nope/1'])).toMatchObject({
      code: 3,
      stderr: 'error: Model Version (name=nope, version=1) not found\n',
    })
  })
})
