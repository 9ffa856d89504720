import { InvalidParameterError, NotFoundError } from '@ballast/contracts'
import type {
  MetricValues,
  PolicyFacts,
  StepInputs,
  StepOutputs,
} from '../../orchestration/index.js'
import type { LoadedModel } from '../../serving/index.js'
import { loadModel } from '../../serving/index.js'
import { evaluate } from '../../training/index.js'
import type { Services } from '../services.js'
import { type ChampionSpec, type EvaluationData, parseEvaluateInputs } from './evaluate-inputs.js'
import { readLabelledWindow } from './production-window.js'
import { aliasVersion } from './rollout-alias.js'
import type { StepContext, StepKind } from './step-types.js'

/** The metrics both models are compared on, by task (training's evaluation computes them). */
const CLASSIFICATION_METRICS = ['accuracy', 'roc_auc', 'f1', 'log_loss']
const REGRESSION_METRICS = ['rmse', 'mae', 'r2']
const BATCH = 1000

/** Rows to score: each row's inputs and its true label as text. */
interface LabelledRows {
  records: Record<string, unknown>[]
  labels: string[]
  description: string
}

async function labelledRows(services: Services, data: EvaluationData): Promise<LabelledRows> {
  if (data.kind === 'window') {
    const w = await readLabelledWindow(services, data.query)
    return {
      records: w.records,
      labels: w.labels,
      description: `the ${w.records.length} most recent labelled predictions of '${w.deployment}'`,
    }
  }
  const read = await services.data.readColumns(data.name, data.version)
  const target = read.columns.find((c) => c.name === data.target)
  if (target === undefined) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'data.target': dataset ${read.version.name}@${read.version.version} has no column '${data.target}'`,
    )
  }
  const features = read.columns.filter((c) => c !== target)
  type Cell = string | number | boolean | null
  const cell = (values: Float64Array | (string | null)[], i: number, type: string): Cell => {
    const v = values[i]
    if (typeof v !== 'number') return v ?? null
    if (Number.isNaN(v)) return null
    if (type === 'boolean') return v === 1
    return type === 'datetime' ? new Date(v).toISOString() : v
  }
  const records: Record<string, unknown>[] = []
  const labels: string[] = []
  for (let i = 0; i < read.rowCount; i++) {
    const label = cell(target.values, i, target.type)
    if (label === null) continue
    records.push(Object.fromEntries(features.map((c) => [c.name, cell(c.values, i, c.type)])))
    labels.push(String(label))
  }
  return {
    records,
    labels,
    description: `${labels.length} labelled rows of ${read.version.name}@${read.version.version}`,
  }
}

async function predictAll(model: LoadedModel, records: readonly Record<string, unknown>[]) {
  const names = model.inputs.map((i) => i.name)
  const out = []
  for (let i = 0; i < records.length; i += BATCH) {
    // Each model takes its own inputs: the other's extra columns are not its business.
    const batch = records
      .slice(i, i + BATCH)
      .map((r) => (names.length === 0 ? r : Object.fromEntries(names.map((n) => [n, r[n]]))))
    out.push(...(await model.predictRecords(batch)))
  }
  return out
}

/** The model's metrics on the rows (labels its classes do not know are left out). */
async function score(model: LoadedModel, rows: LabelledRows): Promise<MetricValues> {
  const answers = await predictAll(model, rows.records)
  const classes = model.classes
  let metrics: Record<string, number>
  if (classes !== null && classes.length > 0) {
    const index = new Map(classes.map((c, k) => [String(c), k]))
    const K = classes.length
    const keep = rows.labels.flatMap((l, i) => (index.has(l) ? [i] : []))
    if (keep.length === 0) {
      throw new InvalidParameterError(
        `model ${model.name}/${model.version}: none of the labels is one of its classes (${classes.join(', ')})`,
      )
    }
    const label = Float64Array.from(keep, (i) => index.get(rows.labels[i]!)!)
    const probs = new Float64Array(keep.length * K)
    keep.forEach((i, j) => {
      const p = answers[i]!.probabilities ?? {}
      classes.forEach((c, k) => (probs[j * K + k] = p[String(c)] ?? 0))
    })
    metrics = evaluate('classification', label, probs, K).metrics
    return pick(metrics, CLASSIFICATION_METRICS)
  }
  const label = Float64Array.from(rows.labels, Number)
  const predicted = Float64Array.from(answers, (a) => Number(a.prediction))
  metrics = evaluate('regression', label, predicted, 0).metrics
  return pick(metrics, REGRESSION_METRICS)
}

function pick(metrics: Record<string, number>, keys: readonly string[]): MetricValues {
  const out: MetricValues = {}
  for (const k of keys) {
    const v = metrics[k]
    if (v !== undefined && Number.isFinite(v)) out[k] = v
  }
  return out
}

/** The champion's model and version; null when there is none yet (alias unset, no deployment). */
async function championVersion(
  services: Services,
  spec: ChampionSpec,
): Promise<{ model: string; version: number } | null> {
  if (spec.kind === 'version') return { model: spec.model, version: spec.version }
  if (spec.kind === 'alias') {
    const version = await aliasVersion(services, spec.model, spec.alias)
    return version === null ? null : { model: spec.model, version }
  }
  try {
    const served = await services.serving.deployments.get(spec.deployment)
    return { model: served.model, version: served.version }
  } catch (error) {
    if (error instanceof NotFoundError) return null
    throw error
  }
}

async function withModel<T>(
  services: Services,
  ref: { model: string; version: number },
  work: (model: LoadedModel) => Promise<T>,
): Promise<T> {
  const model = await loadModel({ registry: services.registry }, ref.model, ref.version)
  try {
    return await work(model)
  } finally {
    await model.close()
  }
}

const prefixed = (prefix: string, metrics: MetricValues) =>
  Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]))

async function run(ctx: StepContext, inputs: StepInputs): Promise<StepOutputs> {
  const { services } = ctx
  const spec = parseEvaluateInputs(inputs, 'with')!
  const rows = await labelledRows(services, spec.data)
  ctx.log(`scoring on ${rows.description}`)
  ctx.progress(0, 2, `scoring ${spec.challenger.model}/${spec.challenger.version}`)
  const challenger = await withModel(services, spec.challenger, (m) => score(m, rows))
  const champion = await championVersion(services, spec.champion)
  let championMetrics: MetricValues | null = null
  if (champion === null) {
    ctx.log('no champion: comparisons with it pass')
  } else {
    ctx.progress(1, 2, `scoring ${champion.model}/${champion.version}`)
    championMetrics = await withModel(services, champion, (m) => score(m, rows))
  }

  const now = Date.now()
  await services.tracking.logging.logBatch(ctx.trackingRunId, {
    metrics: Object.entries({
      ...prefixed('challenger_', challenger),
      ...prefixed('champion_', championMetrics ?? {}),
    }).map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
  })

  const facts: PolicyFacts = {
    challenger,
    champion: championMetrics,
    ...(spec.validation === undefined ? {} : { validation: { passed: spec.validation } }),
    ...(spec.driftShare === undefined ? {} : { drift: { share: spec.driftShare } }),
  }
  const decision = await services.orchestration.decisions.decide(
    {
      model: spec.challenger.model,
      challengerVersion: spec.challenger.version,
      championVersion: champion?.version ?? null,
      policy: spec.policy,
      facts,
      pipelineRun: ctx.runId,
    },
    ctx.actor,
  )
  const reasons = decision.rules
    .map(
      (r) =>
        `${r.rule}: ${r.passed === null ? 'pending' : r.passed ? 'passed' : 'failed'} (${r.reason})`,
    )
    .join('; ')
  ctx.log(`decision ${decision.id}: ${decision.status}: ${reasons}`)
  await services.tracking.logging
    .logBatch(ctx.trackingRunId, {
      tags: [
        { key: 'ballast.decision.id', value: String(decision.id) },
        { key: 'ballast.decision.status', value: decision.status },
      ],
    })
    .catch((error: unknown) =>
      ctx.log(
        `could not tag tracking run ${ctx.trackingRunId}: ${(error as Error).message}`,
        'warn',
      ),
    )
  ctx.progress(2, 2, decision.status)
  // A failed policy is an answer, not an error: the step succeeds and `passed` says no.
  return {
    passed: decision.passed,
    status: decision.status,
    decision_id: decision.id,
    reasons,
    challenger: `${spec.challenger.model}/${spec.challenger.version}`,
    champion: champion === null ? null : `${champion.model}/${champion.version}`,
    rows: rows.records.length,
    ...prefixed('challenger_', challenger),
    ...prefixed('champion_', championMetrics ?? {}),
  }
}

/**
 * `evaluate`: scores the challenger and the champion on the same labelled rows, judges the
 * promotion policy, and records the decision. `policy` may name a file.
 */
export const EVALUATE_STEP: StepKind & { readonly fileInputs: readonly string[] } = {
  kind: 'evaluate',
  // The window moves with every labelled prediction and each run records a decision.
  cacheable: false,
  fileInputs: ['policy'],
  validate(inputs, field) {
    parseEvaluateInputs(inputs, field, true)
  },
  run,
}
