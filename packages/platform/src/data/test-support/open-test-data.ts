import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalArtifactStore } from '../../artifacts/local-artifact-store.js'
import { createServices, type Services } from '../../runtime/services.js'
import type { MetadataStore } from '../../storage/index.js'
import { type TestStore, openTestSqliteStore } from '../../storage/test-support/test-stores.js'

export const VEGA_DATA = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../../../node_modules/vega-datasets/data',
)

export interface TestData {
  services: Services
  store: MetadataStore
  artifacts: LocalArtifactStore
  /** A folder for the test's input files. */
  dir: string
  /** Writes a file into `dir` and returns its path. */
  file(name: string, content: string | Uint8Array): string
  dispose(): Promise<void>
}

/** Services over a migrated store (SQLite unless given) and local artifacts in a temp folder. */
export async function openTestData(
  options: { open?: () => Promise<TestStore>; maxIngestBytes?: number } = {},
): Promise<TestData> {
  const testStore = await (options.open ?? openTestSqliteStore)()
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-data-test-'))
  const artifacts = new LocalArtifactStore(path.join(dir, 'artifacts'))
  await artifacts.init()
  const services = createServices({
    store: testStore.store,
    artifacts,
    ...(options.maxIngestBytes === undefined ? {} : { maxIngestBytes: options.maxIngestBytes }),
  })
  return {
    services,
    store: testStore.store,
    artifacts,
    dir,
    file(name, content) {
      const file = path.join(dir, name)
      writeFileSync(file, content)
      return file
    },
    async dispose() {
      await services.data.close()
      await artifacts.close()
      await testStore.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
