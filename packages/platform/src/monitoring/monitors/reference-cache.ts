import { type Calibration, fitCalibration } from './calibration.js'
import type { MonitorReference } from './monitor-types.js'
import { type ReferenceData, type ReferenceDependencies, loadReference } from './reference-data.js'
import { referenceText } from './monitor-rows.js'

export interface LoadedReference {
  data: ReferenceData
  calibration: Calibration
}

/**
 * References by model version and reference data set: reading the data and scoring it takes
 * seconds, and every window of a monitor uses the same one until the served version changes.
 * Holds the few most recently used; a failed load is not kept.
 */
export class ReferenceCache {
  private readonly entries = new Map<string, Promise<LoadedReference>>()

  constructor(
    private readonly deps: ReferenceDependencies,
    private readonly capacity = 4,
  ) {}

  get(reference: MonitorReference, model: string, version: number): Promise<LoadedReference> {
    const key = `${model}/${version}/${referenceText(reference)}`
    const found = this.entries.get(key)
    if (found !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, found)
      return found
    }
    const loading = loadReference(this.deps, reference, model, version).then((data) => ({
      data,
      calibration: fitCalibration(data),
    }))
    this.entries.set(key, loading)
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key)
    })
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value!)
    }
    return loading
  }
}
