import { escapeXml } from './line-chart-svg.js'
import { formatTick, niceTicks } from './nice-ticks.js'

/** Two samples counted on the same bars: numeric bins (edges) or named categories. */
export type OverlayBars =
  | { readonly edges: readonly number[]; readonly categories?: undefined }
  | { readonly categories: readonly string[]; readonly edges?: undefined }

export interface HistogramOverlayOptions {
  readonly width?: number
  readonly height?: number
  readonly referenceName?: string
  readonly currentName?: string
}

export const REFERENCE_COLOUR = '#0072B2'
export const CURRENT_COLOUR = '#E69F00'
const MARGIN = { top: 24, right: 12, bottom: 40, left: 44 }

/**
 * A small self-contained SVG with both samples' shares per bar drawn over each other
 * (semi-transparent), so that a shift shows as colour where they do not overlap. Counts are
 * turned into shares of each sample, so samples of different sizes compare.
 */
export function renderHistogramOverlaySvg(
  bars: OverlayBars,
  reference: readonly number[],
  current: readonly number[],
  options: HistogramOverlayOptions = {},
): string {
  const width = options.width ?? 420
  const height = options.height ?? 200
  const plotW = width - MARGIN.left - MARGIN.right
  const plotH = height - MARGIN.top - MARGIN.bottom
  const ref = shares(reference)
  const cur = shares(current)
  const n = ref.length
  const top = Math.max(...ref, ...cur, 0)
  const ys = niceTicks(0, top > 0 ? top : 1, 4)
  const r = (v: number) => Math.round(v * 10) / 10
  const sy = (y: number) => MARGIN.top + plotH - (y / ys.hi) * plotH
  const barW = plotW / Math.max(n, 1)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
  ]
  for (const t of ys.ticks) {
    const y = r(sy(t))
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 4}" y="${y + 3}" text-anchor="end" fill="#444">${formatTick(Number((t * 100).toPrecision(12)))}%</text>`,
    )
  }
  for (const [values, colour] of [
    [ref, REFERENCE_COLOUR],
    [cur, CURRENT_COLOUR],
  ] as const) {
    const rects = values.map((v, i) =>
      v > 0
        ? `<rect x="${r(MARGIN.left + i * barW)}" y="${r(sy(v))}" width="${r(Math.max(barW - 1, 0.5))}" height="${r(plotH - (sy(v) - MARGIN.top))}"/>`
        : '',
    )
    parts.push(`<g fill="${colour}" fill-opacity="0.55">${rects.join('')}</g>`)
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
  )
  parts.push(...xLabels(bars, n, barW, MARGIN.top + plotH))
  const legendY = 14
  parts.push(
    `<rect x="${MARGIN.left}" y="${legendY - 8}" width="10" height="10" fill="${REFERENCE_COLOUR}" fill-opacity="0.55"/>`,
    `<text x="${MARGIN.left + 14}" y="${legendY + 1}">${escapeXml(options.referenceName ?? 'reference')}</text>`,
    `<rect x="${MARGIN.left + 110}" y="${legendY - 8}" width="10" height="10" fill="${CURRENT_COLOUR}" fill-opacity="0.55"/>`,
    `<text x="${MARGIN.left + 124}" y="${legendY + 1}">${escapeXml(options.currentName ?? 'current')}</text>`,
    '</svg>',
  )
  return parts.join('')
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0)
  return counts.map((c) => (total > 0 ? c / total : 0))
}

// At most about six labels, so that they never overlap.
function xLabels(bars: OverlayBars, n: number, barW: number, baseline: number): string[] {
  const out: string[] = []
  const y = baseline + 14
  if (bars.edges !== undefined) {
    const step = Math.max(1, Math.ceil(n / 5))
    for (let i = 0; i <= n; i += step) {
      const x = Math.round((MARGIN.left + i * barW) * 10) / 10
      const edge = bars.edges[i]
      if (edge === undefined) continue
      out.push(
        `<text x="${x}" y="${y}" text-anchor="middle" fill="#444">${escapeXml(formatTick(Number(edge.toPrecision(4))))}</text>`,
      )
    }
    return out
  }
  const step = Math.max(1, Math.ceil(n / 6))
  for (let i = 0; i < n; i += step) {
    const x = Math.round((MARGIN.left + (i + 0.5) * barW) * 10) / 10
    const name = bars.categories[i] ?? ''
    const label = name.length > 12 ? `${name.slice(0, 11)}…` : name
    out.push(
      `<text x="${x}" y="${y}" text-anchor="middle" fill="#444"><title>${escapeXml(name)}</title>${escapeXml(label)}</text>`,
    )
  }
  return out
}
