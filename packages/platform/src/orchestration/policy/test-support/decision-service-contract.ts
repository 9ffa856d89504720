import { afterEach, beforeEach, expect, it } from 'vitest'
import { verifyAudit } from '../../../governance/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { createDecisionService } from '../decision-service.js'
import { parsePolicy } from '../parse-policy.js'

const POLICY = parsePolicy(
  { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }] },
  'test',
)
const FACTS = { challenger: { roc_auc: 0.74 }, champion: { roc_auc: 0.72 } }

/** The decision store's behaviour, run on each backend. */
export function runDecisionServiceContract(open: () => Promise<TestStore>): void {
  let testStore: TestStore
  beforeEach(async () => {
    testStore = await open()
  })
  afterEach(() => testStore.dispose())

  it('records a decision with its audit entry, and approves it once', async () => {
    const decisions = createDecisionService({ store: testStore.store })
    const decided = await decisions.decide(
      {
        model: 'loans',
        challengerVersion: 2,
        championVersion: 1,
        policy: POLICY,
        facts: FACTS,
        pipelineRun: 'run-1',
      },
      'system:pipeline:retrain',
    )
    expect(decided).toMatchObject({
      model: 'loans',
      challengerVersion: 2,
      championVersion: 1,
      status: 'pending_approval',
      passed: false,
      pipelineRun: 'run-1',
      decidedBy: 'system:pipeline:retrain',
      approvedBy: null,
      approvedAt: null,
    })
    expect(await decisions.get(decided.id)).toEqual(decided)

    const approved = await decisions.approve(decided.id, 'alice')
    expect(approved).toMatchObject({ status: 'passed', passed: true, approvedBy: 'alice' })
    expect(approved.rules[1]).toMatchObject({
      rule: 'approval required',
      passed: true,
      reason: expect.stringMatching(/^approved by alice at \d{4}-\d\d-\d\dT/),
    })
    expect(approved.facts.approval).toEqual({ by: 'alice', at: approved.approvedAt })
    await expect(decisions.approve(decided.id, 'bob')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: `Promotion decision ${decided.id} is passed, not pending_approval: only a decision waiting for approval can be approved`,
    })

    const audit = await testStore.store.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .orderBy('seq')
      .execute()
    expect(audit).toEqual([
      {
        actor: 'system:pipeline:retrain',
        action: 'model.promotion.decide',
        target: 'model:loans/2',
      },
      { actor: 'alice', action: 'model.promotion.approve', target: 'model:loans/2' },
    ])
    expect(await verifyAudit(testStore.store.db)).toMatchObject({ ok: true, entries: 2 })
  })

  it('lists newest first, by model or pipeline run, page by page, and names what is not there', async () => {
    const decisions = createDecisionService({ store: testStore.store })
    const input = { championVersion: null, policy: POLICY, facts: FACTS }
    const a = await decisions.decide({ ...input, model: 'loans', challengerVersion: 1 }, 'a')
    const b = await decisions.decide(
      { ...input, model: 'fraud', challengerVersion: 1, pipelineRun: 'prun-7' },
      'a',
    )
    const c = await decisions.decide({ ...input, model: 'loans', challengerVersion: 2 }, 'a')
    expect((await decisions.list()).map((d) => d.id)).toEqual([c.id, b.id, a.id])
    expect((await decisions.list({ model: 'loans' })).map((d) => d.id)).toEqual([c.id, a.id])
    expect((await decisions.list({ limit: 1 })).map((d) => d.id)).toEqual([c.id])
    expect((await decisions.list({ pipelineRun: 'prun-7' })).map((d) => d.id)).toEqual([b.id])
    expect((await decisions.list({ beforeId: c.id, limit: 1 })).map((d) => d.id)).toEqual([b.id])
    await expect(decisions.get(999)).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Promotion decision 999 not found',
    })
    await expect(decisions.list({ limit: 0 })).rejects.toThrow(
      "Invalid value for parameter 'limit': expected an integer from 1 to 1000, got 0",
    )
  })
}
