import { type ChartSeries, escapeXml, renderLineChartSvg } from '../../charts/line-chart-svg.js'
import type { DataDriftResult } from '../drift/data-drift.js'
import { DRIFT_REPORT_STYLE, renderDriftSections } from '../drift/drift-report-html.js'
import type { MetricValues, MonitorWindowResult, QualityCheck } from './monitor-types.js'

export interface MonitorReportInput {
  readonly monitor: { readonly name: string; readonly deployment: string }
  readonly results: readonly MonitorWindowResult[]
  /** The latest window's drift with its distributions, for the per-column section. */
  readonly latestDrift?: DataDriftResult
  /** Epoch ms. */
  readonly generatedAt: number
}

const STYLE = `${DRIFT_REPORT_STYLE}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{max-width:100%;height:auto}
h2.section{margin:24px 0 8px}td.num{text-align:right}.muted{color:#666}`

const CHART = { width: 540, height: 260 }

/**
 * One self-contained HTML page about a monitor (inline CSS and SVG, no scripts, nothing fetched):
 * its windows over time as charts and a table, the latest window's failed quality checks and,
 * when given, the latest window's drift column by column.
 */
export function renderMonitorReportHtml(input: MonitorReportInput): string {
  const { monitor, latestDrift } = input
  const results = [...input.results].sort((a, b) => a.window - b.window)
  const latest = results.at(-1)
  const title = `Monitor ${monitor.name}`
  const header = `<h1>${escapeXml(title)}</h1>
<p>Deployment <strong>${escapeXml(monitor.deployment)}</strong> · ${results.length} ${results.length === 1 ? 'window' : 'windows'} · generated ${iso(input.generatedAt)}</p>`
  const body =
    latest === undefined
      ? '<p class="muted">No windows yet: the monitor has not evaluated any window of predictions.</p>'
      : [
          `<h2 class="section">Over time</h2>\n<div class="charts">${charts(results).join('\n')}</div>`,
          `<h2 class="section">Windows</h2>\n${windowsTable(results)}`,
          `<h2 class="section">Quality of window ${latest.window}</h2>\n${failedChecks(latest)}`,
          latestDrift === undefined
            ? ''
            : `<h2 class="section">Drift by column, window ${latest.window}</h2>\n${renderDriftSections(latestDrift, { currentName: `window ${latest.window}` })}`,
        ].join('\n')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body>${header}
${body}
</body></html>
`
}

function charts(results: readonly MonitorWindowResult[]): string[] {
  const ends = results.map((r) => r.end)
  const axis = timeAxis(Math.max(...ends) - Math.min(...ends))
  const xs = ends.map((end) => end / axis.unit)
  const options = { ...CHART, xLabel: 'window end (UTC)', formatX: axis.format }
  const line = (name: string, y: (r: MonitorWindowResult) => number | undefined): ChartSeries => ({
    name,
    points: results.map((r, i) => ({ x: xs[i]!, y: y(r) ?? Number.NaN })),
  })
  // A threshold is drawn flat across every window at the latest result's level.
  const level = (name: string, value: number | undefined): ChartSeries[] =>
    value === undefined ? [] : [{ name, dashed: true, points: xs.map((x) => ({ x, y: value })) }]
  const latestDrift = results.findLast((r) => r.drift !== null)?.drift
  const latestPrediction = results.findLast((r) => r.predictionDrift !== null)?.predictionDrift
  const task = results.findLast((r) => r.performance !== null)?.performance?.task
  const metric =
    (key: keyof MetricValues, from: 'realized' | 'estimated') => (r: MonitorWindowResult) =>
      r.performance?.[from]?.[key]
  const performance: ChartSeries[] =
    task === 'regression'
      ? [line('RMSE', metric('rmse', 'realized')), line('MAE', metric('mae', 'realized'))]
      : [
          line('accuracy, realized', metric('accuracy', 'realized')),
          line('accuracy, estimated', metric('accuracy', 'estimated')),
          line('ROC AUC, realized', metric('roc_auc', 'realized')),
          line('ROC AUC, estimated', metric('roc_auc', 'estimated')),
        ]
  return [
    renderLineChartSvg(
      [
        line('share of drifted columns', (r) => r.drift?.share_of_drifted_columns),
        ...level('drift share threshold', latestDrift?.drift_share),
      ],
      { ...options, title: 'Data drift' },
    ),
    renderLineChartSvg(
      [
        line('prediction drift score', (r) => r.predictionDrift?.drift_score),
        ...level('threshold', latestPrediction?.stattest_threshold),
      ],
      {
        ...options,
        title: `Prediction drift${latestPrediction ? ` (${latestPrediction.stattest_name})` : ''}`,
      },
    ),
    renderLineChartSvg(
      performance.filter((s) => s.points.some((p) => Number.isFinite(p.y))),
      { ...options, title: task === 'regression' ? 'Error' : 'Performance' },
    ),
    renderLineChartSvg([line('rows', (r) => r.rows), line('labelled rows', (r) => r.labeled)], {
      ...options,
      title: 'Rows',
    }),
  ]
}

function windowsTable(results: readonly MonitorWindowResult[]): string {
  const regression =
    results.findLast((r) => r.performance !== null)?.performance?.task === 'regression'
  const metrics: [string, (r: MonitorWindowResult) => number | undefined][] = regression
    ? [
        ['RMSE', (r) => r.performance?.realized?.rmse],
        ['MAE', (r) => r.performance?.realized?.mae],
      ]
    : [
        ['accuracy', (r) => r.performance?.realized?.accuracy],
        ['ROC AUC', (r) => r.performance?.realized?.roc_auc],
        ['estimated accuracy', (r) => r.performance?.estimated?.accuracy],
      ]
  const heads = ['window', 'start – end (UTC)', 'rows', 'labelled', 'drift share', 'dataset drift']
  const head = [...heads, 'failed quality checks', ...metrics.map(([h]) => h), 'events']
  // Newest first: the window a reader opens the page for.
  const rows = [...results].reverse().map((r) => {
    const cells = [
      cell(String(r.window), true),
      cell(`${iso(r.start)} – ${iso(r.end)}`),
      cell(String(r.rows), true),
      cell(String(r.labeled), true),
      cell(r.drift ? percent(r.drift.share_of_drifted_columns) : '—', true),
      cell(r.drift ? (r.drift.dataset_drift ? 'yes' : 'no') : '—'),
      cell(r.quality ? String(r.quality.failed) : '—', true),
      ...metrics.map(([, get]) => cell(decimal(get(r)), true)),
      cell(r.events.length > 0 ? r.events.join(', ') : '—'),
    ]
    return `<tr class="window${r.events.length > 0 ? ' drift' : ''}">${cells.join('')}</tr>`
  })
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`
}

function failedChecks(latest: MonitorWindowResult): string {
  const { quality } = latest
  if (quality === null) return '<p class="muted">Quality was not checked: the window is empty.</p>'
  const failed = quality.checks.filter((c) => c.failed)
  if (failed.length === 0)
    return `<p class="ok">All ${quality.checks.length} quality checks passed.</p>`
  const rows = failed.map(
    (c) =>
      `<tr class="check">${[c.column, c.check].map((v) => cell(v)).join('')}${cell(checkValue(c, c.value), true)}${cell(checkValue(c, c.threshold), true)}${cell(c.detail ?? '')}</tr>`,
  )
  return `<table><thead><tr><th>column</th><th>check</th><th>value</th><th>threshold</th><th>detail</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`
}

function cell(text: string, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''}>${escapeXml(text)}</td>`
}

/** Schema checks count rows; the others measure shares of the window. */
function checkValue(check: QualityCheck, value: number): string {
  return check.check === 'schema' ? String(value) : percent(value)
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(4))}%`
}

function decimal(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : String(Number(value.toPrecision(4)))
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * The x axis in a unit of time chosen by the span, so that the chart's 1-2-5 ticks land on whole
 * minutes, hours or days (UTC) rather than on round numbers of milliseconds.
 */
function timeAxis(span: number): { unit: number; format: (x: number) => string } {
  const unit = span < 2 * MINUTE ? SECOND : span < 2 * HOUR ? MINUTE : span < 2 * DAY ? HOUR : DAY
  return {
    unit,
    format: (x) => {
      const text = new Date(Math.round(x * unit)).toISOString()
      if (unit === SECOND) return text.slice(11, 19)
      if (unit === DAY) return text.slice(0, 10)
      return `${text.slice(5, 10)} ${text.slice(11, 16)}`
    },
  }
}
