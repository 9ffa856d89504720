import { describe, expect, it } from 'vitest'
import { parseFilter } from './search-filter.js'

const VERSION_KEYS = ['name', 'run_id', 'source_path', 'version_number']

describe('parseFilter', () => {
  it('reads comparisons joined by AND, in any case, with quoted tag keys', () => {
    expect(
      parseFilter(
        "name ilike 'fr%' and tags.`my key` != \"it''s\" AND run_id IN ('a', 'b') AND version_number = 3",
        VERSION_KEYS,
      ),
    ).toEqual([
      { key: 'name', isTag: false, op: 'ILIKE', values: ['fr%'] },
      { key: 'my key', isTag: true, op: '!=', values: ["it''s"] },
      { key: 'run_id', isTag: false, op: 'IN', values: ['a', 'b'] },
      { key: 'version_number', isTag: false, op: '=', values: [3] },
    ])
  })

  it("unescapes a doubled quote inside a string of the same quote: 'O''Brien'", () => {
    expect(parseFilter("name = 'O''Brien'", ['name'])).toEqual([
      { key: 'name', isTag: false, op: '=', values: ["O'Brien"] },
    ])
  })

  it('treats an empty or blank filter as no filter', () => {
    expect(parseFilter(undefined, ['name'])).toEqual([])
    expect(parseFilter('  ', ['name'])).toEqual([])
  })

  it.each([
    ["name = 'a' OR name = 'b'", "Invalid filter 'name = 'a' OR name = 'b''. Could not be parsed."],
    ["name = 'a' AND", "Invalid filter 'name = 'a' AND'. Could not be parsed."],
    ['run_id IN (1)', "Invalid filter 'run_id IN (1)'. IN takes a list of quoted strings."],
    ["name = 'a", "Invalid filter 'name = 'a'. Could not be parsed."],
    [
      "user_id = 'x'",
      "Invalid filter 'user_id = 'x''. Invalid attribute key 'user_id'. Valid keys are name, run_id, source_path, version_number.",
    ],
  ])('refuses %s', (filter, message) => {
    expect(() => parseFilter(filter, VERSION_KEYS)).toThrow(message)
  })
})
