import type { Services } from '../../../runtime/services.js'
import { OnnxGraphBuilder } from '../../../training/index.js'

/** y = x: the smallest model onnxruntime loads. */
export function identityOnnx(): Uint8Array {
  return new OnnxGraphBuilder()
    .input('x', 'float', ['N', 1])
    .node({ opType: 'Identity', inputs: ['x'], outputs: ['y'] })
    .output('y', 'float', ['N', 1])
    .build({ metadata: { task: 'regression' } })
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

/** Imports `count` ONNX versions of `name` (versions 1…count). */
export async function importVersions(services: Services, name: string, count: number) {
  for (let i = 0; i < count; i++) {
    await services.registry.importModel({ name, body: once(identityOnnx()) }, 'trainer')
  }
}

/** A new version of `name` registered from a run that logged no model package; its number. */
export async function versionWithoutOnnx(services: Services, name: string): Promise<number> {
  const run = await services.tracking.runs.create({ runName: 'no-package' }, 'trainer')
  const created = await services.registry.versions.create(
    { name, source: `runs:/${run.info.run_id}/model`, runId: run.info.run_id },
    'trainer',
  )
  return Number(created.version)
}
