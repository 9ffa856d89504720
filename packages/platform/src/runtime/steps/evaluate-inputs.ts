import { readFileSync } from 'node:fs'
import { InvalidParameterError } from '@ballast/contracts'
import { parseDatasetRef } from '../../data/index.js'
import { type PromotionPolicy, type StepInputs, parsePolicy } from '../../orchestration/index.js'
import { type ModelRef, parseModelRef, validateDeploymentName } from '../../serving/index.js'
import { type WindowQuery, windowQueryOf } from './production-window.js'
import { isReference } from './step-inputs.js'

/** The model to beat: a version, an alias, or what a deployment serves. */
export type ChampionSpec = ModelRef | { kind: 'deployment'; deployment: string }

/** The rows both models are scored on. */
export type EvaluationData =
  | { kind: 'window'; query: WindowQuery }
  | { kind: 'dataset'; name: string; version: number | 'latest'; target: string }

export interface EvaluateInputs {
  challenger: { model: string; version: number }
  champion: ChampionSpec
  data: EvaluationData
  policy: PromotionPolicy
  /** Facts from earlier steps: the validation suite's verdict, the training window's drift. */
  validation: boolean | undefined
  driftShare: number | undefined
}

const KEYS = ['challenger', 'champion', 'data', 'policy', 'facts']

const invalid = (field: string, value: unknown, why: string) =>
  new InvalidParameterError(
    `Invalid value for parameter '${field}': ${JSON.stringify(value) ?? String(value)}; ${why}`,
  )

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(field, value, 'expected an object')
  }
  return value as Record<string, unknown>
}

function challengerOf(value: unknown, field: string) {
  const ref = typeof value === 'string' ? parseModelRef(value, field) : null
  if (ref === null || ref.kind !== 'version') {
    throw invalid(field, value, "expected MODEL/VERSION (e.g. the train step's registered model)")
  }
  return { model: ref.model, version: ref.version }
}

function championOf(value: unknown, field: string): ChampionSpec {
  if (typeof value === 'string') return parseModelRef(value, field)
  const o = object(value, field)
  if (typeof o.deployment !== 'string' || Object.keys(o).length !== 1) {
    throw invalid(field, value, 'expected MODEL@ALIAS, MODEL/VERSION or { deployment: NAME }')
  }
  return {
    kind: 'deployment',
    deployment: validateDeploymentName(o.deployment, `${field}.deployment`),
  }
}

function dataOf(value: unknown, field: string): EvaluationData {
  const o = object(value, field)
  if (o.deployment !== undefined) return { kind: 'window', query: windowQueryOf(o, field) }
  if (typeof o.dataset !== 'string' || typeof o.target !== 'string' || o.target === '') {
    throw invalid(
      field,
      value,
      'expected { deployment, last, skip_last? } or { dataset: NAME@VERSION, target }',
    )
  }
  const ref = parseDatasetRef(o.dataset)
  return { kind: 'dataset', name: ref.name, version: ref.version, target: o.target }
}

/** Inline, or a file (made absolute when the pipeline was applied) read when the step runs. */
function policyOf(value: unknown, field: string): PromotionPolicy {
  if (typeof value !== 'string') return parsePolicy(value, field)
  let text: string
  try {
    text = readFileSync(value, 'utf8')
  } catch (error) {
    throw invalid(field, value, `cannot read the policy file (${(error as Error).message})`)
  }
  return parsePolicy(text, value)
}

function booleanFact(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw invalid(field, value, 'expected true or false')
}

function shareFact(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw invalid(field, value, 'expected a share from 0 to 1')
  }
  return n
}

/**
 * The evaluate step's `with`. `declared`: references are not resolved yet, so only the literal
 * values are checked (and a policy file is left to the run).
 */
export function parseEvaluateInputs(
  inputs: StepInputs,
  field: string,
  declared = false,
): EvaluateInputs | undefined {
  for (const key of Object.keys(inputs)) {
    if (!KEYS.includes(key)) {
      throw invalid(
        `${field}.${key}`,
        inputs[key],
        `not an input of evaluate (it takes ${KEYS.join(', ')})`,
      )
    }
  }
  for (const key of ['challenger', 'champion', 'data', 'policy']) {
    if (inputs[key] === undefined) {
      throw new InvalidParameterError(
        `Missing value for parameter '${field}.${key}': the evaluate step needs it`,
      )
    }
  }
  const check = <T>(key: string, parse: (v: unknown, f: string) => T): T | undefined =>
    declared && isReference(inputs[key]) ? undefined : parse(inputs[key], `${field}.${key}`)
  const facts = inputs.facts === undefined ? {} : object(inputs.facts, `${field}.facts`)
  for (const key of Object.keys(facts)) {
    if (key !== 'validation' && key !== 'drift_share') {
      throw invalid(`${field}.facts.${key}`, facts[key], 'the facts are validation and drift_share')
    }
  }
  const fact = <T>(key: string, parse: (v: unknown, f: string) => T): T | undefined =>
    declared && isReference(facts[key]) ? undefined : parse(facts[key], `${field}.facts.${key}`)
  const parsed = {
    challenger: check('challenger', challengerOf),
    champion: check('champion', championOf),
    data:
      declared && JSON.stringify(inputs.data).includes('${{') ? undefined : check('data', dataOf),
    policy: declared && typeof inputs.policy === 'string' ? undefined : check('policy', policyOf),
    validation: fact('validation', booleanFact),
    driftShare: fact('drift_share', shareFact),
  }
  if (declared) return undefined
  return parsed as EvaluateInputs
}
