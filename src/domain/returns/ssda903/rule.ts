/** What a 903 rule is, and what it is given to check. */
import type { ChildRecord, ChildRows, FindingType, TableName } from './model.ts'
import type { PostcodeLookup } from './postcodes.ts'

/** The collection year and what the rules measure against, worked out once per run. */
export interface Context {
  /** The year the return ends in: 2026 for 2025-26. */
  year: number
  /** 1 April of the year before, as a day number. */
  start: number
  /** 31 March of the year, as a day number. */
  end: number
  /** The authority's 9-character code (E06000999): PL_LA inside it is IN. */
  la: string
  postcodes: PostcodeLookup
  /** Tables whose files were given, this year and last (last is empty without --previous). */
  present: ReadonlySet<TableName>
  presentLast: ReadonlySet<TableName>
}

export interface RuleDefinition {
  /** DfE's rule code as the public validator names it: "101", "197a", "SW02STG1", "INT03". */
  code: string
  /** Ours, from rules_lac2025_26.csv's kind column: E error, Q query. */
  type: FindingType
  /** The table and field a finding is reported against, unless the check names others. */
  table: TableName
  field: string
  /** This year's tables the rule needs; it does not run when one of their files is absent. */
  needs: readonly TableName[]
  /** Last year's tables it needs (so it runs only with --previous). */
  needsLast?: readonly TableName[]
  message: string
  /**
   * The child's rows the rule looks at, when it reports only about them: it is skipped for a
   * child with none (most children have rows in few tables).
   */
  rows?: keyof ChildRows
}

/** Where a check reports: another field or table than the rule's own, when it says so. */
export type Report = (field?: string, table?: TableName) => void

export interface ChildRule extends RuleDefinition {
  check(child: ChildRecord, ctx: Context, report: Report): void
}

/** A rule about the whole return (e.g. one UPN on two children): it sees every child, then reports. */
export interface ReturnRule extends RuleDefinition {
  start(ctx: Context): {
    observe(child: ChildRecord): void
    finish(emit: (child: string | null, field?: string, table?: TableName) => void): void
  }
}

export type Rule = ChildRule | ReturnRule

export const isReturnRule = (rule: Rule): rule is ReturnRule => 'start' in rule

/** A child rule that reports each row of a list for which `fails` holds. */
export function eachRow<T>(
  rows: (child: ChildRecord) => readonly T[],
  fails: (row: T, child: ChildRecord, ctx: Context) => boolean,
): ChildRule['check'] {
  return (child, ctx, report) => {
    for (const row of rows(child)) if (fails(row, child, ctx)) report()
  }
}

/** A set of codes from a list. */
export const codes = (...list: string[]): ReadonlySet<string> => new Set(list)
