import { createHmac, timingSafeEqual } from 'node:crypto'

/** Headers every delivery carries. */
export const WEBHOOK_HEADERS = {
  event: 'X-Ballast-Event',
  delivery: 'X-Ballast-Delivery',
  timestamp: 'X-Ballast-Timestamp',
  signature: 'X-Ballast-Signature',
} as const

/** How far a receiver lets a timestamp stray from its clock before it refuses a replay. */
export const DEFAULT_SIGNATURE_TOLERANCE_MS = 5 * 60_000

/**
 * `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed by the webhook's secret. The timestamp
 * (epoch seconds) is signed with the body so that a captured request cannot be replayed later.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/**
 * True when `header` holds a `v1=` signature of this timestamp and body (a comma-separated list is
 * accepted, so that a sender rotating secrets may sign with both) and the timestamp is within
 * `toleranceMs` of `now`. Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  timestamp: number | string,
  body: string,
  toleranceMs: number = DEFAULT_SIGNATURE_TOLERANCE_MS,
  now: number = Date.now(),
): boolean {
  const seconds = typeof timestamp === 'number' ? timestamp : Number(timestamp)
  if (!Number.isInteger(seconds)) return false
  if (Math.abs(now - seconds * 1000) > toleranceMs) return false
  const expected = Buffer.from(signWebhook(secret, seconds, body))
  let match = false
  for (const part of header.split(',')) {
    const candidate = Buffer.from(part.trim())
    // Lengths are public (every v1 signature is 67 bytes); only the contents are compared in
    // constant time, and every candidate is compared so timing does not reveal which matched.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) match = true
  }
  return match
}

/** The headers of one delivery attempt, signed at send time. */
export function webhookHeaders(input: {
  secret: string
  event: string
  delivery: number
  timestamp: number
  body: string
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.event]: input.event,
    [WEBHOOK_HEADERS.delivery]: String(input.delivery),
    [WEBHOOK_HEADERS.timestamp]: String(input.timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhook(input.secret, input.timestamp, input.body),
  }
}
