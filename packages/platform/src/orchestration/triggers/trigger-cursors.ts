import type { MetadataStore } from '../../storage/index.js'
import type { TriggerSpec } from '../pipelines/pipeline-types.js'

/** What one trigger of a pipeline has seen, and the trigger it was registered as. */
export interface TriggerCursor {
  spec: string
  position: number
}

/** The trigger as canonical JSON (keys sorted), so that a reordered YAML map is the same trigger. */
export function triggerKey(spec: TriggerSpec): string {
  const sort = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sort)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, v]) => [k, sort(v)]),
          )
        : value
  return JSON.stringify(sort(spec))
}

export async function readCursor(
  store: MetadataStore,
  pipeline: string,
  trigger: number,
): Promise<TriggerCursor | undefined> {
  const row = await store.db
    .selectFrom('trigger_cursors')
    .select(['spec', 'position'])
    .where('pipeline', '=', pipeline)
    .where('trigger_index', '=', trigger)
    .executeTakeFirst()
  return row === undefined ? undefined : { spec: row.spec, position: Number(row.position) }
}

/**
 * Registers the trigger at `position` (what exists now, which it does not fire for). Replaces a
 * cursor left by a different trigger at the same index only if it is still the one read, so two
 * servers registering at once keep one position.
 */
export async function registerCursor(
  store: MetadataStore,
  pipeline: string,
  trigger: number,
  replacing: TriggerCursor | undefined,
  next: TriggerCursor,
  now: number,
): Promise<void> {
  if (replacing === undefined) {
    await store.db
      .insertInto('trigger_cursors')
      .values({ pipeline, trigger_index: trigger, ...next, updated_at: now })
      .onConflict((oc) => oc.columns(['pipeline', 'trigger_index']).doNothing())
      .execute()
    return
  }
  await store.db
    .updateTable('trigger_cursors')
    .set({ ...next, updated_at: now })
    .where('pipeline', '=', pipeline)
    .where('trigger_index', '=', trigger)
    .where('spec', '=', replacing.spec)
    .where('position', '=', replacing.position)
    .execute()
}

/**
 * Moves the cursor from `from` to `to` if no one has moved it since it was read: the claim on the
 * firings in between. Exactly one of several servers checking at once gets true.
 */
export async function claimCursor(
  store: MetadataStore,
  pipeline: string,
  trigger: number,
  spec: string,
  from: number,
  to: number,
  now: number,
): Promise<boolean> {
  const result = await store.db
    .updateTable('trigger_cursors')
    .set({ position: to, updated_at: now })
    .where('pipeline', '=', pipeline)
    .where('trigger_index', '=', trigger)
    .where('spec', '=', spec)
    .where('position', '=', from)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}
