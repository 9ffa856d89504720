import { describe, expect, it } from 'vitest'
import { computeDataDriftWithDistributions } from './data-drift.js'
import { renderDriftReportHtml } from './drift-report-html.js'
import { categorySample, normalSample } from './test-support/evidently-oracle.js'

describe('renderDriftReportHtml', () => {
  const result = computeDataDriftWithDistributions(
    [
      { name: 'steady', values: categorySample(300, ['a', 'b'], [1, 1], 1) },
      { name: 'moved', values: categorySample(300, ['a', 'b', 'c'], [5, 1, 1], 2) },
      { name: 'amount<eur>', values: normalSample(300, 0, 1, 3) },
    ],
    [
      { name: 'steady', values: categorySample(300, ['a', 'b'], [1, 1], 4) },
      { name: 'moved', values: categorySample(300, ['a', 'b', 'c'], [1, 1, 5], 5) },
      { name: 'amount<eur>', values: normalSample(300, 3, 1, 6) },
    ],
    { numStattest: 'psi' },
  )
  const html = renderDriftReportHtml(result, { title: 'Weekly drift' })

  it('shows the summary and every column, most drifted first', () => {
    expect(html).toContain('<title>Weekly drift</title>')
    expect(html).toContain('<strong>Drift detected</strong>: 2 of 3 columns drifted')
    const order = ['amount&lt;eur&gt;', 'moved', 'steady'].map((n) => html.indexOf(`>${n}</h2>`))
    expect(order.every((i) => i > 0)).toBe(true)
    // moved: chi-square p ≈ 0 is far past 0.05; amount: PSI far past 0.1; steady last.
    expect(order[2]).toBeGreaterThan(Math.max(order[0]!, order[1]!))
    expect(html.match(/<svg /g)).toHaveLength(3)
  })

  it('is self-contained: no scripts, no links out', () => {
    expect(html).not.toMatch(/<script|<link|<img|url\(/i)
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//)
  })
})
