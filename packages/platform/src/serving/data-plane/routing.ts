import type { Deployment } from '../serving-types.js'
import { type ModelSlot, slotKey } from './model-slot.js'

/** What one deployment answers with. Immutable: a change builds a new table. */
export interface DeploymentRoutes {
  readonly deployment: Deployment
  readonly primary: ModelSlot
  readonly canary: { readonly slot: ModelSlot; readonly percent: number } | null
  readonly shadow: ModelSlot | null
}

/** The routing table, swapped as one value after every model it names is loaded and warm. */
export interface RoutingTable {
  readonly revision: number | null
  readonly deployments: ReadonlyMap<string, DeploymentRoutes>
}

export const EMPTY_TABLE: RoutingTable = { revision: null, deployments: new Map() }

/** 32-bit FNV-1a: cheap, stable across processes and versions of Node. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * A point in [0, 100) for the canary split: from the routing key when there is one (the same key
 * always lands on the same side, whatever the replica), else at random. The deployment name is
 * mixed in so that one key does not land in every deployment's canary together.
 */
export function splitPoint(
  deployment: string,
  routingKey: string | undefined,
  random: () => number,
): number {
  if (routingKey === undefined) return random() * 100
  return (fnv1a(`${deployment}\u0000${routingKey}`) % 10_000) / 100
}

/** The slot that answers: the canary for `percent`% of the split points, else the primary. */
export function chooseSlot(
  routes: DeploymentRoutes,
  routingKey: string | undefined,
  random: () => number,
): ModelSlot {
  const { canary } = routes
  if (canary === null || canary.percent <= 0) return routes.primary
  return splitPoint(routes.deployment.name, routingKey, random) < canary.percent
    ? canary.slot
    : routes.primary
}

/** Every slot a deployment's routes use. */
export function slotsOf(routes: DeploymentRoutes): ModelSlot[] {
  const slots = [routes.primary]
  if (routes.canary !== null) slots.push(routes.canary.slot)
  if (routes.shadow !== null) slots.push(routes.shadow)
  return slots
}

/** The model versions a deployment needs loaded: primary, canary and shadow. */
export function versionsOf(d: Deployment): number[] {
  const versions = [d.version]
  if (d.canary !== null) versions.push(d.canary.version)
  if (d.shadow !== null) versions.push(d.shadow.version)
  return [...new Set(versions)]
}

/**
 * The next routing table's entries: each deployment whose versions are all loaded routes to
 * them; one with a version missing keeps its previous routes (if any) and is pending, with why.
 */
export function buildRoutes(
  wanted: readonly Deployment[],
  loaded: ReadonlyMap<string, ModelSlot>,
  failures: ReadonlyMap<string, string>,
  previous: RoutingTable,
): { next: Map<string, DeploymentRoutes>; pending: Map<string, string> } {
  const next = new Map<string, DeploymentRoutes>()
  const pending = new Map<string, string>()
  for (const d of wanted) {
    const missing = versionsOf(d)
      .map((v) => slotKey(d.model, v))
      .find((key) => !loaded.has(key))
    if (missing === undefined) {
      const slot = (version: number) => loaded.get(slotKey(d.model, version))!
      next.set(d.name, {
        deployment: d,
        primary: slot(d.version),
        canary:
          d.canary === null ? null : { slot: slot(d.canary.version), percent: d.canary.percent },
        shadow: d.shadow === null ? null : slot(d.shadow.version),
      })
      continue
    }
    pending.set(d.name, failures.get(missing) ?? `model ${missing} is loading`)
    // Until the new version loads, the deployment keeps answering with what it had.
    const kept = previous.deployments.get(d.name)
    if (kept !== undefined) next.set(d.name, kept)
  }
  return { next, pending }
}
