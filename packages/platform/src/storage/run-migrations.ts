import { AppError } from '@ballast/contracts'
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import { MIGRATIONS } from './migrations/index.js'

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, module]) => [name, { up: module.up(this.ctx) }]),
    )
  }
}

/**
 * Runs pending migrations. Kysely's migrator takes a lock first (an advisory lock on PostgreSQL,
 * the single write transaction on SQLite), so two processes starting together do not race.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  ctx: MigrationContext,
  options: { schema?: string } = {},
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(ctx),
    migrationTableName: 'ballast_migrations',
    migrationLockTableName: 'ballast_migrations_lock',
    // Without it Kysely finds the tables of any schema and skips creating them in this one.
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new AppError(
      'INTERNAL_ERROR',
      `migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    )
  }
}
