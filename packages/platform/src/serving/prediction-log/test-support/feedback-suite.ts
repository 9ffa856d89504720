import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../../storage/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { MAX_FEEDBACK_ITEMS, createFeedbackService } from '../feedback-service.js'

async function stored(store: MetadataStore) {
  return store.db
    .selectFrom('prediction_feedback')
    .selectAll()
    .orderBy('deployment')
    .orderBy('request_id')
    .execute()
}

/** The feedback service's behaviour, run on every metadata backend. */
export function runFeedbackSuite(open: () => Promise<TestStore>): void {
  describe('FeedbackService', () => {
    let t: TestStore
    let clock = 1000
    beforeEach(async () => {
      t = await open()
      clock = 1000
    })
    afterEach(async () => {
      await t.dispose()
    })
    const service = () => createFeedbackService({ store: t.store, now: () => clock })

    it('stores labels as text, and a later label replaces an earlier one', async () => {
      const feedback = service()
      expect(
        await feedback.record('churn', [
          { request_id: 'r-1', label: 'yes' },
          { request_id: 'r-2', label: 0 },
          { request_id: 'r-3', label: true },
        ]),
      ).toBe(3)
      clock = 2000
      expect(await feedback.record('churn', [{ request_id: 'r-2', label: 1.5 }])).toBe(1)
      expect(await feedback.record('fraud', [{ request_id: 'r-1', label: 'no' }])).toBe(1)
      expect(await stored(t.store)).toEqual([
        { deployment: 'churn', request_id: 'r-1', label: 'yes', time: 1000 },
        { deployment: 'churn', request_id: 'r-2', label: '1.5', time: 2000 },
        { deployment: 'churn', request_id: 'r-3', label: 'true', time: 1000 },
        { deployment: 'fraud', request_id: 'r-1', label: 'no', time: 2000 },
      ])
    })

    it('within one call the last label of a request id wins', async () => {
      expect(
        await service().record('churn', [
          { request_id: 'r-1', label: 'a' },
          { request_id: 'r-2', label: 'b' },
          { request_id: 'r-1', label: 'c' },
        ]),
      ).toBe(2)
      expect((await stored(t.store)).map((r) => [r.request_id, r.label])).toEqual([
        ['r-1', 'c'],
        ['r-2', 'b'],
      ])
    })

    it('records 10,000 labels in one call, refuses more naming the limit', async () => {
      const items = Array.from({ length: MAX_FEEDBACK_ITEMS }, (_, i) => ({
        request_id: `r-${i}`,
        label: i % 2,
      }))
      expect(await service().record('churn', items)).toBe(10_000)
      expect((await stored(t.store)).length).toBe(10_000)
      await expect(
        service().record('churn', [...items, { request_id: 'x', label: 1 }]),
      ).rejects.toThrow(
        "Invalid value for parameter 'feedback': 10001 items; at most 10000 per request",
      )
    })

    it.each([
      [[{ request_id: 'a', label: 1 }, 'oops'], "'feedback[1]': expected an object"],
      [[{ label: 1 }], "'feedback[0].request_id': expected a non-empty string"],
      [[{ request_id: '', label: 1 }], "'feedback[0].request_id': expected a non-empty string"],
      [
        [{ request_id: 'a', label: 1 }, { request_id: 'b' }],
        "'feedback[1].label': expected a string, number or boolean",
      ],
      [
        [{ request_id: 'a', label: null }],
        "'feedback[0].label': expected a string, number or boolean",
      ],
      [[{ request_id: 'a', label: Number.NaN }], "'feedback[0].label': expected a finite number"],
    ])('refuses %j naming the item, storing nothing', async (items, message) => {
      await expect(service().record('churn', items as never)).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(message) as unknown,
      })
      expect(await stored(t.store)).toEqual([])
    })

    it('refuses a deployment name that cannot be one', async () => {
      await expect(service().record('a/b', [])).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining("parameter 'deployment'") as unknown,
      })
    })

    it('lists a deployment’s labels page by page in request-id order', async () => {
      const feedback = service()
      await feedback.record('churn', [
        { request_id: 'c', label: 3 },
        { request_id: 'a', label: 1 },
        { request_id: 'b', label: 2 },
      ])
      await feedback.record('other', [{ request_id: 'z', label: 0 }])
      const pages: string[][] = []
      for await (const page of feedback.labels('churn', 2)) {
        pages.push(page.map((l) => `${l.requestId}=${l.label}@${l.time}`))
      }
      expect(pages).toEqual([['a=1@1000', 'b=2@1000'], ['c=3@1000']])
    })
    it('looks labels up by request id, in chunks, within one deployment', async () => {
      const feedback = service()
      const items = Array.from({ length: 2500 }, (_, i) => ({ request_id: `r${i}`, label: i % 3 }))
      await feedback.record('churn', items)
      await feedback.record('other', [{ request_id: 'r1', label: 'elsewhere' }])
      const wanted = [
        'r0',
        'r1',
        'r2499',
        'missing',
        ...items.slice(1000, 2100).map((x) => x.request_id),
      ]
      const found = await feedback.lookup('churn', wanted)
      expect(found.size).toBe(1103)
      expect(found.get('r1')).toEqual({ requestId: 'r1', label: '1', time: 1000 })
      expect(found.get('r2499')?.label).toBe('0')
      expect(found.has('missing')).toBe(false)
      expect((await feedback.lookup('churn', [])).size).toBe(0)
    })
  })
}
