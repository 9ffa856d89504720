import { execFileSync } from 'node:child_process'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { type AuditEntry, type AuditInput, GENESIS_HASH, appendAudit } from '../audit-log.js'
import { verifyAudit } from '../verify-audit.js'

const T0 = 1_790_000_000_000

/**
 * The hashes as a second implementation computes them: Python's json with sorted keys and
 * hashlib, from the raw inputs (keys in any order), chained from the genesis hash.
 */
function pythonHashes(inputs: readonly AuditInput[]): { before: string | null; hash: string }[] {
  const script = `
import hashlib, json, sys
def canon(v): return json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
def sha(t): return hashlib.sha256(t.encode('utf-8')).hexdigest()
def digest(s): return None if s is None else sha(canon(s))
prev = '0' * 64
out = []
for seq, e in enumerate(json.load(sys.stdin), start=1):
    before = digest(e.get('before'))
    fields = [prev, seq, e['time'], e['actor'], e['action'], e['target'], before,
              digest(e.get('after')), e.get('detail')]
    prev = sha(canon(fields))
    out.append({'before': before, 'hash': prev})
print(json.dumps(out))
`
  const text = execFileSync('python3', ['-c', script], { input: JSON.stringify(inputs) })
  return JSON.parse(text.toString()) as { before: string | null; hash: string }[]
}

function change(i: number): AuditInput {
  return {
    actor: i % 2 === 0 ? 'alice' : 'system:trigger',
    action: 'model.alias.set',
    target: `model:flights`,
    before: i === 1 ? undefined : { alias: 'champion', version: i - 1 },
    after: { version: i, alias: 'champion' },
    detail: { version: i, previous: i === 1 ? null : i - 1, alias: 'champion' },
    time: T0 + i,
  }
}

/** The audit log's guarantees, run for every metadata store backend. */
export function runAuditContract(options: { open: () => Promise<TestStore> }): void {
  let t: TestStore
  beforeEach(async () => {
    t = await options.open()
  })
  afterEach(async () => {
    await t.dispose()
  })

  async function appendAll(inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
    const out: AuditEntry[] = []
    for (const input of inputs) {
      out.push(await t.store.db.transaction().execute((trx) => appendAudit(trx, input)))
    }
    return out
  }

  const rows = () => t.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()

  describe('appending', () => {
    it('chains each entry to the one before, with hashes a second implementation agrees on', async () => {
      const inputs = [
        change(1),
        change(2),
        // Keys in another order, a nested object and text beyond ASCII: one canonical form.
        {
          detail: { z: { b: 2, a: [1, { d: 'é', c: null }] }, reason: 'drift détectée' },
          target: 'deployment:flights',
          action: 'deployment.promote',
          actor: 'system:rollout',
          after: { version: 3, canary: null },
          before: { canary: { version: 3, percent: 10 }, version: 2 },
          time: T0 + 3,
        },
      ]
      const entries = await appendAll(inputs)
      const expected = pythonHashes(inputs)
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3])
      expect(entries.map((e) => e.hash)).toEqual(expected.map((e) => e.hash))
      expect(entries.map((e) => e.beforeDigest)).toEqual(expected.map((e) => e.before))
      expect(entries.map((e) => e.prevHash)).toEqual([
        GENESIS_HASH,
        expected[0]!.hash,
        expected[1]!.hash,
      ])
      const stored = await rows()
      expect(stored.map((r) => [Number(r.seq), r.actor, r.prev_hash, r.hash])).toEqual(
        entries.map((e) => [e.seq, e.actor, e.prevHash, e.hash]),
      )
      expect(await verifyAudit(t.store.db)).toEqual({
        ok: true,
        entries: 3,
        head: expected[2]!.hash,
      })
    })

    it('gives 20 concurrent transactions the numbers 1…20 and one unbroken chain', async () => {
      const entries = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.store.db.transaction().execute(async (trx) => {
            // Work before the append, as a real change does, so the transactions overlap.
            await trx.selectFrom('audit_head').selectAll().execute()
            return appendAudit(trx, change(i + 1))
          }),
        ),
      )
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      )
      const stored = await rows()
      stored.forEach((r, i) => {
        expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : stored[i - 1]!.hash)
      })
      const verified = await verifyAudit(t.store.db)
      expect(verified).toEqual({ ok: true, entries: 20, head: stored[19]!.hash })
    })

    it('leaves no entry for a change that rolls back, and the next one takes its number', async () => {
      await appendAll([change(1)])
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          await appendAudit(trx, change(2))
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      expect((await rows()).map((r) => Number(r.seq))).toEqual([1])
      const [next] = await appendAll([change(3)])
      expect(next?.seq).toBe(2)
      expect((await verifyAudit(t.store.db)).ok).toBe(true)
    })
  })

  describe('verifying names the first entry', () => {
    beforeEach(async () => {
      await appendAll([1, 2, 3, 4, 5].map(change))
    })

    it('edited in place', async () => {
      await t.store.db
        .updateTable('audit_log')
        .set({ actor: 'mallory' })
        .where('seq', '=', 3)
        .execute()
      const hashes = (await rows()).map((r) => r.hash)
      expect(await verifyAudit(t.store.db)).toEqual({
        ok: false,
        entries: 2,
        head: hashes[1],
        problem: {
          seq: 3,
          kind: 'edited',
          message: 'entry 3 was edited: its fields no longer give its hash',
        },
      })
    })

    it('deleted from the middle', async () => {
      await t.store.db.deleteFrom('audit_log').where('seq', '=', 3).execute()
      expect((await verifyAudit(t.store.db)).problem).toEqual({
        seq: 3,
        kind: 'deleted',
        message: 'entry 3 is missing: the log jumps from 2 to 4',
      })
    })

    it('reordered (two entries swap their numbers)', async () => {
      const db = t.store.db
      await db.updateTable('audit_log').set({ seq: -1 }).where('seq', '=', 2).execute()
      await db.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 4).execute()
      await db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', -1).execute()
      const verified = await verifyAudit(db)
      expect(verified.entries).toBe(1)
      expect(verified.problem).toEqual({
        seq: 2,
        kind: 'reordered',
        message:
          'entry 2 does not follow entry 1: it chains to another hash (reordered or replaced)',
      })
    })

    it('cut from the end', async () => {
      const hashes = (await rows()).map((r) => r.hash)
      await t.store.db.deleteFrom('audit_log').where('seq', '=', 5).execute()
      const verified = await verifyAudit(t.store.db)
      expect(verified).toMatchObject({ ok: false, entries: 4, head: hashes[3] })
      expect(verified.problem).toMatchObject({ seq: 5, kind: 'head-mismatch' })
      expect(verified.problem?.message).toContain('entries after 4 were deleted')
    })

    it('whose detail was rewritten, even with its JSON reformatted', async () => {
      await t.store.db
        .updateTable('audit_log')
        .set({ detail: sql<string>`replace(detail, '"version":4', '"version": 9')` })
        .where('seq', '=', 4)
        .execute()
      expect((await verifyAudit(t.store.db)).problem).toMatchObject({ seq: 4, kind: 'edited' })
    })
  })
}
