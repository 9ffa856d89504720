import { InvalidParameterError } from '@ballast/contracts'

/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) in UTC, as Vixie cron
 * reads them: `*`, lists, ranges, steps after `*` or a range, month and weekday names, 0 and 7
 * both Sunday. When day-of-month and day-of-week are both restricted, a day matching either
 * fires; a field counts as unrestricted when it starts with a star, stepped or not (Vixie's flag).
 */
export interface CronSchedule {
  readonly expression: string
  readonly minutes: readonly boolean[]
  readonly hours: readonly boolean[]
  /** Indexed 1–31. */
  readonly days: readonly boolean[]
  /** Indexed 1–12. */
  readonly months: readonly boolean[]
  /** Indexed 0–6, Sunday 0. */
  readonly weekdays: readonly boolean[]
  readonly dayStar: boolean
  readonly weekdayStar: boolean
}

interface FieldRule {
  name: string
  min: number
  max: number
  names?: readonly string[]
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
]
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday as well as 0; folded onto 0 once the field is expanded.
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES },
]

const MINUTE = 60_000
const DAY = 86_400_000
// Weekdays and leap years repeat every 28 years (within 1901–2099): a day that matches at all
// matches within that span.
const SEARCH_DAYS = 28 * 366

function fail(expression: string, field: FieldRule, value: string, why: string): never {
  throw new InvalidParameterError(
    `Invalid cron expression '${expression}': ${field.name} '${value}' ${why}`,
  )
}

function parseValue(expression: string, field: FieldRule, text: string, whole: string): number {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1
  if (index >= 0) return index + (field.name === 'month' ? 1 : 0)
  if (!/^\d+$/.test(text)) {
    const names = field.names === undefined ? '' : ` or a name (${field.names.join(', ')})`
    fail(expression, field, whole, `is not a number${names}`)
  }
  const value = Number(text)
  if (value < field.min || value > field.max) {
    fail(expression, field, whole, `is out of range ${field.min}-${field.max}`)
  }
  return value
}

function parseField(expression: string, field: FieldRule, text: string): boolean[] {
  const set = new Array<boolean>(field.max + 1).fill(false)
  for (const item of text.split(',')) {
    const match = /^([^/]+)(?:\/(.*))?$/.exec(item)
    if (match === null) fail(expression, field, item, 'is empty')
    const [, range = '', stepText] = match
    let step = 1
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
        fail(expression, field, item, 'has a step that is not a positive whole number')
      }
      step = Number(stepText)
    }
    let low: number
    let high: number
    if (range === '*') {
      low = field.min
      high = field.max
    } else {
      const dash = range.indexOf('-')
      if (dash < 0) {
        if (stepText !== undefined) {
          fail(
            expression,
            field,
            item,
            `needs a range before the step (e.g. '${range}-${field.max}/${step}')`,
          )
        }
        low = high = parseValue(expression, field, range, item)
      } else {
        low = parseValue(expression, field, range.slice(0, dash), item)
        high = parseValue(expression, field, range.slice(dash + 1), item)
        if (low > high) fail(expression, field, item, 'is a range that runs backwards')
      }
    }
    for (let v = low; v <= high; v += step) set[v] = true
  }
  return set
}

/** Parses a cron expression; InvalidParameterError names the field and the value at fault. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5 || parts[0] === '') {
    throw new InvalidParameterError(
      `Invalid cron expression '${expression}': expected 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}`,
    )
  }
  const sets = FIELDS.map((field, i) => parseField(expression, field, parts[i]!))
  const weekdays = sets[4]!
  if (weekdays[7] === true) weekdays[0] = true
  return {
    expression,
    minutes: sets[0]!,
    hours: sets[1]!,
    days: sets[2]!,
    months: sets[3]!,
    weekdays: weekdays.slice(0, 7),
    dayStar: parts[2]!.startsWith('*'),
    weekdayStar: parts[4]!.startsWith('*'),
  }
}

function dayMatches(cron: CronSchedule, date: Date): boolean {
  if (cron.months[date.getUTCMonth() + 1] !== true) return false
  const byDay = cron.days[date.getUTCDate()] === true
  const byWeekday = cron.weekdays[date.getUTCDay()] === true
  return cron.dayStar || cron.weekdayStar ? byDay && byWeekday : byDay || byWeekday
}

/** The first minute of the day at or after `fromMinute` (minutes since midnight) that matches. */
function firstMinute(cron: CronSchedule, fromMinute: number): number | undefined {
  for (let m = fromMinute; m < 24 * 60; m++) {
    if (cron.hours[Math.floor(m / 60)] === true && cron.minutes[m % 60] === true) return m
  }
  return undefined
}

/**
 * The first time the schedule fires strictly after `after` (epoch ms), on a whole minute.
 * InvalidParameterError when it never fires (`0 0 30 2 *`).
 */
export function nextFire(cron: CronSchedule | string, after: number): number {
  const schedule = typeof cron === 'string' ? parseCron(cron) : cron
  const start = Math.floor(after / MINUTE) * MINUTE + MINUTE
  let day = Math.floor(start / DAY) * DAY
  let fromMinute = (start - day) / MINUTE
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    if (dayMatches(schedule, new Date(day))) {
      const minute = firstMinute(schedule, fromMinute)
      if (minute !== undefined) return day + minute * MINUTE
    }
    day += DAY
    fromMinute = 0
  }
  throw new InvalidParameterError(
    `Invalid cron expression '${schedule.expression}': it never fires (no day matches its day-of-month, month and day-of-week)`,
  )
}
