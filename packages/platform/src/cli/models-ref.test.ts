import { describe, expect, it } from 'vitest'
import { modelVersionPath, parseModelRef } from './models-ref.js'

describe('parseModelRef', () => {
  it('reads NAME, NAME@ALIAS and NAME/VERSION', () => {
    expect(parseModelRef('fraud')).toEqual({ name: 'fraud', ref: 'latest' })
    expect(parseModelRef('fraud@champion')).toEqual({ name: 'fraud', ref: '@champion' })
    expect(parseModelRef('team@x@prod')).toEqual({ name: 'team@x', ref: '@prod' })
    expect(parseModelRef('fraud/12')).toEqual({ name: 'fraud', ref: '12' })
    expect(modelVersionPath(parseModelRef('a b@c'))).toBe('/api/v1/models/a%20b/versions/%40c')
  })

  it('refuses a bad version, an empty name and an empty alias', () => {
    expect(() => parseModelRef('fraud/v2')).toThrow(
      "invalid model reference 'fraud/v2': 'v2' is not a version number; expected NAME, " +
        'NAME@ALIAS or NAME/VERSION',
    )
    expect(() => parseModelRef('/2')).toThrow('the name is empty')
    expect(() => parseModelRef('fraud@')).toThrow('the alias is empty')
    expect(() => parseModelRef('')).toThrow('it is empty')
  })
})
