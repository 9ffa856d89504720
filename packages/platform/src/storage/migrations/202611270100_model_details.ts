import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * What the registry reads from a version's model package (signature, input example, the ONNX
 * file's digest, task and classes), and the datasets each version was made from, indexed by digest
 * so that a dataset version lists the models trained on it. Keyed by model name like the other
 * registry tables: a rename rewrites the name in the same transaction.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('model_version_details')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('flavor', text)
      // ModelSignature as JSON.
      .addColumn('signature', text)
      // The input example as JSON records.
      .addColumn('input_example', text)
      // The ONNX file's path inside the run's artifacts, its sha256 (hex) and size.
      .addColumn('onnx_path', text)
      .addColumn('onnx_sha256', text)
      .addColumn('onnx_size', bigint)
      .addColumn('task', text)
      // The classes as a JSON array.
      .addColumn('classes', text)
      .addColumn('target', text)
      .addColumn('algo', text)
      .addPrimaryKeyConstraint('model_version_details_pk', ['name', 'version'])
      .execute()

    await db.schema
      .createTable('model_version_datasets')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('position', bigint, (c) => c.notNull())
      .addColumn('dataset_name', text, (c) => c.notNull())
      // The Ballast dataset version, when the run's input named one.
      .addColumn('dataset_version', bigint)
      // The digest the run logged (MLflow's inputs keep 36 characters of the version's sha256).
      .addColumn('digest', text, (c) => c.notNull())
      .addColumn('context', text)
      .addPrimaryKeyConstraint('model_version_datasets_pk', ['name', 'version', 'position'])
      .execute()
    await db.schema
      .createIndex('model_version_datasets_digest')
      .on('model_version_datasets')
      .column('digest')
      .execute()
  }
}
