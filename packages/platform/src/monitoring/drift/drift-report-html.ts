import { escapeXml } from '../../charts/line-chart-svg.js'
import { renderHistogramOverlaySvg } from '../../charts/histogram-overlay-svg.js'
import type { ColumnDistribution } from './column-distribution.js'
import type { ColumnDriftResult, DataDriftResult } from './data-drift.js'
import { STAT_TESTS } from './stattests/index.js'

export interface DriftReportPageOptions {
  readonly title?: string
  readonly referenceName?: string
  readonly currentName?: string
}

/** The page's CSS; pages that embed `renderDriftSections` include it. */
export const DRIFT_REPORT_STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:16px;margin:0 0 6px}
.summary{display:flex;gap:12px;margin:12px 0 20px}.tile{border:1px solid #ddd;border-radius:6px;padding:10px 14px}
.tile b{display:block;font-size:20px}.drift{color:#b00020}.ok{color:#1b7a2e}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left}
.column{display:flex;gap:20px;align-items:flex-start;border-top:1px solid #ddd;padding:14px 0}
.column table{min-width:320px}`

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): a summary,
 * then per column its test result and both distributions overlaid, most drifted column first.
 */
export function renderDriftReportHtml(
  result: DataDriftResult,
  options: DriftReportPageOptions = {},
): string {
  const { report } = result
  const title = options.title ?? 'Data drift'
  const verdict = report.dataset_drift ? 'Drift detected' : 'No drift detected'
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${DRIFT_REPORT_STYLE}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p class="${report.dataset_drift ? 'drift' : 'ok'}"><strong>${verdict}</strong>: ${report.number_of_drifted_columns} of ${report.number_of_columns} columns drifted (drift share threshold ${report.drift_share}).</p>
<div class="summary">
<div class="tile"><b>${report.number_of_columns}</b>columns</div>
<div class="tile"><b>${report.number_of_drifted_columns}</b>drifted columns</div>
<div class="tile"><b>${formatShare(report.share_of_drifted_columns)}</b>share drifted</div>
</div>
${renderDriftSections(result, options)}
</body></html>
`
}

/**
 * Per column, its test result and both distributions overlaid, most drifted column first: the
 * body of the drift page, and of any page that shows a window's drift column by column.
 */
export function renderDriftSections(
  result: DataDriftResult,
  options: Pick<DriftReportPageOptions, 'referenceName' | 'currentName'> = {},
): string {
  const { report, distributions } = result
  const columns = Object.values(report.drift_by_columns).sort(
    (a, b) => Number(b.drift_detected) - Number(a.drift_detected) || severity(b) - severity(a),
  )
  return columns.map((c) => columnSection(c, distributions[c.column_name], options)).join('\n')
}

/** How far past its threshold a column is, comparable across p-values and distances. */
function severity(column: ColumnDriftResult): number {
  const kind = STAT_TESTS[column.stattest_name]?.kind ?? 'p_value'
  const score = Number.isFinite(column.drift_score) ? column.drift_score : 0
  const threshold = column.stattest_threshold > 0 ? column.stattest_threshold : 1e-300
  if (kind === 'distance') return score / threshold
  return Math.log10(threshold / Math.max(score, 1e-300))
}

function columnSection(
  column: ColumnDriftResult,
  distribution: ColumnDistribution | undefined,
  options: DriftReportPageOptions,
): string {
  const test = STAT_TESTS[column.stattest_name]
  const rows: [string, string][] = [
    ['type', column.column_type === 'num' ? 'numerical' : 'categorical'],
    ['test', test ? `${test.name} (${test.id})` : column.stattest_name],
    ['score', formatScore(column.drift_score)],
    ['threshold', String(column.stattest_threshold)],
    ['drift', column.drift_detected ? 'detected' : 'not detected'],
  ]
  const chartOptions = {
    ...(options.referenceName === undefined ? {} : { referenceName: options.referenceName }),
    ...(options.currentName === undefined ? {} : { currentName: options.currentName }),
  }
  const chart =
    distribution === undefined
      ? ''
      : distribution.kind === 'num'
        ? renderHistogramOverlaySvg(
            { edges: distribution.edges },
            distribution.reference,
            distribution.current,
            chartOptions,
          )
        : renderHistogramOverlaySvg(
            { categories: distribution.categories },
            distribution.reference,
            distribution.current,
            chartOptions,
          )
  const status = column.drift_detected ? 'drift' : 'ok'
  return `<section class="column"><div><h2 class="${status}">${escapeXml(column.column_name)}</h2><table>${rows
    .map(([k, v]) => `<tr><th>${k}</th><td>${escapeXml(v)}</td></tr>`)
    .join('')}</table></div>${chart}</section>`
}

function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score)
  return Math.abs(score) >= 1e-4 || score === 0
    ? String(Number(score.toPrecision(6)))
    : score.toExponential(3)
}

function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(4))}%`
}
