import { InvalidParameterError } from '@ballast/contracts'
import type { RunTrigger, StepOutputs, StepSpec } from './pipeline-types.js'

/**
 * References in a step's `with` and `if`: `${{ params.NAME }}`, `${{ steps.STEP.outputs.KEY }}`
 * and `${{ trigger.KEY }}`. A string that is exactly one reference takes the value's own type;
 * anywhere else references are substituted as text.
 */

export type Reference =
  | { scope: 'params'; name: string; text: string }
  | { scope: 'steps'; step: string; key: string; text: string }
  | { scope: 'trigger'; key: string; text: string }

const REFERENCE = /\$\{\{\s*(.*?)\s*\}\}/g
const WHOLE = /^\$\{\{\s*(.*?)\s*\}\}$/
const NAME = '[A-Za-z_][A-Za-z0-9_-]*'
const PARAMS = new RegExp(`^params\\.(${NAME})$`)
const STEPS = new RegExp(`^steps\\.(${NAME})\\.outputs\\.(${NAME})$`)
const TRIGGER = new RegExp(`^trigger\\.(${NAME})$`)

/** One reference's inside text (`steps.data.outputs.dataset`); throws naming `field` when unknown. */
export function parseReference(inner: string, field: string): Reference {
  const text = `\${{ ${inner} }}`
  let m = PARAMS.exec(inner)
  if (m !== null) return { scope: 'params', name: m[1]!, text }
  m = STEPS.exec(inner)
  if (m !== null) return { scope: 'steps', step: m[1]!, key: m[2]!, text }
  m = TRIGGER.exec(inner)
  if (m !== null) return { scope: 'trigger', key: m[1]!, text }
  throw new InvalidParameterError(
    `${field}: unknown reference '${text}'; expected params.NAME, steps.STEP.outputs.KEY or trigger.KEY`,
  )
}

/** Every reference in a value (strings at any depth), with the field path where it stands. */
export function referencesIn(value: unknown, field: string): { ref: Reference; field: string }[] {
  if (typeof value === 'string') {
    return [...value.matchAll(REFERENCE)].map((m) => ({
      ref: parseReference(m[1]!, field),
      field,
    }))
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => referencesIn(v, `${field}[${i}]`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => referencesIn(v, `${field}.${k}`))
  }
  return []
}

/** The steps a step waits for: those its `with` and `if` read, and those it `needs`. */
export function stepDependencies(step: StepSpec): string[] {
  const read = [...referencesIn(step.with, 'with'), ...referencesIn(step.if ?? null, 'if')]
    .map(({ ref }) => (ref.scope === 'steps' ? ref.step : undefined))
    .filter((s): s is string => s !== undefined)
  return [...new Set([...(step.needs ?? []), ...read])]
}

/** What references resolve against while a run goes. */
export interface ReferenceScope {
  params: Record<string, string | number | boolean>
  trigger: RunTrigger
  /** Outputs of the steps that have finished. */
  steps: Record<string, StepOutputs>
}

function lookup(ref: Reference, scope: ReferenceScope, field: string): unknown {
  let value: unknown
  if (ref.scope === 'params') value = scope.params[ref.name]
  else if (ref.scope === 'trigger') value = scope.trigger.values[ref.key]
  else {
    const outputs = scope.steps[ref.step]
    if (outputs === undefined) {
      throw new InvalidParameterError(`${field}: ${ref.text}: step '${ref.step}' has no outputs`)
    }
    value = outputs[ref.key]
  }
  if (value === undefined) {
    // A trigger value is there only for some triggers: a manual run reads it as null.
    if (ref.scope === 'trigger') return null
    throw new InvalidParameterError(`${field}: ${ref.text} has no value`)
  }
  return value
}

/** A value with its references replaced by what they name. */
export function resolveValue(value: unknown, scope: ReferenceScope, field: string): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole !== null && !whole[1]!.includes('}}')) {
      return lookup(parseReference(whole[1]!, field), scope, field)
    }
    return value.replace(REFERENCE, (_all, inner: string) => {
      const v = lookup(parseReference(inner, field), scope, field)
      if (v === null) return ''
      return typeof v === 'string' ? v : JSON.stringify(v)
    })
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveValue(v, scope, `${field}[${i}]`))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope, `${field}.${k}`)]),
    )
  }
  return value
}

/** Whether a step's `if` holds: false, 0, '', 'false', null and missing values are false. */
export function conditionHolds(condition: string | boolean | undefined, scope: ReferenceScope) {
  if (condition === undefined) return true
  const value = resolveValue(condition, scope, 'if')
  if (typeof value === 'string') return !['', 'false', '0', 'no'].includes(value.trim())
  return Boolean(value)
}
