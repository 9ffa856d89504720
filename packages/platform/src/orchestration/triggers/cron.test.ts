import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { nextFire, parseCron } from './cron.js'

// A second implementation in Python: its own parser and a walk minute by minute (skipping whole
// days that cannot match) from the minute after `after`, in UTC.
const PYTHON_CRON = `
import datetime as dt, json, sys
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DAYS = "SUN MON TUE WED THU FRI SAT".split()
def value(t, lo, names):
    u = t.upper()
    if names and u in names:
        return names.index(u) + (1 if names is MONTHS else 0)
    return int(t)
def field(text, lo, hi, names=None):
    out = set()
    for item in text.split(","):
        rng, _, step = item.partition("/")
        step = int(step) if step else 1
        if rng == "*":
            a, b = lo, hi
        elif "-" in rng:
            x, y = rng.split("-")
            a, b = value(x, lo, names), value(y, lo, names)
        else:
            a = b = value(rng, lo, names)
        out.update(range(a, b + 1, step))
    return out
def nxt(expr, after):
    f = expr.split()
    mi, ho, dm, mo, dw = field(f[0], 0, 59), field(f[1], 0, 23), field(f[2], 1, 31), field(f[3], 1, 12, MONTHS), field(f[4], 0, 7, DAYS)
    dw = {d % 7 for d in dw}
    star = f[2].startswith("*") or f[4].startswith("*")
    t = dt.datetime.fromtimestamp(after // 60000 * 60 + 60, dt.timezone.utc)
    while True:
        day_dm = t.day in dm
        day_dw = (t.isoweekday() % 7) in dw
        ok_day = t.month in mo and ((day_dm and day_dw) if star else (day_dm or day_dw))
        if not ok_day:
            t = (t + dt.timedelta(days=1)).replace(hour=0, minute=0)
            continue
        if t.hour in ho and t.minute in mi:
            return int(t.timestamp()) * 1000
        t += dt.timedelta(minutes=1)
cases = json.load(sys.stdin)
print(json.dumps([nxt(e, a) for e, a in cases]))
`

const T = Date.UTC(2026, 10, 26, 6, 25, 30) // Thu 2026-11-26 06:25:30 UTC

const CASES: Array<[string, number]> = [
  ['* * * * *', T],
  ['*/15 * * * *', T],
  ['0 * * * *', T],
  ['30 6 * * *', T],
  ['25 6 * * *', T],
  ['0 0 * * *', T],
  ['1-10/2 3 * * *', T],
  ['5,35 */4 * * *', T],
  ['0 9 * * MON-FRI', T],
  ['0 9 * * mon,wed,fri', Date.UTC(2026, 10, 27, 9, 0)],
  ['0 0 * * 7', T],
  ['0 0 * * 0', T],
  ['0 12 * * 5-7', Date.UTC(2026, 10, 29, 12, 0)],
  ['0 0 1 JAN *', T],
  ['0 0 1 1-3/2 *', Date.UTC(2027, 0, 1)],
  ['0 0 29 2 *', T],
  ['0 0 31 * *', T],
  ['0 0 13 * FRI', T],
  ['0 0 */10 * MON', T],
  ['15 14 1 * *', T],
  ['0 22 * * 1-5', Date.UTC(2026, 11, 31, 23, 59)],
  ['59 23 31 DEC *', T],
]

describe('nextFire', () => {
  it('agrees with an independent minute walk over a table of expressions', () => {
    const expected = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_CRON], { input: JSON.stringify(CASES) }).toString(),
    ) as number[]
    expect(CASES.map(([e, after]) => nextFire(e, after))).toEqual(expected)
  })

  it('gives the times a reader expects', () => {
    const iso = (e: string, after = T) => new Date(nextFire(e, after)).toISOString()
    expect(iso('*/15 * * * *')).toBe('2026-11-26T06:30:00.000Z')
    expect(iso('25 6 * * *')).toBe('2026-11-27T06:25:00.000Z')
    expect(iso('0 0 * * 7')).toBe('2026-11-29T00:00:00.000Z')
    expect(iso('0 0 29 2 *')).toBe('2028-02-29T00:00:00.000Z')
    // Vixie: both day fields restricted, so the 13th or any Friday fires.
    expect(iso('0 0 13 * FRI')).toBe('2026-11-27T00:00:00.000Z')
    // A stepped star counts as unrestricted: days 1, 11, 21, 31 that are Mondays.
    expect(iso('0 0 */10 * MON')).toBe('2026-12-21T00:00:00.000Z')
    // Strictly after: a time exactly on a due minute gives the next one.
    expect(iso('*/15 * * * *', Date.UTC(2026, 10, 26, 6, 30))).toBe('2026-11-26T06:45:00.000Z')
  })

  it('names the field and the value of a bad expression', () => {
    const message = (e: string) => {
      try {
        parseCron(e)
      } catch (error) {
        return (error as Error).message
      }
      return 'parsed'
    }
    expect(message('* * * *')).toBe(
      "Invalid cron expression '* * * *': expected 5 fields (minute hour day-of-month month day-of-week), got 4",
    )
    expect(message('0 25 * * *')).toBe(
      "Invalid cron expression '0 25 * * *': hour '25' is out of range 0-23",
    )
    expect(message('0 0 0 * *')).toBe(
      "Invalid cron expression '0 0 0 * *': day-of-month '0' is out of range 1-31",
    )
    expect(message('0 0 * FOO *')).toBe(
      "Invalid cron expression '0 0 * FOO *': month 'FOO' is not a number or a name (JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC)",
    )
    expect(message('*/0 * * * *')).toBe(
      "Invalid cron expression '*/0 * * * *': minute '*/0' has a step that is not a positive whole number",
    )
    expect(message('5/15 * * * *')).toBe(
      "Invalid cron expression '5/15 * * * *': minute '5/15' needs a range before the step (e.g. '5-59/15')",
    )
    expect(message('0 0 * * 5-2')).toBe(
      "Invalid cron expression '0 0 * * 5-2': day-of-week '5-2' is a range that runs backwards",
    )
    expect(message('0,,5 * * * *')).toBe(
      "Invalid cron expression '0,,5 * * * *': minute '' is empty",
    )
    expect(() => nextFire('0 0 30 2 *', T)).toThrow(
      "Invalid cron expression '0 0 30 2 *': it never fires",
    )
    expect(() => parseCron('0 0 * * 8')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    )
  })
})
