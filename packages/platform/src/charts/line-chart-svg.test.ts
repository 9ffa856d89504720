import { describe, expect, it } from 'vitest'
import { escapeXml, renderLineChartSvg } from './line-chart-svg.js'
import { formatTick, niceTicks } from './nice-ticks.js'

describe('niceTicks', () => {
  it('chooses 1-2-5 steps that cover the data', () => {
    expect(niceTicks(0, 10, 5)).toEqual({ ticks: [0, 2, 4, 6, 8, 10], lo: 0, hi: 10 })
    expect(niceTicks(0.13, 0.92, 5)).toEqual({ ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], lo: 0, hi: 1 })
    expect(niceTicks(-3, 47, 5).ticks).toEqual([-10, 0, 10, 20, 30, 40, 50])
  })

  it('widens a single value so it is not a zero-height axis', () => {
    expect(niceTicks(5, 5, 4)).toEqual({ ticks: [4, 4.5, 5, 5.5, 6], lo: 4, hi: 6 })
    expect(niceTicks(0, 0, 2).ticks).toEqual([-1, 0, 1])
  })

  it('formats tick labels compactly', () => {
    expect([0, 0.2, 1500, 2e7, 1e-5].map(formatTick)).toEqual([
      '0',
      '0.2',
      '1500',
      '2.0e+7',
      '1.0e-5',
    ])
  })
})

describe('renderLineChartSvg', () => {
  it('maps points onto the plot area exactly', () => {
    const svg = renderLineChartSvg(
      [
        {
          name: 'loss',
          points: [
            { x: 0, y: 0 },
            { x: 10, y: 10 },
          ],
        },
      ],
      {
        width: 196,
        height: 188,
      },
    )
    // plot area: x 72..172, y 40..140 (188 - 48); one legend row adds 18 px below.
    expect(svg).toContain(
      '<polyline fill="none" stroke="#0072B2" stroke-width="1.8" points="72,140 172,40"/>',
    )
    expect(svg).toContain('>loss</text>')
  })

  it('breaks the line at non-finite values and escapes text', () => {
    const svg = renderLineChartSvg(
      [
        {
          name: 'a<b>',
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 2 },
            { x: 2, y: Number.NaN },
            { x: 3, y: 1 },
            { x: 4, y: 2 },
          ],
        },
      ],
      { title: 'R&D' },
    )
    expect(svg.match(/<polyline/g)).toHaveLength(2)
    expect(svg).toContain('R&amp;D')
    expect(svg).toContain('a&lt;b&gt;')
    expect(escapeXml(`"'`)).toBe('&quot;&apos;')
  })

  it('says so when there is nothing to draw', () => {
    expect(renderLineChartSvg([{ name: 'x', points: [{ x: 1, y: Number.NaN }] }])).toContain(
      'no data',
    )
  })

  it('labels x ticks with formatX and draws dashed series dashed', () => {
    const svg = renderLineChartSvg(
      [
        {
          name: 'limit',
          dashed: true,
          points: [
            { x: 0, y: 1 },
            { x: 10, y: 1 },
          ],
        },
      ],
      { formatX: (x) => `t<${x}>` },
    )
    expect(svg).toContain('>t&lt;0&gt;</text>')
    expect(svg).toContain('>t&lt;10&gt;</text>')
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(2)
  })
})
