import type { ColumnDataType, ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely'

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
  /**
   * Keeps a table's rows in its primary key's order, for append-heavy tables read by key ranges
   * (SQLite's WITHOUT ROWID). Where the primary key is always an index beside the rows
   * (PostgreSQL), the table is left as it is.
   */
  storedByPrimaryKey<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C>
}
