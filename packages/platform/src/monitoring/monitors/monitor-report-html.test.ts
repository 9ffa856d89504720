import { describe, expect, it } from 'vitest'
import { computeDataDriftWithDistributions } from '../drift/data-drift.js'
import { categorySample, normalSample } from '../drift/test-support/evidently-oracle.js'
import { renderMonitorReportHtml } from './monitor-report-html.js'
import type { MonitorWindowResult, PerformanceResult } from './monitor-types.js'

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0)
const HOUR = 3_600_000

function classifier(accuracy: number, estimated: number): PerformanceResult {
  return {
    task: 'binary',
    labeled: 150,
    realized: { accuracy, roc_auc: accuracy + 0.05 },
    estimated: { accuracy: estimated, roc_auc: estimated + 0.04 },
    reference: { accuracy: 0.9, roc_auc: 0.95 },
    headline: { metric: 'roc_auc', maximize: true },
    detector: null,
    degraded: false,
    reasons: [],
  }
}

function window(
  n: number,
  share: number,
  extra: Partial<MonitorWindowResult> = {},
): MonitorWindowResult {
  return {
    monitor: 'churn<v2>',
    deployment: 'churn & co',
    window: n,
    start: T0 + (n - 1) * HOUR,
    end: T0 + n * HOUR,
    computedAt: T0 + n * HOUR + 1000,
    rows: 1000,
    labeled: 150,
    modelVersions: [3],
    reference: null,
    drift: {
      dataset_drift: share >= 0.5,
      drift_share: 0.5,
      number_of_columns: 4,
      number_of_drifted_columns: share * 4,
      share_of_drifted_columns: share,
      drift_by_columns: {},
    },
    predictionDrift: {
      column_name: 'prediction',
      column_type: 'cat',
      stattest_name: 'psi',
      stattest_threshold: 0.1,
      drift_score: share / 2,
      drift_detected: share / 2 > 0.1,
    },
    quality: { checks: [], failed: 0 },
    performance: classifier(0.9 - n / 100, 0.88),
    events: [],
    ...extra,
  }
}

describe('renderMonitorReportHtml', () => {
  const results = [
    window(2, 0.25),
    window(1, 0),
    window(3, 0.75, {
      quality: {
        failed: 1,
        checks: [
          {
            column: 'plan',
            check: 'new_categories',
            value: 0.125,
            threshold: 0.01,
            failed: true,
            detail: '125 of 1000 rows hold 1 categories not in the reference: "<gold>" (125)',
          },
          { column: 'age', check: 'schema', value: 0, threshold: 0, failed: false },
        ],
      },
      events: ['drift_detected', 'data_quality_failed'],
    }),
  ]
  const latestDrift = computeDataDriftWithDistributions(
    [
      { name: 'plan', values: categorySample(200, ['a', 'b'], [1, 1], 1) },
      { name: 'age', values: normalSample(200, 40, 5, 2) },
    ],
    [
      { name: 'plan', values: categorySample(200, ['a', 'b'], [5, 1], 3) },
      { name: 'age', values: normalSample(200, 40, 5, 4) },
    ],
  )
  const html = renderMonitorReportHtml({
    monitor: { name: 'churn<v2>', deployment: 'churn & co' },
    results,
    latestDrift,
    generatedAt: T0 + 4 * HOUR,
  })

  it('has a header with the monitor, deployment, windows and time, escaped', () => {
    expect(html).toContain('<title>Monitor churn&lt;v2&gt;</title>')
    expect(html).toContain('<h1>Monitor churn&lt;v2&gt;</h1>')
    expect(html).toContain(
      '<p>Deployment <strong>churn &amp; co</strong> · 3 windows · generated 2026-11-26T13:00:00Z</p>',
    )
    expect(html).not.toContain('churn<v2>')
  })

  it('lists one row per window, newest first, with its numbers and events', () => {
    const rows = [...html.matchAll(/<tr class="window[^"]*">(.*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]),
    )
    expect(rows).toHaveLength(3)
    expect(rows.map((r) => r[0])).toEqual(['3', '2', '1'])
    expect(rows[0]).toEqual([
      '3',
      '2026-11-26T11:00:00Z – 2026-11-26T12:00:00Z',
      '1000',
      '150',
      '75%',
      'yes',
      '1',
      '0.87',
      '0.92',
      '0.88',
      'drift_detected, data_quality_failed',
    ])
    expect(rows[2]!.slice(4, 7)).toEqual(['0%', 'no', '0'])
    expect(rows[2]![10]).toBe('—')
  })

  it('draws the charts over windows, with the drift share threshold and legends', () => {
    // Four charts over time, plus one distribution per column of the latest drift.
    expect(html.match(/<svg /g)).toHaveLength(4 + 2)
    expect(html).toContain('>drift share threshold</text>')
    expect(html).toContain('stroke-dasharray="6 4"')
    for (const legend of ['accuracy, realized', 'accuracy, estimated', 'ROC AUC, realized'])
      expect(html).toContain(`>${legend}</text>`)
    expect(html).toContain('>labelled rows</text>')
    expect(html).toContain('>window end (UTC)</text>')
    // Windows end at 10:00, 11:00 and 12:00: ticks every half hour, on the half hour.
    const ticks = html.match(/fill="#444">11-26 \d\d:\d\d<\/text>/g)!.slice(0, 5)
    expect(ticks.map((t) => t.slice(12, 23))).toEqual([
      '11-26 10:00',
      '11-26 10:30',
      '11-26 11:00',
      '11-26 11:30',
      '11-26 12:00',
    ])
  })

  it("shows the latest window's failed quality checks only", () => {
    const checks = [...html.matchAll(/<tr class="check">(.*?)<\/tr>/g)].map((m) => m[1])
    expect(checks).toEqual([
      '<td>plan</td><td>new_categories</td><td class="num">12.5%</td><td class="num">1%</td>' +
        '<td>125 of 1000 rows hold 1 categories not in the reference: &quot;&lt;gold&gt;&quot; (125)</td>',
    ])
  })

  it('shows the latest drift column by column', () => {
    expect(html).toContain('Drift by column, window 3</h2>')
    expect(html).toMatch(/<h2 class="(drift|ok)">plan<\/h2>/)
    expect(html).toMatch(/<h2 class="(drift|ok)">age<\/h2>/)
  })

  it('loads nothing from the network', () => {
    expect(html).not.toMatch(/<script|<link|<img|url\(/i)
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//)
  })

  it('shows RMSE and MAE for a regressor', () => {
    const regression: PerformanceResult = {
      ...classifier(0, 0),
      task: 'regression',
      realized: { rmse: 2.5, mae: 1.75 },
      estimated: null,
      headline: { metric: 'rmse', maximize: false },
    }
    const page = renderMonitorReportHtml({
      monitor: { name: 'price', deployment: 'price' },
      results: [window(1, 0, { performance: regression })],
      generatedAt: T0,
    })
    expect(page).toContain('<th>RMSE</th><th>MAE</th><th>events</th>')
    expect(page).toContain('<td class="num">2.5</td><td class="num">1.75</td>')
    expect(page).toContain('>RMSE</text>')
    expect(page).toContain('All 0 quality checks passed.')
  })

  it('says there are no windows yet when there are none', () => {
    const page = renderMonitorReportHtml({
      monitor: { name: 'fresh', deployment: 'fresh' },
      results: [],
      generatedAt: T0,
    })
    expect(page).toContain('· 0 windows ·')
    expect(page).toContain('No windows yet')
    expect(page).not.toContain('<svg')
    expect(page).not.toContain('<table')
  })
})
