import { describe, expect, it } from 'vitest'
import { definePipeline, ref } from './pipeline-builder.js'
import type { PipelineDefinition } from './pipeline-definition.js'

describe('definePipeline', () => {
  it('declares steps in order, with references to earlier outputs, params and the trigger', () => {
    const spec = definePipeline(
      {
        name: 'retrain-loans',
        params: { window: 5000 },
        triggers: [{ kind: 'event', events: ['drift_detected'], monitor: 'loans' }],
        limits: { debounceMs: 1_800_000, maxRunsPerDay: 2 },
      },
      (p) => {
        const data = p.ingest('data', {
          predictions: { deployment: 'loans', last: p.param('window'), skip_last: 1000 },
          dataset: 'loans-live',
        })
        const train = p.train('train', {
          dataset: data.outputs.dataset,
          target: 'default',
          task: 'classification',
          algo: 'gbdt',
          params: { numTrees: 50 },
          register: 'loans',
        })
        const gate = p.evaluate('gate', {
          challenger: train.outputs.model,
          champion: { deployment: 'loans' },
          data: { deployment: 'loans', last: 1000 },
          policy: { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }] },
        })
        p.deploy(
          'ship',
          { deployment: 'loans', model: train.outputs.model, canary: { percent: 10 } },
          { if: gate.outputs.passed, retries: 1 },
        )
        p.command('tell', {
          run: ['node', 'tell.js', p.trigger('event_id'), train.output('test_roc_auc')],
        })
      },
    )
    expect(spec).toEqual({
      name: 'retrain-loans',
      params: { window: 5000 },
      triggers: [{ kind: 'event', events: ['drift_detected'], monitor: 'loans' }],
      limits: { debounceMs: 1_800_000, maxRunsPerDay: 2 },
      steps: [
        {
          name: 'data',
          kind: 'ingest',
          with: {
            predictions: { deployment: 'loans', last: '${{ params.window }}', skip_last: 1000 },
            dataset: 'loans-live',
          },
        },
        {
          name: 'train',
          kind: 'train',
          with: {
            dataset: '${{ steps.data.outputs.dataset }}',
            target: 'default',
            task: 'classification',
            algo: 'gbdt',
            params: { numTrees: 50 },
            register: 'loans',
          },
        },
        {
          name: 'gate',
          kind: 'evaluate',
          with: {
            challenger: '${{ steps.train.outputs.model }}',
            champion: { deployment: 'loans' },
            data: { deployment: 'loans', last: 1000 },
            policy: { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }] },
          },
        },
        {
          name: 'ship',
          kind: 'deploy',
          with: {
            deployment: 'loans',
            model: '${{ steps.train.outputs.model }}',
            canary: { percent: 10 },
          },
          if: '${{ steps.gate.outputs.passed }}',
          retries: 1,
        },
        {
          name: 'tell',
          kind: 'command',
          with: {
            run: [
              'node',
              'tell.js',
              '${{ trigger.event_id }}',
              '${{ steps.train.outputs.test_roc_auc }}',
            ],
          },
        },
      ],
    })
  })

  it('takes the whole definition as an object, with ref() for references', () => {
    const definition: PipelineDefinition = {
      name: 'nightly',
      triggers: [{ kind: 'schedule', cron: '0 3 * * *' }],
      steps: [
        { name: 'data', kind: 'ingest', with: { dataset: 'loans@latest' } },
        {
          name: 'check',
          kind: 'validate',
          with: { dataset: ref.step('data', 'dataset'), suite: 'suites/loans.json' },
          cache: false,
        },
      ],
    }
    expect(definePipeline(definition)).toBe(definition)
    expect(ref.param('window')).toBe('${{ params.window }}')
  })

  it('names the mistake: a step declared twice, an undeclared param, a bad name, no steps', () => {
    expect(() =>
      definePipeline({ name: 'p' }, (p) => {
        p.ingest('data', { dataset: 'a@1' })
        p.ingest('data', { dataset: 'b@1' })
      }),
    ).toThrow("pipeline 'p': step 'data' is declared twice")
    expect(() =>
      definePipeline({ name: 'p', params: { window: 10 } }, (p) => {
        p.ingest('data', { predictions: { deployment: 'd', last: p.param('windw') }, dataset: 'x' })
      }),
    ).toThrow("pipeline 'p': param 'windw' is not declared in params")
    expect(() =>
      definePipeline({ name: 'p' }, (p) => {
        p.ingest('my data', { dataset: 'a@1' })
      }),
    ).toThrow('invalid step name "my data": expected letters, digits, _ and -')
    expect(() => ref.step('data', 'a.b')).toThrow('invalid output name "a.b"')
    expect(() => definePipeline({ name: 'p' } as PipelineDefinition)).toThrow(
      "pipeline 'p': steps: expected a list, or a function declaring them",
    )
  })

  it('types inputs by kind: unknown inputs and non-references where numbers go do not compile', () => {
    definePipeline({ name: 'p' }, (p) => {
      p.train('t', {
        dataset: 'a@1',
        target: 'y',
        task: 'classification',
        algo: 'gbdt',
        // @ts-expect-error -- `suite` is not an input of train
        suite: 'x',
      })
      // @ts-expect-error -- a number, or a `${{ … }}` reference, not any text
      p.ingest('d', { predictions: { deployment: 'd', last: 'many' }, dataset: 'x' })
      // @ts-expect-error -- deploy steps name a model
      p.deploy('s', { deployment: 'd' })
      const train = p.train('t2', {
        dataset: 'a@1',
        target: 'y',
        task: 'classification',
        algo: 'gbdt',
      })
      // @ts-expect-error -- a train step has no `passed` output (outputs lists the known keys)
      void train.outputs.passed
    })
  })
})
