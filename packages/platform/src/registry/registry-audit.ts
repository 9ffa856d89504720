import type { RegisteredModelRow, ModelVersionRow } from './registry-reader.js'

/**
 * The states the audit log digests for registry changes: what a reader of the registry sees of a
 * model or version, without bookkeeping (timestamps, counters) that changes on every write.
 */
export interface ModelState {
  name: string
  description: string
}

export interface VersionState {
  name: string
  version: number
  stage: string
  description: string
  source: string
  runId: string
}

export function modelState(row: RegisteredModelRow): ModelState {
  return { name: row.name, description: row.description }
}

export function versionState(row: ModelVersionRow): VersionState {
  return {
    name: row.name,
    version: Number(row.version),
    stage: row.current_stage,
    description: row.description,
    source: row.source,
    runId: row.run_id,
  }
}

export const modelTarget = (name: string) => `model:${name}`
export const versionTarget = (name: string, version: number) => `model:${name}/${version}`
