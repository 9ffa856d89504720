import { AppError, InvalidParameterError, NotFoundError } from '@ballast/contracts'
import type { Selectable, Transaction } from 'kysely'
import { appendAudit } from '../../governance/index.js'
import type { DatabaseSchema, MetadataStore, PromotionDecisionsTable } from '../../storage/index.js'
import { evaluatePolicy } from './evaluate-policy.js'
import { parsePolicy, policyDocument } from './parse-policy.js'
import type { DecisionStatus, PolicyFacts, PromotionPolicy, RuleResult } from './policy-types.js'

/** A recorded promotion decision. Times are epoch ms. */
export interface PromotionDecision {
  id: number
  model: string
  challengerVersion: number
  championVersion: number | null
  policy: PromotionPolicy
  facts: PolicyFacts
  status: DecisionStatus
  passed: boolean
  rules: RuleResult[]
  pipelineRun: string | null
  decidedAt: number
  decidedBy: string
  approvedBy: string | null
  approvedAt: number | null
}

export interface DecideInput {
  model: string
  challengerVersion: number
  championVersion: number | null
  policy: PromotionPolicy
  facts: PolicyFacts
  pipelineRun?: string | null
}

/** Judges challengers under policies and keeps the decisions; every change is audited. */
export interface DecisionService {
  /** Evaluates the policy on the facts and records the decision. */
  decide(input: DecideInput, actor: string): Promise<PromotionDecision>
  get(id: number): Promise<PromotionDecision>
  /** Newest first; `beforeId` pages back from a decision. */
  list(options?: {
    model?: string
    pipelineRun?: string
    beforeId?: number
    limit?: number
  }): Promise<PromotionDecision[]>
  /** Approves a decision waiting for approval: the policy is judged again with the approval. */
  approve(id: number, actor: string): Promise<PromotionDecision>
}

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

type Row = Selectable<PromotionDecisionsTable>

function fromRow(row: Row): PromotionDecision {
  const status = row.status as DecisionStatus
  return {
    id: Number(row.id),
    model: row.model,
    challengerVersion: Number(row.challenger_version),
    championVersion: row.champion_version === null ? null : Number(row.champion_version),
    policy: parsePolicy(JSON.parse(row.policy) as unknown, `decision ${row.id}`),
    facts: JSON.parse(row.facts) as PolicyFacts,
    status,
    passed: status === 'passed',
    rules: JSON.parse(row.rules) as RuleResult[],
    pipelineRun: row.pipeline_run,
    decidedAt: Number(row.decided_at),
    decidedBy: row.decided_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at === null ? null : Number(row.approved_at),
  }
}

/** What the audit log digests as the decision's state. */
function auditState(d: PromotionDecision) {
  return {
    id: d.id,
    model: d.model,
    challenger_version: d.challengerVersion,
    champion_version: d.championVersion,
    status: d.status,
    rules: d.rules,
    approved_by: d.approvedBy,
  }
}

const target = (d: { model: string; challengerVersion: number }) =>
  `model:${d.model}/${d.challengerVersion}`

function checkId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'id': expected a decision id (a positive integer), got ${id}`,
    )
  }
  return id
}

async function load(db: MetadataStore['db'] | Transaction<DatabaseSchema>, id: number) {
  const row = await db
    .selectFrom('promotion_decisions')
    .selectAll()
    .where('id', '=', checkId(id))
    .executeTakeFirst()
  if (row === undefined) throw new NotFoundError(`Promotion decision ${id} not found`)
  return fromRow(row)
}

export function createDecisionService(deps: { store: MetadataStore }): DecisionService {
  const { db } = deps.store

  return {
    async decide(input, actor) {
      const verdict = evaluatePolicy(input.policy, input.facts)
      const now = Date.now()
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('promotion_decisions')
          .values({
            model: input.model,
            challenger_version: input.challengerVersion,
            champion_version: input.championVersion,
            policy: JSON.stringify(policyDocument(input.policy)),
            facts: JSON.stringify(input.facts),
            status: verdict.status,
            rules: JSON.stringify(verdict.rules),
            pipeline_run: input.pipelineRun ?? null,
            decided_at: now,
            decided_by: actor,
            approved_by: null,
            approved_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const decision = await load(trx, Number(inserted.id))
        await appendAudit(trx, {
          actor,
          action: 'model.promotion.decide',
          target: target(decision),
          after: auditState(decision),
          detail: { decision: decision.id, status: decision.status },
          time: now,
        })
        return decision
      })
    },

    get: (id) => load(db, id),

    async list(options = {}) {
      const limit = options.limit ?? DEFAULT_LIMIT
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'limit': expected an integer from 1 to ${MAX_LIMIT}, got ${limit}`,
        )
      }
      let query = db.selectFrom('promotion_decisions').selectAll()
      if (options.model !== undefined) query = query.where('model', '=', options.model)
      if (options.pipelineRun !== undefined) {
        query = query.where('pipeline_run', '=', options.pipelineRun)
      }
      if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId)
      const rows = await query.orderBy('id', 'desc').limit(limit).execute()
      return rows.map(fromRow)
    },

    async approve(id, actor) {
      const now = Date.now()
      return db.transaction().execute(async (trx) => {
        const before = await load(trx, id)
        if (before.status !== 'pending_approval') {
          throw new AppError(
            'INVALID_STATE',
            `Promotion decision ${id} is ${before.status}, not pending_approval: only a decision waiting for approval can be approved`,
          )
        }
        const facts: PolicyFacts = { ...before.facts, approval: { by: actor, at: now } }
        const verdict = evaluatePolicy(before.policy, facts)
        // The status guard makes a second, concurrent approval update nothing.
        const updated = await trx
          .updateTable('promotion_decisions')
          .set({
            facts: JSON.stringify(facts),
            status: verdict.status,
            rules: JSON.stringify(verdict.rules),
            approved_by: actor,
            approved_at: now,
          })
          .where('id', '=', id)
          .where('status', '=', 'pending_approval')
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) {
          throw new AppError('CONFLICT', `Promotion decision ${id} was approved by someone else`)
        }
        const after = await load(trx, id)
        await appendAudit(trx, {
          actor,
          action: 'model.promotion.approve',
          target: target(after),
          before: auditState(before),
          after: auditState(after),
          detail: { decision: id, status: after.status },
          time: now,
        })
        return after
      })
    },
  }
}
