import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { ANONYMOUS_ADMIN } from '../../governance/actor.js'
import { listAudit } from '../../governance/index.js'
import { PredictionLog } from '../../serving/index.js'
import { predictionRow } from '../../serving/prediction-log/test-support/prediction-log-fixture.js'
import type { TestStore } from '../../storage/test-support/test-stores.js'
import { collectArtifactGarbage } from '../artifact-gc.js'

const DAY = 86_400_000
const bytes = (text: string) => new TextEncoder().encode(text)
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** The artifact store's garbage collection, run on every metadata backend. */
export function runArtifactGcSuite(open: () => Promise<TestStore>): void {
  describe('collectArtifactGarbage', () => {
    let t: TestData
    /** Blobs something refers to. */
    let used: { dataset: string; artifact: string; segment: string }
    const later = () => Date.now() + 8 * DAY

    beforeEach(async () => {
      t = await openTestData({ open })
      const { services } = t
      const version = await services.data.ingest({
        name: 'small',
        input: t.file('small.csv', 'a,b\n1,x\n2,y\n'),
        actor: ANONYMOUS_ADMIN,
      })
      const run = await services.tracking.runs.create({ experimentId: '0' }, 'tester')
      const root = `0/${run.info.run_id}/artifacts`
      await services.tracking.artifacts.upload(`${root}/notes.txt`, bytes('kept notes'))
      // Two files with the same content: deleting one leaves the blob in use by the other.
      await services.tracking.artifacts.upload(`${root}/a.txt`, bytes('shared'))
      await services.tracking.artifacts.upload(`${root}/b.txt`, bytes('shared'))
      await services.tracking.artifacts.delete(`${root}/a.txt`)
      await services.tracking.artifacts.upload(`${root}/gone.txt`, bytes('deleted file'))
      await services.tracking.artifacts.delete(`${root}/gone.txt`)
      const log = new PredictionLog({ store: t.store, artifacts: t.artifacts, flushIntervalMs: 0 })
      log.append(predictionRow('r1', Date.now()))
      await log.close()
      const [segment] = await t.store.db
        .selectFrom('prediction_segments')
        .select('blob_digest')
        .execute()
      // A blob stored and never recorded, as a process that died in between leaves it.
      await t.artifacts.put(bytes('never recorded'))
      used = {
        dataset: version.version.blobDigest,
        artifact: sha256('kept notes'),
        segment: segment!.blob_digest,
      }
    })
    afterEach(() => t.dispose())

    const stored = async () => {
      const digests: string[] = []
      for await (const blob of t.artifacts.list()) digests.push(blob.digest)
      return digests.sort()
    }
    const orphans = [sha256('deleted file'), sha256('never recorded')].sort()

    it('in a dry run names the unreferenced old blobs and removes nothing', async () => {
      const before = await stored()
      const result = await collectArtifactGarbage(t.services, {
        actor: 'alice',
        dryRun: true,
        now: later,
      })
      expect(result.deleted.map((b) => b.digest).sort()).toEqual(orphans)
      expect(result.deleted.find((b) => b.digest === sha256('deleted file'))!.size).toBe(12)
      expect(result).toMatchObject({ listed: 6, referenced: 4, young: 0, bytes: 12 + 14 })
      expect(await stored()).toEqual(before)
      expect(await listAudit(t.store.db, { action: 'artifacts.gc', limit: 10 })).toEqual([])
    })

    it('keeps unreferenced blobs younger than the minimum age', async () => {
      const result = await collectArtifactGarbage(t.services, { actor: 'alice' })
      expect(result).toMatchObject({ listed: 6, referenced: 4, young: 2, deleted: [], bytes: 0 })
      expect(await stored()).toHaveLength(6)
    })

    it('removes the unreferenced old blobs, keeps every referenced one readable, and audits it', async () => {
      const result = await collectArtifactGarbage(t.services, { actor: 'alice', now: later })
      expect(result.deleted.map((b) => b.digest).sort()).toEqual(orphans)
      expect(await stored()).toEqual(
        [used.dataset, used.artifact, used.segment, sha256('shared')].sort(),
      )
      expect((await t.services.data.head('small', 1, 5)).rows).toHaveLength(2)
      expect(Buffer.from(await t.artifacts.getBytes(sha256('shared'))).toString()).toBe('shared')
      const [entry] = await listAudit(t.store.db, { action: 'artifacts.gc', limit: 10 })
      expect(entry).toMatchObject({
        actor: 'alice',
        target: 'artifacts',
        detail: { deleted: 2, bytes: 26, minAgeMs: 7 * DAY, store: t.artifacts.description },
      })
      // Nothing left to do.
      const again = await collectArtifactGarbage(t.services, { actor: 'alice', now: later })
      expect(again).toMatchObject({ listed: 4, referenced: 4, deleted: [] })
    })

    it('keeps a blob put again after it was listed, as it is about to be referenced', async () => {
      const { services } = t
      const result = await collectArtifactGarbage(services, {
        actor: 'alice',
        minAgeMs: 60_000,
        // The sweep starts a minute and a second after the put: both orphans are old enough...
        now: () => Date.now() + 61_000,
      })
      expect(result.deleted).toHaveLength(2)
      // ...while a sweep that meets a fresh put of the same content leaves it alone.
      await t.artifacts.put(bytes('never recorded'))
      const listedLater = await collectArtifactGarbage(services, {
        actor: 'alice',
        minAgeMs: 60_000,
      })
      expect(listedLater).toMatchObject({ young: 1, deleted: [] })
      expect(await t.artifacts.stat(sha256('never recorded'))).toBeDefined()
    })

    it('stops when its signal is aborted, removing nothing more', async () => {
      const stop = new AbortController()
      stop.abort(new Error('stopped'))
      await expect(
        collectArtifactGarbage(t.services, { actor: 'alice', now: later, signal: stop.signal }),
      ).rejects.toThrow('stopped')
      expect(await stored()).toHaveLength(6)
    })

    it('refuses a negative minimum age', async () => {
      await expect(
        collectArtifactGarbage(t.services, { actor: 'alice', minAgeMs: -1 }),
      ).rejects.toThrow('minimum age must be zero or more milliseconds, got -1')
    })
  })
}
