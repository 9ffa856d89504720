import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature, webhookHeaders } from './webhook-signature.js'

// The scheme as a receiver writes it in Python, from the standard library only.
const PYTHON_SIGNER = `
import hashlib, hmac, json, sys
cases = json.load(sys.stdin)
print(json.dumps(["v1=" + hmac.new(c["secret"].encode(), (str(c["timestamp"]) + "." + c["body"]).encode(), hashlib.sha256).hexdigest() for c in cases]))
`

const CASES = [
  {
    secret: 'whsec_0123456789abcdef',
    timestamp: 1_764_000_000,
    body: '{"id":1,"type":"drift_detected"}',
  },
  { secret: 'k'.repeat(256), timestamp: 0, body: '' },
  { secret: 'ünïcödé-secret-✓✓', timestamp: 1_700_000_000, body: '{"payload":{"column":"größe"}}' },
]

describe('signWebhook', () => {
  it('matches HMAC-SHA256 of "<timestamp>.<body>" computed by Python', () => {
    const expected = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_SIGNER], { input: JSON.stringify(CASES) }).toString(),
    ) as string[]
    expect(CASES.map((c) => signWebhook(c.secret, c.timestamp, c.body))).toEqual(expected)
  })

  it('matches a fixed vector (the one in docs/monitoring.md)', () => {
    expect(
      signWebhook('whsec_0123456789abcdef', 1_764_000_000, '{"id":1,"type":"drift_detected"}'),
    ).toBe('v1=003d584e61f3a7a79726ed2d722a16c22f0c8af82ab9c6c0350ada780fd472ff')
  })
})

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_0123456789abcdef'
  const body = '{"id":7,"type":"performance_degraded"}'
  const ts = 1_764_000_000
  const now = ts * 1000 + 1_500
  const header = signWebhook(secret, ts, body)

  it('accepts the signature it made, with the timestamp as a number or header string', () => {
    expect(verifyWebhookSignature(secret, header, ts, body, undefined, now)).toBe(true)
    expect(verifyWebhookSignature(secret, header, String(ts), body, undefined, now)).toBe(true)
  })

  it('refuses another secret, body, timestamp or a malformed header', () => {
    expect(verifyWebhookSignature('whsec_other_secret_00', header, ts, body, undefined, now)).toBe(
      false,
    )
    expect(verifyWebhookSignature(secret, header, ts, `${body} `, undefined, now)).toBe(false)
    expect(verifyWebhookSignature(secret, header, ts + 1, body, undefined, now)).toBe(false)
    expect(verifyWebhookSignature(secret, header.slice(0, -1), ts, body, undefined, now)).toBe(
      false,
    )
    expect(verifyWebhookSignature(secret, '', ts, body, undefined, now)).toBe(false)
    expect(verifyWebhookSignature(secret, header, 'soon', body, undefined, now)).toBe(false)
  })

  it('refuses a timestamp outside the tolerance (a replay)', () => {
    expect(verifyWebhookSignature(secret, header, ts, body, 300_000, ts * 1000 + 300_000)).toBe(
      true,
    )
    expect(verifyWebhookSignature(secret, header, ts, body, 300_000, ts * 1000 + 300_001)).toBe(
      false,
    )
    expect(verifyWebhookSignature(secret, header, ts, body, 300_000, ts * 1000 - 300_001)).toBe(
      false,
    )
  })

  it('accepts any of several comma-separated signatures (secret rotation)', () => {
    const old = signWebhook('whsec_previous_secret', ts, body)
    expect(verifyWebhookSignature(secret, `${old}, ${header}`, ts, body, undefined, now)).toBe(true)
  })
})

describe('webhookHeaders', () => {
  it('carries the event, delivery id, timestamp and signature', () => {
    expect(
      webhookHeaders({
        secret: 's',
        event: 'drift_detected',
        delivery: 42,
        timestamp: 5,
        body: '{}',
      }),
    ).toEqual({
      'content-type': 'application/json',
      'X-Ballast-Event': 'drift_detected',
      'X-Ballast-Delivery': '42',
      'X-Ballast-Timestamp': '5',
      'X-Ballast-Signature': signWebhook('s', 5, '{}'),
    })
  })
})
