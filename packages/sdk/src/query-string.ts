/**
 * Encodes a request object as a query string the way MLflow's GET endpoints read it: arrays as
 * repeated keys (`experiment_ids=1&experiment_ids=2`), undefined and null left out, objects as JSON.
 */
export function toQueryString(params: object | undefined): string {
  if (params === undefined) return ''
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined || item === null) continue
      search.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item))
    }
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
