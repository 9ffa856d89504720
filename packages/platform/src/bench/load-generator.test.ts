import { describe, expect, it } from 'vitest'
import { parseWrk, wrkMilliseconds } from './load-generator.js'

// What `wrk -t1 -c64 -d10s --latency -s post.lua URL` prints (wrk 4.1).
const OUTPUT = `Running 10s test @ http://127.0.0.1:40123/bench/noop
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.21ms    6.02ms 102.31ms   87.65%
    Req/Sec     4.88k   512.33     5.61k    79.00%
  Latency Distribution
     50%   12.60ms
     75%   14.02ms
     90%   17.31ms
     99%   33.61ms
  48644 requests in 10.00s, 8.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   4864.40
Transfer/sec:    831.26KB
`

describe('wrk output', () => {
  it('reads the percentiles, the rate, the errors and the failed answers', () => {
    expect(parseWrk(OUTPUT)).toEqual({
      p50: 12.6,
      p99: 33.61,
      rps: 4864.4,
      total: 48644,
      errors: 5,
      non2xx: 7,
    })
  })

  it('reads every unit wrk prints latencies in', () => {
    expect(wrkMilliseconds('850.00us')).toBeCloseTo(0.85, 10)
    expect(wrkMilliseconds('1.23ms')).toBe(1.23)
    expect(wrkMilliseconds('2.01s')).toBeCloseTo(2010, 9)
    expect(wrkMilliseconds('1.50m')).toBe(90_000)
    expect(() => wrkMilliseconds('fast')).toThrow("wrk printed a latency this cannot read: 'fast'")
  })

  it('names what is missing from output it cannot read', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /wrk's output has no request count/,
    )
  })
})
