/** Splits `items` into slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Ids per `IN (…)` list: far below every backend's bind limit, and short enough to plan well. */
export const IN_LIST_SIZE = 500

/** Rows per multi-row INSERT of `columns` columns, within the backend's bind limit. */
export function rowsPerInsert(maxBindParameters: number, columns: number, cap = 1000): number {
  return Math.max(1, Math.min(cap, Math.floor(maxBindParameters / columns)))
}
