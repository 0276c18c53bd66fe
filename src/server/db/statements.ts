import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A table's columns as statement text and as a reader of the raw rows a named statement returns
 * (see `runStatement`), both derived from the schema, so that a hand-written hot-path statement
 * cannot drift from the rows Drizzle would have returned.
 */
export function tableShape<T extends Table>(table: T, alias: string) {
  const columns = Object.entries(getTableColumns(table));
  const keyColumn = `${alias}.${columns[0]![1].name}`;
  return {
    /** `alias."col" AS "alias.col", …` for a select list. */
    select: columns.map(([, column]) => `${alias}."${column.name}" AS "${alias}.${column.name}"`).join(', '),
    /** The row as Drizzle types it, or undefined when an outer join found none. */
    read(raw: Record<string, unknown>): InferSelectModel<T> | undefined {
      if (raw[keyColumn] === null || raw[keyColumn] === undefined) return undefined;
      const row: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = raw[`${alias}.${column.name}`];
        row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return row as InferSelectModel<T>;
    },
  };
}
