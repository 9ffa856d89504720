import { parseCron } from '../triggers/cron.js'
import { z } from 'zod'
import { type PipelineSpec, STEP_KINDS, type StepSpec, type TriggerSpec } from './pipeline-types.js'

/** The shapes a pipeline is declared in: YAML (snake_case, short triggers) and TypeScript. */

export const DEFAULT_LIMITS = { debounceMs: 600_000, maxRunsPerDay: 3 } as const

const EVENTS = ['drift_detected', 'performance_degraded', 'data_quality_failed'] as const
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

const name = z
  .string()
  .max(100)
  .regex(NAME, 'expected letters, digits, ., _ and -, starting with a letter or digit')
const stepName = z
  .string()
  .max(100)
  .regex(STEP_NAME, 'expected letters, digits, _ and -, starting with a letter or _')
const paramValue = z.union([z.string(), z.number(), z.boolean()])
/** A cron expression the trigger engine can schedule, checked field by field when applied. */
const cron = z.string().superRefine((s, ctx) => {
  try {
    parseCron(s)
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof Error ? error.message : String(error),
    })
  }
})

/** `10m`, `30s`, `1h`, `1d`, `500ms`, or milliseconds as a number. */
const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(String(value).trim())
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration like 30s, 10m, 1h or 1d' })
    return z.NEVER
  }
  return Math.round(Number(m[1]) * UNITS[m[2]!]!)
})

const stepFields = {
  name: stepName,
  kind: z.enum(STEP_KINDS),
  with: z.record(z.string(), z.unknown()).default({}),
  needs: z.array(stepName).optional(),
  if: z.union([z.string(), z.boolean()]).optional(),
  retries: z.number().int().min(1).max(10).optional(),
  cache: z.boolean().optional(),
}
const StepSchema = z.strictObject(stepFields)

const YamlTrigger = z.union([
  z.strictObject({ schedule: cron }),
  z.strictObject({ dataset: name }),
  z.strictObject({
    event: z.union([z.enum(EVENTS), z.array(z.enum(EVENTS)).min(1)]),
    monitor: name.optional(),
    deployment: name.optional(),
  }),
])

export const PipelineYamlSchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  params: z.record(z.string().regex(STEP_NAME), paramValue).default({}),
  triggers: z.array(YamlTrigger).default([]),
  limits: z
    .strictObject({
      debounce: duration.optional(),
      max_runs_per_day: z.number().int().min(1).max(1000).optional(),
    })
    .default({}),
  steps: z.array(StepSchema).min(1, 'a pipeline needs at least one step'),
})
export type PipelineYaml = z.output<typeof PipelineYamlSchema>

function trigger(t: PipelineYaml['triggers'][number]): TriggerSpec {
  if ('schedule' in t) return { kind: 'schedule', cron: t.schedule }
  if ('dataset' in t) return { kind: 'dataset', dataset: t.dataset }
  return {
    kind: 'event',
    events: Array.isArray(t.event) ? t.event : [t.event],
    ...(t.monitor === undefined ? {} : { monitor: t.monitor }),
    ...(t.deployment === undefined ? {} : { deployment: t.deployment }),
  }
}

function step(s: z.output<typeof StepSchema>): StepSpec {
  return Object.fromEntries(
    Object.entries(s).filter(([, v]) => v !== undefined),
  ) as unknown as StepSpec
}

export function fromYamlShape(y: PipelineYaml): PipelineSpec {
  return {
    name: y.name,
    ...(y.description === undefined ? {} : { description: y.description }),
    params: y.params,
    triggers: y.triggers.map(trigger),
    limits: {
      debounceMs: y.limits.debounce ?? DEFAULT_LIMITS.debounceMs,
      maxRunsPerDay: y.limits.max_runs_per_day ?? DEFAULT_LIMITS.maxRunsPerDay,
    },
    steps: y.steps.map(step),
  }
}

const TriggerSchema = z.union([
  z.strictObject({ kind: z.literal('schedule'), cron }),
  z.strictObject({ kind: z.literal('dataset'), dataset: name }),
  z.strictObject({
    kind: z.literal('event'),
    events: z.array(z.enum(EVENTS)).min(1),
    monitor: name.optional(),
    deployment: name.optional(),
  }),
])

/** The TypeScript (and JSON) shape: PipelineSpec itself, with the same defaults. */
export const PipelineSpecSchema = z
  .strictObject({
    name,
    description: z.string().max(2000).optional(),
    params: z.record(z.string().regex(STEP_NAME), paramValue).default({}),
    triggers: z.array(TriggerSchema).default([]),
    limits: z
      .strictObject({
        debounceMs: z.number().int().nonnegative().optional(),
        maxRunsPerDay: z.number().int().min(1).max(1000).optional(),
      })
      .default({}),
    steps: z.array(StepSchema).min(1, 'a pipeline needs at least one step'),
  })
  .transform((s): PipelineSpec => ({
    name: s.name,
    ...(s.description === undefined ? {} : { description: s.description }),
    params: s.params,
    triggers: s.triggers.map((t) =>
      Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)),
    ) as TriggerSpec[],
    limits: {
      debounceMs: s.limits.debounceMs ?? DEFAULT_LIMITS.debounceMs,
      maxRunsPerDay: s.limits.maxRunsPerDay ?? DEFAULT_LIMITS.maxRunsPerDay,
    },
    steps: s.steps.map(step),
  }))
