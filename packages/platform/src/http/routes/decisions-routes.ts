import {
  DecisionResponse,
  type DecisionWire,
  InvalidParameterError,
  ListDecisionsQuery,
  ListDecisionsResponse,
} from '@ballast/contracts'
import { type PromotionDecision, policyDocument } from '../../orchestration/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

export function decisionToWire(d: PromotionDecision): DecisionWire {
  return {
    id: d.id,
    model: d.model,
    challenger_version: d.challengerVersion,
    champion_version: d.championVersion,
    status: d.status,
    passed: d.passed,
    policy: policyDocument(d.policy),
    facts: d.facts,
    rules: d.rules,
    pipeline_run: d.pipelineRun,
    decided_at: d.decidedAt,
    decided_by: d.decidedBy,
    approved_by: d.approvedBy,
    approved_at: d.approvedAt,
  }
}

function decisionId(params: Record<string, string>): number {
  const text = params.id ?? ''
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'id': ${JSON.stringify(text)}; expected a decision id (a positive integer)`,
    )
  }
  return Number(text)
}

/** Promotion decisions: viewers read them, editors approve those waiting for a person. */
export const DECISIONS_ROUTES: readonly AnyRoute[] = [
  /** `{decisions}`, newest first; `?model=` keeps one model's, `?limit=` (default 100). */
  defineRoute({
    method: 'GET',
    path: '/api/v1/decisions',
    permission: 'viewer',
    query: ListDecisionsQuery,
    response: ListDecisionsResponse,
    handler: async ({ query, services }) => {
      const decisions = await services.orchestration.decisions.list({
        ...(query.model === undefined ? {} : { model: query.model }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })
      return { decisions: decisions.map(decisionToWire) }
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/decisions/:id',
    permission: 'viewer',
    response: DecisionResponse,
    handler: async ({ params, services }) => ({
      decision: decisionToWire(await services.orchestration.decisions.get(decisionId(params))),
    }),
  }),

  /** Approves a decision waiting for approval; the policy is judged again with the approval. */
  defineRoute({
    method: 'POST',
    path: '/api/v1/decisions/:id/approve',
    permission: 'editor',
    response: DecisionResponse,
    handler: async ({ params, services, actor }) => ({
      decision: decisionToWire(
        await services.orchestration.decisions.approve(decisionId(params), actor.name),
      ),
    }),
  }),
]
