import { execFileSync } from 'node:child_process'

/**
 * Runs a python3 script (numpy / scipy available) as an independent reference: `input` arrives
 * as JSON on stdin (variable `data`), and the script prints its answer as JSON.
 */
export function pythonOracle<T>(script: string, input: unknown): T {
  const program = `import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n${script}`
  const out = execFileSync('python3', ['-c', program], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  })
  return JSON.parse(out) as T
}
