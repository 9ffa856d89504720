import { afterEach, beforeEach, expect, it } from 'vitest'
import { openTestSqliteStore, type TestStore } from '../../storage/test-support/test-stores.js'
import { GENESIS_HASH, appendAudit, entryHash } from './audit-log.js'
import { verifyAudit } from './verify-audit.js'

let t: TestStore
beforeEach(async () => {
  t = await openTestSqliteStore()
})
afterEach(async () => {
  await t.dispose()
})

const append = (actor: string) =>
  t.store.db
    .transaction()
    .execute((trx) => appendAudit(trx, { actor, action: 'token.create', target: `token:${actor}` }))

it('verifies an empty log, whose head is the genesis hash', async () => {
  expect(await verifyAudit(t.store.db)).toEqual({ ok: true, entries: 0, head: GENESIS_HASH })
})

it('calls an entry whose link was rewritten out of order, not edited', async () => {
  await append('a')
  await append('b')
  await append('c')
  await t.store.db
    .updateTable('audit_log')
    .set({ prev_hash: '1'.repeat(64) })
    .where('seq', '=', 2)
    .execute()
  expect((await verifyAudit(t.store.db)).problem).toMatchObject({ seq: 2, kind: 'reordered' })
})

it('finds a replaced entry that was rehashed by whoever replaced it: the next link breaks', async () => {
  await append('a')
  const second = await append('b')
  await append('c')
  // A forger recomputes entry 2's own hash after editing it, but cannot fix entry 3's link
  // without rewriting every later entry and the head.
  const { hash: _old, ...unhashed } = { ...second, actor: 'mallory' }
  await t.store.db
    .updateTable('audit_log')
    .set({ actor: 'mallory', hash: entryHash(unhashed) })
    .where('seq', '=', 2)
    .execute()
  const verified = await verifyAudit(t.store.db)
  expect(verified.entries).toBe(2)
  expect(verified.problem).toMatchObject({ seq: 3, kind: 'reordered' })
})

it('names the head when it records fewer entries than the log holds', async () => {
  await append('a')
  await append('b')
  await t.store.db.updateTable('audit_head').set({ seq: 1 }).where('id', '=', 1).execute()
  const verified = await verifyAudit(t.store.db)
  expect(verified).toMatchObject({ ok: false, entries: 2 })
  expect(verified.problem).toMatchObject({ seq: 1, kind: 'head-mismatch' })
})
