import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalArtifactStore } from '../../../artifacts/index.js'
import {
  MODEL_ARTIFACT_PATH,
  type PackageModelInput,
  packageModel,
} from '../../../registry/index.js'
import { createServices, type Services } from '../../../runtime/services.js'
import { signatureOf } from '../../../runtime/train-job.js'
import { openTestSqliteStore } from '../../../storage/test-support/test-stores.js'
import type { TabularModel } from '../../../training/index.js'

export interface RegistryFixture {
  services: Services
  /** Logs the model's package to a new run and registers it; returns the version. */
  registerTabular(name: string, model: TabularModel): Promise<number>
  /** Logs a model package to a new run and registers it, as an MLflow client would. */
  registerPackage(name: string, input: Omit<PackageModelInput, 'runId'>): Promise<number>
  /** Imports an ONNX file as a new version, as `ballast models import` does. */
  importOnnx(name: string, onnx: Uint8Array): Promise<number>
  dispose(): Promise<void>
}

/** Services over a fresh SQLite store and a local artifact store in a temporary folder. */
export async function openRegistryFixture(): Promise<RegistryFixture> {
  const testStore = await openTestSqliteStore()
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-artifacts-'))
  const artifacts = new LocalArtifactStore(dir)
  await artifacts.init()
  const services = createServices({ store: testStore.store, artifacts })
  const actor = 'tester'

  async function registerPackage(
    name: string,
    input: Omit<PackageModelInput, 'runId'>,
  ): Promise<number> {
    const run = await services.tracking.runs.create({ experimentId: '0' }, actor)
    const runId = run.info.run_id
    for (const file of packageModel({ ...input, runId })) {
      await services.tracking.artifacts.upload(
        `0/${runId}/artifacts/${MODEL_ARTIFACT_PATH}/${file.path}`,
        file.bytes,
      )
    }
    try {
      await services.registry.models.create({ name }, actor)
    } catch {
      // Registered already: this is another version.
    }
    const version = await services.registry.versions.create(
      { name, source: `runs:/${runId}/${MODEL_ARTIFACT_PATH}`, runId },
      actor,
    )
    return Number(version.version)
  }

  const registerTabular = (name: string, model: TabularModel): Promise<number> =>
    registerPackage(name, {
      onnx: model.onnx,
      signature: signatureOf(model),
      inputExample: model.inputExample,
      task: model.task,
      classes: model.classes,
      target: model.target,
      algo: model.algo,
    })

  async function importOnnx(name: string, onnx: Uint8Array): Promise<number> {
    const body = (async function* () {
      yield onnx
    })()
    const shown = await services.registry.importModel({ name, body }, actor)
    return shown.version.version
  }

  return {
    services,
    registerTabular,
    registerPackage,
    importOnnx,
    async dispose() {
      await testStore.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
