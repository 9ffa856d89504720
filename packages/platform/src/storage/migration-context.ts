import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely'

type DataTypeExpression = ColumnDataType

/**
 * What a migration may ask of the backend it runs on: column types and the few constructs whose
 * spelling differs. Migrations are written once and run on SQLite and PostgreSQL.
 */
export interface MigrationContext {
  types: {
    bigint: DataTypeExpression
    double: DataTypeExpression
    smallint: DataTypeExpression
    text: DataTypeExpression
  }
  autoIncrementPrimaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
}
