import { describe, expect, it } from 'vitest'
import {
  CURRENT_COLOUR,
  REFERENCE_COLOUR,
  renderHistogramOverlaySvg,
} from './histogram-overlay-svg.js'

describe('renderHistogramOverlaySvg', () => {
  it('draws each sample as shares on the same bars, scaled to a nice axis', () => {
    const svg = renderHistogramOverlaySvg({ edges: [0, 1, 2] }, [3, 1], [5, 15], {
      width: 256,
      height: 164,
    })
    // Plot area 200 × 100 from (44, 24); axis 0..80 %: reference 75 % and 25 %.
    expect(svg).toContain(
      `<g fill="${REFERENCE_COLOUR}" fill-opacity="0.55"><rect x="44" y="30.3" width="99" height="93.8"/><rect x="144" y="92.8" width="99" height="31.3"/></g>`,
    )
    expect(svg).toContain(
      `<g fill="${CURRENT_COLOUR}" fill-opacity="0.55"><rect x="44" y="92.8" width="99" height="31.3"/><rect x="144" y="30.3" width="99" height="93.8"/></g>`,
    )
    expect(svg).toContain('>80%</text>')
  })

  it('labels categories, escaped, and needs nothing from outside the page', () => {
    const svg = renderHistogramOverlaySvg({ categories: ['a<b', 'c'] }, [1, 0], [0, 1])
    expect(svg).toContain('<title>a&lt;b</title>a&lt;b</text>')
    expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/)
  })

  it('draws an axis for empty samples instead of failing', () => {
    expect(renderHistogramOverlaySvg({ categories: [] }, [], [])).toContain('</svg>')
  })
})
