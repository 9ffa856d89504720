import type { DataService } from '../../data/index.js'
import type { MonitorService } from '../../monitoring/index.js'
import type { MetadataStore } from '../../storage/index.js'
import type { PipelineService, RunTrigger, TriggerSpec } from '../pipelines/pipeline-types.js'

/** The actor triggered runs start as. */
export const TRIGGER_ACTOR = 'system:trigger'

/**
 * What came of a firing: a run started, merged into a run started less than `debounceMs` before,
 * capped (the pipeline had its `maxRunsPerDay` triggered runs this UTC day), or failed to start.
 */
export const FIRING_OUTCOMES = ['started', 'merged', 'capped', 'failed'] as const
export type FiringOutcome = (typeof FIRING_OUTCOMES)[number]

export interface Firing {
  id: number
  /** Epoch ms of the check that fired. */
  time: number
  pipeline: string
  /** The trigger's position in the pipeline's `triggers`. */
  trigger: number
  kind: TriggerSpec['kind']
  /** The run trigger's detail: `0 * * * *`, `loans@2`, `drift_detected #12 (monitor loans)`. */
  reason: string
  values: RunTrigger['values']
  outcome: FiringOutcome
  /** The run started, or the one merged into; null when capped or failed. */
  runId: string | null
  error: string | null
}

/** What a check reads and starts; each server passes its own services. */
export interface TriggerDependencies {
  store: MetadataStore
  pipelines: Pick<PipelineService, 'list' | 'start' | 'runs'>
  data: Pick<DataService, 'getVersion'>
  monitors: Pick<MonitorService, 'events'>
}

/** One pass: the firings made and the triggers that could not be checked. */
export interface TriggerCheck {
  firings: Firing[]
  failures: Array<{ pipeline: string; trigger: number; error: unknown }>
}
