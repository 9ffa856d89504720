import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ListMonitorsResponse, MonitorResultsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../monitoring/monitors/test-support/monitored-deployment.js'
import { cliSandbox } from './test-support/run-cli.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`
// Whole seconds, as the tables print them.
const SINCE = Math.floor((Date.now() - 7_200_000) / 1000) * 1000
const SINCE_TEXT = new Date(SINCE).toISOString().replace('.000Z', 'Z')
const SERVED = Date.now() - 3_600_000

describe('ballast monitor on deployments', () => {
  const sandbox = cliSandbox()
  let d: MonitoredDeployment
  // The CLI reads the store the deployment and its prediction log were written to.
  let store: string[]
  beforeAll(async () => {
    d = await openMonitoredDeployment()
    store = ['--db', d.t.store.description, '--artifacts', path.join(d.t.dir, 'artifacts')]
  }, 120_000)
  afterAll(async () => {
    await d.dispose()
    sandbox.dispose()
  })
  const run = (args: string[]) => sandbox.run([...args, ...store])
  const json = <T>(args: string[]) => sandbox.json<T>([...args, ...store])

  it('creates monitors, with a webhook, and lists them', async () => {
    const created = await run([
      'monitor',
      'create',
      '--deployment',
      'loans',
      '--every',
      '500 predictions',
      '--since',
      SINCE_TEXT,
      '--tolerance',
      '0.1',
      '--webhook',
      'https://8.8.8.8/hook',
      '--webhook-secret',
      'whsec_0123456789abcdef',
    ])
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(
      new RegExp(
        `^created monitor 'loans' on deployment 'loans': every 500 predictions against training, from ${SINCE_TEXT}\n` +
          `added webhook [0-9a-f]{32}: https://8\\.8\\.8\\.8/hook\n` +
          'webhook secret \\(shown only now\\): whsec_0123456789abcdef\n$',
      ),
    )

    const hourly = await json<{ monitor: unknown }>([
      'monitor',
      'create',
      '--deployment',
      'loans',
      '--name',
      'loans-hourly',
      '--every',
      '1h',
      '--reference',
      'loans@1',
      '--stattest',
      'psi',
      '--num-stattest',
      'ks',
      '--cat-stattest',
      'jensenshannon',
      '--per-column-stattest',
      'region=chisquare',
      '--columns',
      'income, region',
      '--threshold',
      '0.2',
      '--drift-share',
      '0.4',
      '--detector',
      'ddm',
      '--min-labeled',
      '50',
      '--since',
      String(SINCE),
    ])
    expect(hourly).toEqual({
      monitor: {
        name: 'loans-hourly',
        deployment: 'loans',
        every: '1h',
        reference: 'loans@1',
        options: {
          stattest: 'psi',
          num_stattest: 'ks',
          cat_stattest: 'jensenshannon',
          per_column_stattest: { region: 'chisquare' },
          threshold: 0.2,
          drift_share: 0.4,
          columns: ['income', 'region'],
          detector: 'ddm',
          performance_tolerance: 0.05,
          min_labeled: 50,
          quality: { missing_share: 0.05, new_category_share: 0.01, out_of_range_share: 0.05 },
        },
        cursor: { time: SINCE, request_id: null },
        windows: 0,
        created_by: 'anonymous',
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      },
    })

    const list = await run(['monitor', 'list'])
    expect(list.stdout).toBe(
      [
        'NAME          DEPLOYMENT  EVERY            REFERENCE  WINDOWS  NEXT FROM',
        `loans         loans       500 predictions  training   0        ${SINCE_TEXT}`,
        `loans-hourly  loans       1h               loans@1    0        ${SINCE_TEXT}`,
        '',
      ].join('\n'),
    )
    const listed = await json<ListMonitorsResponse>(['monitor', 'list'])
    expect(listed.monitors.map((m) => [m.name, m.every, m.options.performance_tolerance])).toEqual([
      ['loans', '500 predictions', 0.1],
      ['loans-hourly', '1h', 0.05],
    ])
  })

  it('runs due windows and prints them; results as a table, JSON and an HTML page', async () => {
    const random = seeded(27)
    const usual = applicants(1000, random)
    await d.label(await d.serve(usual.rows, SERVED), usual.labels)
    await d.serve(applicants(500, random, { incomeMean: 75, regions: ['east'] }).rows, SERVED + 1)

    const ran = await run(['monitor', 'run', 'loans'])
    expect(ran.code).toBe(0)
    const lines = ran.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(
      'WINDOW  END                   ROWS  LABELED  DRIFT SHARE  DRIFTED  PRED DRIFT  QUALITY FAILS  ACCURACY  ROC AUC  EST ACCURACY  EST ROC AUC  RMSE  EVENTS',
    )
    const cells = lines.slice(1).map((l) => l.split(/ {2,}/))
    expect(cells.map((c) => [c[0], c[2], c[3], c[4], c[5], c[6], c[7], c[12], c[13]])).toEqual([
      // Prediction drift against the 600 held-out test rows: a KS p-value (Evidently's choice
      // for a reference of at most 1,000 rows), drifted below 0.05.
      ['1', '500', '500', '0.000', 'no', '0.996', '0', '-', '-'],
      ['2', '500', '500', '0.000', 'no', '0.858', '0', '-', '-'],
      [
        '3',
        '500',
        '0',
        '0.667',
        'yes',
        '0.000',
        '1',
        '-',
        'drift_detected,data_quality_failed,performance_degraded',
      ],
    ])
    expect(cells[0]![1]).toMatch(new RegExp(`^${TIME}$`))
    // Realized metrics need labels; the estimate needs none.
    expect(cells.map((c) => [c[8] !== '-', c[9] !== '-', c[10] !== '-', c[11] !== '-'])).toEqual([
      [true, true, true, true],
      [true, true, true, true],
      [false, false, true, true],
    ])

    const again = await run(['monitor', 'run', 'loans'])
    expect(again.stdout).toBe('no window is due\n')

    const results = await json<MonitorResultsResponse>([
      'monitor',
      'results',
      'loans',
      '--limit',
      '2',
    ])
    expect(results.results.map((r) => [r.window, r.rows, r.labeled, r.events])).toEqual([
      [2, 500, 500, []],
      [3, 500, 0, ['drift_detected', 'data_quality_failed', 'performance_degraded']],
    ])
    expect(results.results[1]!.drift?.drift_by_columns.income?.drift_detected).toBe(true)

    const table = await run(['monitor', 'results', 'loans', '--html', 'report.html'])
    expect(table.stdout).toBe(ran.stdout)
    expect(table.stderr).toBe(`wrote ${path.join(sandbox.dir, 'report.html')}\n`)
    const html = readFileSync(path.join(sandbox.dir, 'report.html'), 'utf8')
    expect(html).toContain('<title>Monitor loans</title>')

    const shown = await run(['monitor', 'show', 'loans'])
    expect(shown.stdout).toContain('every:        500 predictions\n')
    expect(shown.stdout).toContain('windows:      3\ndue:          0\n')
    expect(shown.stdout).toMatch(/\nWINDOW +END[^\n]+\n3 +/)
  })

  it('lists events, webhooks and deliveries; removes a webhook', async () => {
    const events = await run(['monitor', 'events', 'loans'])
    const rows = events.stdout.trimEnd().split('\n')
    expect(rows[0]).toMatch(/^ID +TIME +MONITOR +DEPLOYMENT +TYPE +WINDOW +DETAIL$/)
    expect(rows.slice(1).map((r) => r.split(/ {2,}/).slice(2))).toEqual([
      [
        'loans',
        'loans',
        'performance_degraded',
        '3',
        "estimated roc_auc 0.67 is below its estimate on the model's held-out test rows 0.8566 by more than 0.1",
      ],
      ['loans', 'loans', 'data_quality_failed', '3', 'income out_of_range 0.148'],
      ['loans', 'loans', 'drift_detected', '3', 'drifted: income, region; predictions drifted'],
    ])
    const drift = await json<{ events: { type: string; window: number }[] }>([
      'monitor',
      'events',
      '--deployment',
      'loans',
      '--type',
      'drift_detected',
    ])
    expect(drift.events.map((e) => [e.type, e.window])).toEqual([['drift_detected', 3]])

    const hooks = await json<{ webhooks: { id: string }[] }>([
      'monitor',
      'webhook',
      'list',
      'loans',
    ])
    const id = hooks.webhooks[0]!.id
    const deliveries = await run(['monitor', 'deliveries', 'loans'])
    expect(deliveries.stdout.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(new RegExp(`^\\d+ +\\d+ +${id} +pending +0 +- +- +${TIME} +-$`)),
      expect.stringMatching(new RegExp(`^\\d+ +\\d+ +${id} +pending +0 +- +- +${TIME} +-$`)),
    ])
    const removed = await run(['monitor', 'webhook', 'remove', 'loans', id])
    expect(removed.stdout).toBe(`removed webhook ${id} from monitor 'loans'\n`)
    expect((await run(['monitor', 'webhook', 'list', 'loans'])).stdout).toBe('no webhooks\n')
  })

  it('exits 3 for an unknown deployment or monitor, 2 for bad input, and deletes', async () => {
    const unknown = await run(['monitor', 'create', '--deployment', 'nope'])
    expect(unknown).toMatchObject({
      code: 3,
      stdout: '',
      stderr: "error: Deployment 'nope' not found\n",
    })
    const missing = await run(['monitor', 'show', 'nope'])
    expect(missing).toMatchObject({ code: 3, stderr: "error: Monitor 'nope' does not exist\n" })
    const badEvery = await run([
      'monitor',
      'create',
      '--deployment',
      'loans',
      '--name',
      'x',
      '--every',
      '1w',
    ])
    expect(badEvery.code).toBe(2)
    expect(badEvery.stderr).toMatch(/^error: Invalid value for parameter 'every': '1w'/)
    const secretAlone = await run([
      'monitor',
      'create',
      '--deployment',
      'loans',
      '--webhook-secret',
      's',
    ])
    expect(secretAlone).toMatchObject({
      code: 2,
      stderr: "error: '--webhook-secret' needs '--webhook URL'\n",
    })
    const duplicate = await run(['monitor', 'create', '--deployment', 'loans'])
    expect(duplicate).toMatchObject({ code: 1, stderr: "error: Monitor 'loans' already exists\n" })

    expect((await run(['monitor', 'delete', 'loans-hourly'])).stdout).toBe(
      "deleted monitor 'loans-hourly'\n",
    )
    const left = await json<ListMonitorsResponse>(['monitor', 'list'])
    expect(left.monitors.map((m) => m.name)).toEqual(['loans'])
  })
})
