import type { ModelCard, ModelLineageWire, SignatureField } from '@ballast/contracts'
import type { VersionDetails } from './model-details.js'

/**
 * Model cards after Mitchell et al., "Model Cards for Model Reporting" (FAT* 2019): what the
 * registry knows of a version, in their sections, with what it cannot know stated as missing.
 */

export const INTENDED_USE_TAG = 'intended_use'
export const CAVEATS_TAG = 'caveats'
export const INTENDED_USE_PLACEHOLDER =
  "Not stated. The model's owner should describe who may use it and for what: set the " +
  `registered model's description or its tag '${INTENDED_USE_TAG}'.`

/** Metrics a card reports: held-out and cross-validated ones. */
const CARD_METRIC = /^(test|cv)_/
/** Params that say how the data was split for evaluation. */
const SPLIT_PARAMS = ['split', 'split_strategy', 'split_method', 'validation_split']
const TIME_SPLIT = /time|temporal|chrono|date/i
const CLASS_BALANCE = /(^|_)(positive_rate|class_balance|prevalence)$/

export interface ModelCardInput {
  name: string
  version: number
  aliases: readonly string[]
  createdAt: number
  createdBy: string
  runId: string
  /** The registered model's description and tags. */
  modelDescription: string
  modelTags: Readonly<Record<string, string>>
  details: VersionDetails
  lineage: ModelLineageWire
  /** Row count of each Ballast dataset version in the lineage, `name@version` → rows. */
  datasetRows: ReadonlyMap<string, number>
}

function cardDatasets(input: ModelCardInput, context: string) {
  return input.lineage.datasets
    .filter((d) => d.context === context)
    .map((d) => ({
      name: d.name,
      version: d.version,
      digest: d.digest,
      rows: d.version === null ? null : (input.datasetRows.get(`${d.name}@${d.version}`) ?? null),
    }))
}

/**
 * How a held-out test set was drawn, from the parameters Ballast's trainers log (`split`,
 * `splitColumn`, `testAfter`, `testFraction`, `folds`); null when the run logged none of them.
 */
export function evaluationMethod(params: Record<string, string>): string | null {
  const parts: string[] = []
  if (params.split === 'time' && params.splitColumn !== undefined) {
    parts.push(
      `held out from the training data: rows with ${params.splitColumn} at or after ${params.testAfter ?? '?'} (time split)`,
    )
  } else if (params.split === 'random' && params.testFraction !== undefined) {
    parts.push(
      `held out from the training data: a random ${Number(params.testFraction) * 100}% of the rows (seed ${params.seed ?? '?'})`,
    )
  }
  const folds = Number(params.folds ?? 0)
  if (folds > 1) parts.push(`${folds}-fold cross-validation on the training rows`)
  return parts.length === 0 ? null : parts.join('; ')
}

function automaticCaveats(input: ModelCardInput, hasEvaluation: boolean): string[] {
  const out: string[] = []
  const params = input.lineage.params
  const split = SPLIT_PARAMS.map((p) => params[p]).find((v) => v !== undefined)
  if (split !== undefined && TIME_SPLIT.test(split)) {
    out.push(`Evaluated on a time split (${split}): later data was held out.`)
  } else {
    out.push(
      'Not evaluated on a time split' +
        (split === undefined ? '' : ` (split: ${split})`) +
        ': metrics may overstate performance on data from later periods.',
    )
  }
  if (!hasEvaluation) {
    out.push('No evaluation data is recorded in the lineage of this version.')
  }
  const balance = Object.entries(input.lineage.metrics).filter(([k]) => CLASS_BALANCE.test(k))
  if (balance.length > 0) {
    out.push(`Class balance: ${balance.map(([k, v]) => `${k} = ${v}`).join(', ')}.`)
  } else if (input.details.task === 'classification') {
    out.push('Class balance of the training data is not recorded.')
  }
  if (input.details.signature === null) {
    out.push('The input signature is unknown: the version has no model package.')
  }
  return out
}

export function buildModelCard(input: ModelCardInput): ModelCard {
  const tagged = input.modelTags[INTENDED_USE_TAG]?.trim()
  const described = input.modelDescription.trim()
  const intended = tagged || described
  const metrics: Record<string, number | string> = {}
  for (const key of Object.keys(input.lineage.metrics).sort()) {
    if (CARD_METRIC.test(key)) metrics[key] = input.lineage.metrics[key] as number | string
  }
  const evaluation = cardDatasets(input, 'evaluation')
  const method = evaluationMethod(input.lineage.params)
  const ownCaveats = input.modelTags[CAVEATS_TAG]?.trim()
  return {
    model_details: {
      name: input.name,
      version: input.version,
      aliases: [...input.aliases],
      task: input.details.task,
      algo: input.details.algo,
      created_at: input.createdAt,
      created_by: input.createdBy,
      run_id: input.runId,
      git_commit: input.lineage.git_commit,
      description: input.modelDescription,
    },
    intended_use: intended
      ? { text: intended, provided: true }
      : { text: INTENDED_USE_PLACEHOLDER, provided: false },
    factors: {
      inputs: input.details.signature?.inputs ?? [],
      outputs: input.details.signature?.outputs ?? [],
    },
    metrics,
    training_data: cardDatasets(input, 'training'),
    evaluation_data: evaluation,
    evaluation_method: method,
    ethical_considerations: [
      'Review the training data for under-represented groups and for features that act as ' +
        'proxies of protected attributes before use in decisions about people.',
    ],
    caveats: [
      ...(ownCaveats ? [ownCaveats] : []),
      ...automaticCaveats(input, evaluation.length > 0 || method !== null),
    ],
  }
}

function fieldType(f: SignatureField): string {
  if (f.type !== 'tensor' || f.tensorSpec === undefined) return f.type
  return `tensor ${f.tensorSpec.dtype} [${f.tensorSpec.shape.join(', ')}]`
}

/** Markdown table cells: pipes and newlines would break the row. */
function cell(value: string | number | null): string {
  return String(value ?? '—')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ')
}

function datasetTable(rows: ModelCard['training_data']): string[] {
  if (rows.length === 0) return ['None recorded.']
  return [
    '| Dataset | Version | Digest | Rows |',
    '|---|---|---|---|',
    ...rows.map(
      (d) => `| ${cell(d.name)} | ${cell(d.version)} | ${cell(d.digest)} | ${cell(d.rows)} |`,
    ),
  ]
}

export function renderModelCardMarkdown(card: ModelCard): string {
  const d = card.model_details
  const lines = [
    `# Model card: ${d.name} version ${d.version}`,
    '',
    '## Model details',
    '',
    `- Name: ${d.name}`,
    `- Version: ${d.version}`,
    `- Aliases: ${d.aliases.length === 0 ? 'none' : d.aliases.join(', ')}`,
    `- Task: ${d.task ?? 'unknown'}`,
    `- Algorithm: ${d.algo ?? 'unknown'}`,
    `- Created: ${new Date(d.created_at).toISOString()} by ${d.created_by}`,
    `- Run: ${d.run_id}`,
    `- Git commit: ${d.git_commit ?? 'unknown'}`,
    ...(d.description === '' ? [] : [`- Description: ${d.description}`]),
    '',
    '## Intended use',
    '',
    card.intended_use.text,
    '',
    '## Factors',
    '',
  ]
  if (card.factors.inputs.length === 0) lines.push('Input features are unknown.')
  else {
    lines.push('| Input | Type |', '|---|---|')
    for (const f of card.factors.inputs) lines.push(`| ${cell(f.name)} | ${cell(fieldType(f))} |`)
  }
  lines.push('', '## Metrics', '')
  const metrics = Object.entries(card.metrics)
  if (metrics.length === 0) lines.push('No test or cross-validation metrics were logged.')
  else {
    lines.push('| Metric | Value |', '|---|---|')
    for (const [k, v] of metrics) lines.push(`| ${cell(k)} | ${cell(v)} |`)
  }
  lines.push('', '## Training data', '', ...datasetTable(card.training_data))
  lines.push('', '## Evaluation data', '')
  if (card.evaluation_method !== null) {
    lines.push(`Test rows ${card.evaluation_method}.`)
    if (card.evaluation_data.length > 0) lines.push('')
  }
  if (card.evaluation_data.length > 0 || card.evaluation_method === null) {
    lines.push(...datasetTable(card.evaluation_data))
  }
  lines.push('', '## Ethical considerations', '')
  for (const e of card.ethical_considerations) lines.push(`- ${e}`)
  lines.push('', '## Caveats and recommendations', '')
  for (const c of card.caveats) lines.push(`- ${c}`)
  return `${lines.join('\n')}\n`
}
