import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { StatementCache } from './statement-cache.js'

function open(capacity?: number, maxChars?: number) {
  const connection = new Database(':memory:')
  connection.exec('create table t (x integer)')
  connection.exec('insert into t values (1), (2), (3)')
  return { connection, cache: new StatementCache(connection, capacity, maxChars) }
}

describe('StatementCache', () => {
  it('prepares a SQL text once and hands back the same statement after', () => {
    const { cache } = open()
    const first = cache.prepare('select x from t order by x')
    expect(cache.prepare('select x from t order by x')).toBe(first)
    expect(first.all([])).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }])
    expect(cache.size).toBe(1)
  })

  it('keeps the most recently used texts within its capacity', () => {
    const { cache } = open(2)
    const a = cache.prepare('select 1')
    const b = cache.prepare('select 2')
    expect(cache.prepare('select 1')).toBe(a) // now the most recent
    cache.prepare('select 3') // evicts 'select 2', the least recent
    expect(cache.size).toBe(2)
    expect(cache.prepare('select 1')).toBe(a)
    expect(cache.prepare('select 2')).not.toBe(b)
  })

  it('keeps the total length of the texts within its budget, and never a text over it', () => {
    const { cache } = open(100, 20)
    const a = cache.prepare('select 1 as aaaa') // 16 characters
    expect(cache.prepare('select 1 as aaaa')).toBe(a)
    cache.prepare('select 2') // 24 in all: the oldest goes
    expect(cache.size).toBe(1)
    expect(cache.prepare('select 1 as aaaa')).not.toBe(a)
    const long = 'select 1 as aaaaaaaaaaaaaaa' // 27 characters, over the budget alone
    expect(cache.prepare(long)).not.toBe(cache.prepare(long))
    expect(cache.size).toBe(1)
  })

  it('prepares afresh while the kept statement is still being iterated', () => {
    const { cache } = open()
    const kept = cache.prepare('select x from t order by x')
    const rows = kept.iterate([])
    expect(rows.next().value).toEqual({ x: 1 })
    const other = cache.prepare('select x from t order by x')
    expect(other).not.toBe(kept)
    expect(other.all([])).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }])
    expect([...rows]).toEqual([{ x: 2 }, { x: 3 }])
    expect(cache.prepare('select x from t order by x')).toBe(kept)
  })

  it('runs kept statements against the current schema', () => {
    const { connection, cache } = open()
    const select = cache.prepare('select * from t order by x limit 1')
    expect(select.all([])).toEqual([{ x: 1 }])
    connection.exec('alter table t add column y text')
    expect(cache.prepare('select * from t order by x limit 1').all([])).toEqual([{ x: 1, y: null }])
  })

  it('closes the connection', () => {
    const { connection, cache } = open()
    cache.prepare('select 1')
    cache.close()
    expect(connection.open).toBe(false)
    expect(cache.size).toBe(0)
  })
})
