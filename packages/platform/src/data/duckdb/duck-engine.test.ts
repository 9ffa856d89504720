import { describe, expect, it } from 'vitest'
import { DuckEngine, quoteIdentifier, quoteLiteral } from './duck-engine.js'

describe('DuckEngine', () => {
  it('returns rows as plain objects with safe BIGINTs as numbers', async () => {
    const engine = await DuckEngine.open({ threads: 1 })
    const rows = await engine.all(
      'select 42::bigint as n, $1::varchar as s, 9007199254740993::bigint as big',
      ['x'],
    )
    expect(rows).toEqual([{ n: 42, s: 'x', big: 9007199254740993n }])
    engine.close()
  })

  it('quotes identifiers and literals', () => {
    expect(quoteIdentifier('a "b"')).toBe('"a ""b"""')
    expect(quoteLiteral("it's")).toBe("'it''s'")
  })
})
