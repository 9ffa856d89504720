import type { Logger } from 'pino'
import type { ServingEngine } from './serving-engine.js'

/** What the inference routes answer with: the engine and a few facts about the server. */
export interface DataPlane {
  readonly engine: ServingEngine
  /** Open Inference Protocol server metadata. */
  readonly server: { readonly name: string; readonly version: string }
  /** `server.bodyLimitBytes`: the inference routes read their bodies themselves. */
  readonly bodyLimitBytes: number
  readonly logger?: Logger
}
