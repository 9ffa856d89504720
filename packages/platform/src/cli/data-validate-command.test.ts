import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { jsonErrorText } from './data-validate-command.js'
import { cliSandbox } from './test-support/run-cli.js'

const WEATHER = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
)

const PASSING = {
  name: 'weather',
  expectations: [
    {
      expectation_type: 'expect_column_values_to_be_in_set',
      kwargs: { column: 'weather', value_set: ['drizzle', 'fog', 'rain', 'snow', 'sun'] },
    },
    { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1000 } },
  ],
}

const FAILING = {
  expectations: [
    PASSING.expectations[0],
    {
      expectation_type: 'expect_column_values_to_be_between',
      kwargs: { column: 'temp_max', max_value: 30 },
    },
  ],
}

describe('ballast data validate and infer-suite', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())
  const suiteFile = (name: string, content: string) => {
    writeFileSync(path.join(sandbox.dir, name), content)
    return name
  }

  it('exits 0 when every expectation is met, one line per expectation', async () => {
    const suite = suiteFile('passing.json', JSON.stringify(PASSING))
    const result = await sandbox.run(['data', 'validate', WEATHER, '--suite', suite])
    expect(result).toEqual({
      code: 0,
      stdout:
        '✓ expect_column_values_to_be_in_set weather: unexpected 0 of 1461 (0%)\n' +
        '✓ expect_table_row_count_to_be_between: observed 1461\n' +
        'passed: 2 of 2 expectations met\n',
      stderr: '',
    })
  })

  it('exits 1 when one fails, showing counts and unexpected values; --json gives GE results', async () => {
    const suite = suiteFile('failing.json', JSON.stringify(FAILING))
    const result = await sandbox.run(['data', 'validate', WEATHER, '--suite', suite])
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[1]).toBe(
      '✗ expect_column_values_to_be_between temp_max: unexpected 53 of 1461 (3.63%), e.g. 33.9, 33.9, 30.6, 30.6, 31.1, …',
    )
    expect(result.stdout.split('\n')[2]).toBe('failed: 1 of 2 expectations not met')
    expect(result.stderr).toBe(`error: ${WEATHER}: 1 of 2 expectations not met\n`)

    const json = await sandbox.run(['data', 'validate', WEATHER, '--suite', suite, '--json'])
    expect(json.code).toBe(1)
    const validation = JSON.parse(json.stdout) as {
      success: boolean
      results: Array<{ success: boolean; result: Record<string, unknown> }>
    }
    expect(validation.success).toBe(false)
    expect(validation.results[1]).toMatchObject({
      success: false,
      result: { element_count: 1461, unexpected_count: 53, missing_count: 0 },
    })
    expect(validation.results[1]!.result.partial_unexpected_list).toHaveLength(20)
  })

  it('exits 2 on a suite that is not JSON, naming the file and line, or not a suite', async () => {
    const broken = suiteFile('broken.json', '{\n  "expectations": [\n    {"kwargs": {}},\n  ]\n}\n')
    const result = await sandbox.run(['data', 'validate', WEATHER, '--suite', broken])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^error: broken\.json: invalid JSON at line 4, column 3: Unexpected token ']'\n$/,
    )

    const unknown = suiteFile(
      'unknown.json',
      JSON.stringify({ expectations: [{ expectation_type: 'expect_magic', kwargs: {} }] }),
    )
    const bad = await sandbox.run(['data', 'validate', WEATHER, '--suite', unknown])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(
      /^error: unknown\.json: expectations\[0\]: unknown expectation_type 'expect_magic'/,
    )

    const missingFile = await sandbox.run(['data', 'validate', WEATHER, '--suite', 'nope.json'])
    expect(missingFile).toMatchObject({
      code: 2,
      stderr: 'error: nope.json: cannot read the suite file: no such file\n',
    })
    const noSuite = await sandbox.run(['data', 'validate', WEATHER])
    expect(noSuite.code).toBe(2)
    expect(noSuite.stderr).toContain("required option '--suite <file>' not specified")
  })

  it('infers a suite from a file that the same file then passes', async () => {
    const inferred = await sandbox.run(['data', 'infer-suite', WEATHER, '--name', 'seattle'])
    expect(inferred.code).toBe(0)
    const suite = JSON.parse(inferred.stdout) as { name: string; expectations: unknown[] }
    expect(suite.name).toBe('seattle')
    expect(suite.expectations).toHaveLength(19)
    const file = suiteFile('inferred.json', inferred.stdout)
    const validated = await sandbox.run(['data', 'validate', WEATHER, '--suite', file])
    expect(validated.code).toBe(0)
    expect(validated.stdout).toContain('passed: 19 of 19 expectations met\n')
  })

  it('validates a stored version by NAME@VERSION; an unknown dataset exits 3', async () => {
    const ingest = await sandbox.run(['data', 'ingest', WEATHER, '--name', 'weather'])
    expect(ingest.code).toBe(0)
    const suite = suiteFile('stored.json', JSON.stringify(FAILING))
    const result = await sandbox.run(['data', 'validate', 'weather@1', '--suite', suite])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      '✗ expect_column_values_to_be_between temp_max: unexpected 53 of 1461 (3.63%)',
    )
    const inferred = await sandbox.run(['data', 'infer-suite', 'weather'])
    expect(inferred.code).toBe(0)
    expect((JSON.parse(inferred.stdout) as { expectations: unknown[] }).expectations).toHaveLength(
      19,
    )
    const missing = await sandbox.run(['data', 'validate', 'ghost@2', '--suite', suite])
    expect(missing.code).toBe(3)
  })

  it('gives value sets of up to 20 values, for files and for stored versions alike', async () => {
    const rows = Array.from(
      { length: 24 },
      (_, i) => `v${String((i % 12) + 1).padStart(2, '0')},${i}`,
    )
    writeFileSync(path.join(sandbox.dir, 'twelve.csv'), `c,n\n${rows.join('\n')}\n`)
    const valueSet = (stdout: string) => {
      const suite = JSON.parse(stdout) as {
        expectations: Array<{ expectation_type: string; kwargs: { value_set?: string[] } }>
      }
      return suite.expectations.find(
        (e) => e.expectation_type === 'expect_column_values_to_be_in_set',
      )?.kwargs.value_set
    }
    const twelve = Array.from({ length: 12 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)
    expect(valueSet((await sandbox.run(['data', 'infer-suite', 'twelve.csv'])).stdout)).toEqual(
      twelve,
    )
    expect(
      (
        await sandbox.run([
          'data',
          'ingest',
          path.join(sandbox.dir, 'twelve.csv'),
          '--name',
          'twelve',
        ])
      ).code,
    ).toBe(0)
    expect(valueSet((await sandbox.run(['data', 'infer-suite', 'twelve@1'])).stdout)).toEqual(
      twelve,
    )
    const fewer = await sandbox.run(['data', 'infer-suite', 'twelve.csv', '--max-categories', '11'])
    expect(valueSet(fewer.stdout)).toBeUndefined()
  })

  it('reports bad JSON at the end of the text when V8 gives no position', () => {
    expect(jsonErrorText('{\n"a": 1', 'Unexpected end of JSON input', 's.json')).toBe(
      's.json: invalid JSON at line 2, column 7: Unexpected end of JSON input',
    )
  })
})
