/**
 * Checks, set-wise, that every reference the synthetic seed wrote points at a row that exists. The
 * seed loads with per-row foreign-key triggers off when the database role may turn them off
 * (as pg_restore --disable-triggers does); this check, one anti-join per foreign key over the
 * partnership's rows, keeps the guarantee the triggers would have given, at a fraction of the cost.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core'
import { queryRows, type Db } from '../../../db/connection.ts'
import { partnership } from '../../../db/schema/index.ts'
import { SYNTHETIC_TABLES } from './rows.ts'

export interface DanglingReference {
  table: string
  constraint: string
  rows: number
}

const ident = (name: string) => sql.identifier(name)

function checkOf(table: PgTable, partnershipId: string): { constraint: string; query: SQL }[] {
  const name = getTableName(table)
  const ownPartnership = (getTableColumns(table) as Record<string, PgColumn>).partnershipId
  return getTableConfig(table).foreignKeys.flatMap((fk) => {
    const { columns, foreignColumns, foreignTable } = fk.reference()
    // Every row is filtered to the partnership, which exists: nothing to check.
    if (foreignTable === partnership && ownPartnership && columns[0] === ownPartnership) return []
    const notNull = sql.join(columns.map((c) => sql`c.${ident(c.name)} is not null`), sql` and `)
    const joined = sql.join(columns.map((c, i) => sql`p.${ident(foreignColumns[i]!.name)} = c.${ident(c.name)}`), sql` and `)
    const scope = ownPartnership ? sql`c.${ident(ownPartnership.name)} = ${partnershipId} and ` : sql``
    return [
      {
        constraint: fk.getName(),
        query: sql`select count(*)::int as n from ${ident(name)} c where ${scope}${notNull}
          and not exists (select 1 from ${ident(getTableName(foreignTable))} p where ${joined})`,
      },
    ]
  })
}

/** Every foreign key of the synthetic tables that a row of the partnership breaks, with how many rows. */
export async function danglingReferences(db: Db, partnershipId: string): Promise<DanglingReference[]> {
  const found: DanglingReference[] = []
  for (const table of Object.values(SYNTHETIC_TABLES)) {
    for (const { constraint, query } of checkOf(table, partnershipId)) {
      const [result] = await queryRows<{ n: number }>(db, query)
      const rows = Number(result?.n ?? 0)
      if (rows > 0) found.push({ table: getTableName(table), constraint, rows })
    }
  }
  return found
}
