import type { MetadataStore } from '../storage/index.js'

/**
 * Everything a route handler or CLI command may call, built once per process by `openRuntime`.
 * Contexts add their service here as they arrive.
 */
export interface Services {
  readonly store: MetadataStore
}
