const BASE_MS = 1_000
const CAP_MS = 60 * 60_000
const JITTER = 0.1

/**
 * How long to wait before the next attempt once `attempts` have failed: 1 s × 2^(attempts−1),
 * capped at 1 h, spread by ±10 % so that deliveries failing together do not retry in lockstep.
 * `random` is in [0, 1); 0.5 gives the exact doubling.
 */
export function webhookBackoffMs(attempts: number, random: number = Math.random()): number {
  const exponent = Math.max(0, attempts - 1)
  // 2^12 s already passes the cap; stop before large exponents overflow to Infinity.
  const base = exponent >= 12 ? CAP_MS : Math.min(CAP_MS, BASE_MS * 2 ** exponent)
  return Math.round(base * (1 - JITTER + 2 * JITTER * random))
}
