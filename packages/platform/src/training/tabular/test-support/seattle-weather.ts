import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TabularTable } from '../types.js'

/** vega-datasets' seattle-weather.csv (1,461 days, 2012–2015) as a table; dates at UTC midnight. */
export function seattleWeather(): TabularTable {
  const path = fileURLToPath(
    new URL(
      '../../../../../../node_modules/vega-datasets/data/seattle-weather.csv',
      import.meta.url,
    ),
  )
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n')
  const names = header!.split(',')
  const rows = lines.map((l) => l.split(','))
  const at = (name: string) => names.indexOf(name)
  const numbers = (name: string) => Float64Array.from(rows, (r) => Number(r[at(name)]))
  return {
    rowCount: rows.length,
    columns: [
      {
        name: 'date',
        type: 'datetime',
        values: Float64Array.from(rows, (r) => Date.parse(`${r[at('date')]}T00:00:00Z`)),
      },
      { name: 'precipitation', type: 'float', values: numbers('precipitation') },
      { name: 'temp_max', type: 'float', values: numbers('temp_max') },
      { name: 'temp_min', type: 'float', values: numbers('temp_min') },
      { name: 'wind', type: 'float', values: numbers('wind') },
      { name: 'weather', type: 'string', values: rows.map((r) => r[at('weather')] ?? null) },
    ],
  }
}
