import { describe, expect, it } from 'vitest'
import { webhookBackoffMs } from './webhook-backoff.js'

describe('webhookBackoffMs', () => {
  it('doubles from 1 s with no jitter at random = 0.5', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => webhookBackoffMs(n, 0.5))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 512_000,
    ])
  })

  it('caps at one hour', () => {
    expect(webhookBackoffMs(12, 0.5)).toBe(2_048_000)
    expect(webhookBackoffMs(13, 0.5)).toBe(3_600_000)
    expect(webhookBackoffMs(1_000, 0.5)).toBe(3_600_000)
  })

  it('spreads by ±10 %', () => {
    expect(webhookBackoffMs(3, 0)).toBe(3_600)
    expect(webhookBackoffMs(3, 0.999999)).toBe(4_400)
    expect(webhookBackoffMs(13, 0)).toBe(3_240_000)
  })
})
