import type { ExpectationResult, ValidationResult } from './validation-result.js'

const MAX_SHOWN = 5

function valueText(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
  }
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_SHOWN).map(valueText).join(', ')
    return value.length > MAX_SHOWN ? `[${shown}, …]` : `[${shown}]`
  }
  return JSON.stringify(value) ?? String(value)
}

function percentText(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return ''
  return ` (${Number(percent.toPrecision(3))}%)`
}

/** One line: ✓/✗, the expectation and its column, then what was observed. */
export function formatExpectationLine(result: ExpectationResult): string {
  const column = 'column' in result.kwargs ? ` ${String(result.kwargs.column)}` : ''
  const parts: string[] = []
  const r = result.result
  if (result.exception_info !== undefined) parts.push(result.exception_info.exception_message)
  if (r.observed_value !== undefined) parts.push(`observed ${valueText(r.observed_value)}`)
  if (r.unexpected_count !== undefined) {
    const of =
      r.element_count === undefined ? '' : ` of ${r.element_count - (r.missing_count ?? 0)}`
    let text = `unexpected ${r.unexpected_count}${of}${percentText(r.unexpected_percent)}`
    const examples = (r.partial_unexpected_list ?? []).filter((v) => v !== null)
    if (examples.length > 0) text += `, e.g. ${valueText(examples).slice(1, -1)}`
    parts.push(text)
  }
  const details = r.details?.mismatched as { missing?: string[]; unexpected?: string[] } | undefined
  if (details?.missing !== undefined) parts.push(`missing ${valueText(details.missing)}`)
  if (details?.unexpected !== undefined) parts.push(`unexpected ${valueText(details.unexpected)}`)
  const mark = result.success ? '✓' : '✗'
  const tail = parts.length > 0 ? `: ${parts.join('; ')}` : ''
  // Values come from users' data: never let them move the cursor or fake a line.
  // eslint-disable-next-line no-control-regex
  return `${mark} ${result.expectation_type}${column}${tail}`.replace(/[\u0000-\u001f\u007f]/g, '?')
}

/** The human report of a validation: one line per expectation and a summary line. */
export function formatValidation(validation: ValidationResult): string {
  const lines = validation.results.map(formatExpectationLine)
  const { evaluated_expectations: all, unsuccessful_expectations: failed } = validation.statistics
  lines.push(
    failed === 0
      ? `passed: ${all} of ${all} expectations met`
      : `failed: ${failed} of ${all} expectations not met`,
  )
  return lines.map((l) => `${l}\n`).join('')
}
