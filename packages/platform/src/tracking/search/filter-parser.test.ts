import { describe, expect, it } from 'vitest'
import { parseExperimentFilter, parseSearchFilter } from './filter-parser.js'
import type { Comparison } from './search-grammar.js'

const VALID: [string, Comparison[]][] = [
  ['metrics.acc > 0.9', [{ type: 'metric', key: 'acc', comparator: '>', value: 0.9 }]],
  ['metric.acc >= -1.5e-3', [{ type: 'metric', key: 'acc', comparator: '>=', value: -0.0015 }]],
  ['metrics.loss<.5', [{ type: 'metric', key: 'loss', comparator: '<', value: 0.5 }]],
  ['metrics.step = 10', [{ type: 'metric', key: 'step', comparator: '=', value: 10 }]],
  ['metrics.x != 2E3', [{ type: 'metric', key: 'x', comparator: '!=', value: 2000 }]],
  [
    'params.model = \'cnn\' and params.lr = "0.01"',
    [
      { type: 'param', key: 'model', comparator: '=', value: 'cnn' },
      { type: 'param', key: 'lr', comparator: '=', value: '0.01' },
    ],
  ],
  ["param.model != 'x'", [{ type: 'param', key: 'model', comparator: '!=', value: 'x' }]],
  [
    "parameters.model LIKE 'cn%'",
    [{ type: 'param', key: 'model', comparator: 'LIKE', value: 'cn%' }],
  ],
  [
    "params.model ilike '%NN'",
    [{ type: 'param', key: 'model', comparator: 'ILIKE', value: '%NN' }],
  ],
  [
    'tags."mlflow.runName" = \'r1\'',
    [{ type: 'tag', key: 'mlflow.runName', comparator: '=', value: 'r1' }],
  ],
  [
    "tags.mlflow.source.type = 'LOCAL'",
    [{ type: 'tag', key: 'mlflow.source.type', comparator: '=', value: 'LOCAL' }],
  ],
  ['metrics.`my metric` <= 3', [{ type: 'metric', key: 'my metric', comparator: '<=', value: 3 }]],
  [
    "metrics.'prediction accuracy' >= 0.945",
    [{ type: 'metric', key: 'prediction accuracy', comparator: '>=', value: 0.945 }],
  ],
  ['metrics.2019_error < 1', [{ type: 'metric', key: '2019_error', comparator: '<', value: 1 }]],
  [
    'tags.`a.b` IN (\'x\', "y")',
    [{ type: 'tag', key: 'a.b', comparator: 'IN', value: ['x', 'y'] }],
  ],
  ["tag.t not in ('z')", [{ type: 'tag', key: 't', comparator: 'NOT IN', value: ['z'] }]],
  [
    "attributes.run_id NOT IN ('a1','b2')",
    [{ type: 'attribute', key: 'run_id', comparator: 'NOT IN', value: ['a1', 'b2'] }],
  ],
  [
    'attr.created > 1700000000000',
    [{ type: 'attribute', key: 'start_time', comparator: '>', value: 1700000000000 }],
  ],
  ['attribute.end_time <= 5', [{ type: 'attribute', key: 'end_time', comparator: '<=', value: 5 }]],
  [
    "run.status = 'FINISHED'",
    [{ type: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' }],
  ],
  ["status = 'FAILED'", [{ type: 'attribute', key: 'status', comparator: '=', value: 'FAILED' }]],
  [
    "attributes.`Run name` = 'x'",
    [{ type: 'attribute', key: 'run_name', comparator: '=', value: 'x' }],
  ],
  [
    "attributes.run_name LIKE 'sweep-%'",
    [{ type: 'attribute', key: 'run_name', comparator: 'LIKE', value: 'sweep-%' }],
  ],
  [
    "attributes.user_id = 'ana' and attributes.artifact_uri like 's3://%'",
    [
      { type: 'attribute', key: 'user_id', comparator: '=', value: 'ana' },
      { type: 'attribute', key: 'artifact_uri', comparator: 'LIKE', value: 's3://%' },
    ],
  ],
  [
    "datasets.name = 'iris' AND datasets.digest IN ('d1') and dataset.context = 'train'",
    [
      { type: 'dataset', key: 'name', comparator: '=', value: 'iris' },
      { type: 'dataset', key: 'digest', comparator: 'IN', value: ['d1'] },
      { type: 'dataset', key: 'context', comparator: '=', value: 'train' },
    ],
  ],
  [
    'metrics.x = 10 AnD metrics.y>-.25',
    [
      { type: 'metric', key: 'x', comparator: '=', value: 10 },
      { type: 'metric', key: 'y', comparator: '>', value: -0.25 },
    ],
  ],
  // Quotes inside strings: doubled, or escaped with a backslash; other backslashes stay for LIKE.
  ["params.p = 'it''s'", [{ type: 'param', key: 'p', comparator: '=', value: "it's" }]],
  ["params.p = 'it\\'s'", [{ type: 'param', key: 'p', comparator: '=', value: "it's" }]],
  ["params.p LIKE 'a\\_b%'", [{ type: 'param', key: 'p', comparator: 'LIKE', value: 'a\\_b%' }]],
  ["params.p = 'ends\\\\'", [{ type: 'param', key: 'p', comparator: '=', value: 'ends\\' }]],
  ['params.p = "say ""hi"""', [{ type: 'param', key: 'p', comparator: '=', value: 'say "hi"' }]],
  ["params.p = ''", [{ type: 'param', key: 'p', comparator: '=', value: '' }]],
  ['  ', []],
  ['', []],
]

describe('parseSearchFilter', () => {
  it.each(VALID)('parses %s', (filter, expected) => {
    expect(parseSearchFilter(filter)).toEqual(expected)
  })

  it('treats an absent filter as matching everything', () => {
    expect(parseSearchFilter(undefined)).toEqual([])
  })

  const MALFORMED: [string, string][] = [
    ['metrics.acc >> 1', "but found '>' at position 13"],
    ['metrics.acc > 1 OR metrics.acc < 0', "'OR' at position 16 is not supported"],
    [
      "metrics.acc > 'high'",
      "metrics.acc is compared with a number, but found ''high'' at position 14",
    ],
    [
      'params.lr = 0.1',
      "params.lr is compared with a quoted string, but found '0.1' at position 12",
    ],
    ["metrics.acc LIKE '0.%'", "comparator 'LIKE' at position 12 is not supported for metrics.acc"],
    ['foo.acc = 1', "unknown entity type 'foo' in 'foo.acc' at position 0"],
    [
      "attributes.colour = 'red'",
      "unknown attribute 'colour' in 'attributes.colour' at position 0",
    ],
    ["datasets.size = 'x'", "unknown dataset field 'size' in 'datasets.size' at position 0"],
    ["params.model = 'cnn", "unterminated string ''cnn' at position 15"],
    [
      'metrics.acc > 1 and',
      'expected a field such as metrics.<key> but found end of input at position 19',
    ],
    [
      'metrics.acc > 1 metrics.loss < 2',
      "expected AND or the end of the filter but found 'metrics.loss' at position 16",
    ],
    [
      "attributes.status IN ('A')",
      "comparator 'IN' at position 18 is not supported for attributes.status",
    ],
    [
      "attributes.run_id IN 'a'",
      "expected '(' to start a list of quoted strings but found ''a'' at position 21",
    ],
    [
      "attributes.run_id IN ('a' 'b')",
      "expected ',' or ')' in the list but found ''b'' at position 26",
    ],
    [
      'attributes.run_id IN ()',
      "expected a quoted string in the list but found ')' at position 22",
    ],
    ["params.a NOT LIKE 'x'", "expected IN after NOT but found 'LIKE' at position 13"],
    ['metrics.acc ~ 1', "unexpected character '~' at position 12"],
    ['metrics.acc > 1abc', "malformed number '1abc' at position 14"],
    [
      'attributes.start_time > 1.5',
      "attributes.start_time is compared with whole milliseconds, but found '1.5' at position 24",
    ],
    ['acc > 1', "unknown field 'acc' at position 0"],
    ['metrics. > 1', "unexpected character '.' at position 7"],
    ['tags."a".b = \'x\'', 'a quoted key must be the whole key, in \'tags."a".b\' at position 0'],
    ['= 1', "expected a field such as metrics.<key> but found '=' at position 0"],
    [
      'metrics.acc 1',
      "expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) but found '1' at position 12",
    ],
    [
      "tags.t = 'x' AND AND tags.u = 'y'",
      "expected a field such as metrics.<key> but found 'AND' at position 17",
    ],
    ["metrics.acc IN ('1')", "comparator 'IN' at position 12 is not supported for metrics.acc"],
    ["params.p = 'x')", "expected AND or the end of the filter but found ')' at position 14"],
    ['metrics.acc <> 1', "but found '>' at position 13"],
  ]

  it.each(MALFORMED)('rejects %s', (filter, fragment) => {
    let error: unknown
    try {
      parseSearchFilter(filter)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400 })
    const message = (error as Error).message
    expect(message.startsWith(`Invalid filter '${filter}': `)).toBe(true)
    expect(message).toContain(fragment)
  })

  it('words the whole message around the filter', () => {
    expect(() => parseSearchFilter('metrics.acc >> 1')).toThrow(
      "Invalid filter 'metrics.acc >> 1': metrics.acc is compared with a number, but found '>' at position 13",
    )
  })
})

describe('parseExperimentFilter', () => {
  it('parses attributes with or without a prefix, and tags', () => {
    expect(
      parseExperimentFilter(
        "name = 'a' and attributes.name LIKE 'b%' and creation_time > 5 and attribute.last_update_time <= 3 and tags.team ILIKE 'ML'",
      ),
    ).toEqual([
      { type: 'attribute', key: 'name', comparator: '=', value: 'a' },
      { type: 'attribute', key: 'name', comparator: 'LIKE', value: 'b%' },
      { type: 'attribute', key: 'creation_time', comparator: '>', value: 5 },
      { type: 'attribute', key: 'last_update_time', comparator: '<=', value: 3 },
      { type: 'tag', key: 'team', comparator: 'ILIKE', value: 'ML' },
    ])
  })

  it.each([
    [
      'metrics.acc > 1',
      "unknown entity type 'metrics' in 'metrics.acc' at position 0; valid types are attributes, tags",
    ],
    ["tags.team IN ('a')", "comparator 'IN' at position 10 is not supported for tags.team"],
    ["name IN ('a')", "comparator 'IN' at position 5 is not supported for attributes.name"],
    [
      "attributes.experiment_id = '1'",
      "unknown attribute 'experiment_id' in 'attributes.experiment_id' at position 0",
    ],
    [
      "creation_time > '5'",
      "attributes.creation_time is compared with a number, but found ''5'' at position 16",
    ],
  ])('rejects %s', (filter, fragment) => {
    expect(() => parseExperimentFilter(filter)).toThrow(fragment)
  })
})
