import type { PipelineRecord, TriggerSpec } from '../pipelines/pipeline-types.js'
import { recordFiring } from './firings-log.js'
import { claimCursor, readCursor, registerCursor, triggerKey } from './trigger-cursors.js'
import { admitRun } from './trigger-gate.js'
import { type CursorStep, initialPosition, pendingSteps } from './trigger-sources.js'
import {
  type Firing,
  TRIGGER_ACTOR,
  type TriggerCheck,
  type TriggerDependencies,
} from './trigger-types.js'

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Decides one claimed firing (start, merge or cap) and logs it. */
async function fire(
  deps: TriggerDependencies,
  record: PipelineRecord,
  index: number,
  spec: TriggerSpec,
  step: Required<CursorStep>,
  now: number,
): Promise<Firing> {
  const name = record.name
  const base = {
    time: now,
    pipeline: name,
    trigger: index,
    kind: spec.kind,
    reason: step.fire.detail,
    values: step.fire.values,
  }
  const admission = await admitRun(deps.store, deps.pipelines, name, record.spec.limits, now)
  if (admission.outcome === 'merged') {
    return recordFiring(deps.store, {
      ...base,
      outcome: 'merged',
      runId: admission.runId,
      error: null,
    })
  }
  if (admission.outcome === 'capped') {
    return recordFiring(deps.store, { ...base, outcome: 'capped', runId: null, error: null })
  }
  try {
    const run = await deps.pipelines.start(name, {
      trigger: { kind: spec.kind, ...step.fire },
      actor: TRIGGER_ACTOR,
    })
    await admission.started(run.id)
    return recordFiring(deps.store, { ...base, outcome: 'started', runId: run.id, error: null })
  } catch (error) {
    await admission.release()
    return recordFiring(deps.store, {
      ...base,
      outcome: 'failed',
      runId: null,
      error: errorMessage(error),
    })
  }
}

/** Checks one trigger: registers it when new, otherwise claims and decides what it has seen since. */
async function checkTrigger(
  deps: TriggerDependencies,
  record: PipelineRecord,
  index: number,
  now: number,
): Promise<Firing[]> {
  const spec = record.spec.triggers[index]!
  const key = triggerKey(spec)
  const cursor = await readCursor(deps.store, record.name, index)
  if (cursor === undefined || cursor.spec !== key) {
    const position = await initialPosition(deps, spec, now)
    await registerCursor(deps.store, record.name, index, cursor, { spec: key, position }, now)
    return []
  }
  const firings: Firing[] = []
  let position = cursor.position
  for (const step of await pendingSteps(deps, spec, position, now)) {
    // Another server claimed this step first: it handles the rest too.
    if (!(await claimCursor(deps.store, record.name, index, key, position, step.position, now))) {
      break
    }
    position = step.position
    if (step.fire !== undefined) {
      firings.push(await fire(deps, record, index, spec, { position, fire: step.fire }, now))
    }
  }
  return firings
}

/**
 * One pass over every pipeline's triggers at `now` (epoch ms). A schedule fires once for its
 * latest due time (times missed while no server ran fire once, not once each); a dataset trigger
 * fires when a version newer than the last seen exists; an event trigger fires once per matching
 * monitor event. A newly registered trigger only records what exists. A firing is claimed by
 * moving the trigger's cursor with compare-and-set, so servers may run passes at once.
 */
export async function checkTriggers(deps: TriggerDependencies, now: number): Promise<TriggerCheck> {
  const check: TriggerCheck = { firings: [], failures: [] }
  for (const record of await deps.pipelines.list()) {
    for (let index = 0; index < record.spec.triggers.length; index++) {
      try {
        check.firings.push(...(await checkTrigger(deps, record, index, now)))
      } catch (error) {
        check.failures.push({ pipeline: record.name, trigger: index, error })
      }
    }
  }
  return check
}
