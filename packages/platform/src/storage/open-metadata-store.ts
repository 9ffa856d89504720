import type { Config } from '../config/index.js'
import type { MetadataStore } from './metadata-store.js'
import { PostgresMetadataStore } from './postgres-metadata-store.js'
import { SqliteMetadataStore } from './sqlite-metadata-store.js'

/** Opens the configured metadata store and brings its schema up to date. */
export async function openMetadataStore(database: Config['database']): Promise<MetadataStore> {
  const store =
    database.kind === 'sqlite'
      ? new SqliteMetadataStore(database.path)
      : new PostgresMetadataStore(database.url)
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
