import { formatTick, niceTicks } from './nice-ticks.js'

export interface ChartPoint {
  readonly x: number
  readonly y: number
}

export interface ChartSeries {
  readonly name: string
  readonly points: readonly ChartPoint[]
  /** Drawn dashed: a threshold or a reference level rather than a measurement. */
  readonly dashed?: boolean
}

export interface LineChartOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  readonly width?: number
  readonly height?: number
  /** Labels of the x ticks (e.g. times); default `formatTick`. */
  readonly formatX?: (x: number) => string
}

/** Colour-blind-safe palette (Okabe–Ito), cycled when there are more series. */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
]
const MARGIN = { top: 40, right: 24, bottom: 48, left: 72 }
const LEGEND_ROW = 18

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  )
}

/**
 * A self-contained SVG line chart (no scripts, no external fonts). Points whose x or y is not
 * finite break the line, so a NaN in a metric shows as a gap rather than a spike.
 */
export function renderLineChartSvg(
  series: readonly ChartSeries[],
  options: LineChartOptions = {},
): string {
  const width = options.width ?? 720
  const legendHeight = LEGEND_ROW * series.length
  const height = (options.height ?? 400) + legendHeight
  const plotW = width - MARGIN.left - MARGIN.right
  const plotH = height - legendHeight - MARGIN.top - MARGIN.bottom
  const finite = series.flatMap((s) =>
    s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
  )
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ]
  if (options.title)
    parts.push(
      `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
    )
  if (finite.length === 0) {
    parts.push(
      `<text x="${width / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" fill="#666">no data</text>`,
      '</svg>',
    )
    return parts.join('\n')
  }
  const xs = niceTicks(Math.min(...finite.map((p) => p.x)), Math.max(...finite.map((p) => p.x)), 6)
  const ys = niceTicks(Math.min(...finite.map((p) => p.y)), Math.max(...finite.map((p) => p.y)), 5)
  const sx = (x: number) => MARGIN.left + ((x - xs.lo) / (xs.hi - xs.lo)) * plotW
  const sy = (y: number) => MARGIN.top + plotH - ((y - ys.lo) / (ys.hi - ys.lo)) * plotH
  const r = (v: number) => Math.round(v * 100) / 100
  const formatX = options.formatX ?? formatTick

  for (const t of ys.ticks) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${r(sy(t))}" y2="${r(sy(t))}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${r(sy(t)) + 4}" text-anchor="end" fill="#444">${formatTick(t)}</text>`,
    )
  }
  for (const t of xs.ticks) {
    parts.push(
      `<line x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#444"/>`,
      `<text x="${r(sx(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#444">${escapeXml(formatX(t))}</text>`,
    )
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
  )
  if (options.xLabel)
    parts.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 38}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    )
  if (options.yLabel)
    parts.push(
      `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    )

  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    for (const segment of segments(s.points)) {
      const coords = segment.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(' ')
      parts.push(
        segment.length === 1
          ? `<circle cx="${r(sx(segment[0]!.x))}" cy="${r(sy(segment[0]!.y))}" r="2.5" fill="${colour}"/>`
          : `<polyline fill="none" stroke="${colour}" stroke-width="1.8"${dash} points="${coords}"/>`,
      )
    }
    const ly = height - legendHeight - 8 + i * LEGEND_ROW
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + 18}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"${dash}/>`,
      `<text x="${MARGIN.left + 24}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    )
  })
  parts.push('</svg>')
  return parts.join('\n')
}

/** Runs of consecutive finite points, in x order. */
function segments(points: readonly ChartPoint[]): ChartPoint[][] {
  const sorted = [...points].sort((a, b) => a.x - b.x)
  const out: ChartPoint[][] = []
  let current: ChartPoint[] = []
  for (const p of sorted) {
    if (Number.isFinite(p.x) && Number.isFinite(p.y)) current.push(p)
    else if (current.length > 0) {
      out.push(current)
      current = []
    }
  }
  if (current.length > 0) out.push(current)
  return out
}
