/**
 * Runs the 903 rules over a file set: the rows of every table are grouped by child once (with last
 * year's, when given), episodes sorted and given their derived postcode fields, then each child's
 * rules run on that child alone; the few rules about the whole return keep only what they need.
 */
import { day, dayOf } from './dates.ts'
import type { ChildRecord, ChildTables, Episode, FileSet, Finding, Row, TableName } from './model.ts'
import { postcodeKey, type PostcodeLookup } from './postcodes.ts'
import { isReturnRule, type ChildRule, type Context, type ReturnRule, type Rule } from './rule.ts'
import { RULES } from './rules/index.ts'

export interface ValidateOptions {
  /** The year the return ends in (2026 for 2025-26). */
  year: number
  /** The authority's 9-character code, e.g. E06000999. */
  la: string
  postcodes: PostcodeLookup
}

export interface Ssda903Summary {
  year: number
  la: string
  children: number
  errors: number
  queries: number
  /** Findings per rule code. */
  rules: Record<string, number>
}

/** Shared by every child without rows in a table (most children have rows in few tables); never written. */
const NONE: never[] = Object.freeze([]) as unknown as never[]

const emptyTables = (): ChildTables => ({
  header: NONE, episodes: NONE, reviews: NONE, uasc: NONE, oc2: NONE, oc3: NONE, ad1: NONE, placed: NONE, prevPerm: NONE, missing: NONE, sw: NONE,
})

const KEYS: { [T in TableName]: keyof ChildTables } = {
  Header: 'header', Episodes: 'episodes', Reviews: 'reviews', UASC: 'uasc', OC2: 'oc2', OC3: 'oc3', AD1: 'ad1',
  PlacedAdoption: 'placed', PrevPerm: 'prevPerm', Missing: 'missing', SWEpisodes: 'sw',
}

/** Counties and Welsh, Scottish and Northern Irish areas as the derived PL_LA names them. */
const COUNTRY_BY_LETTER: Record<string, string> = { W: 'WAL', S: 'SCO', N: 'NIR' }

function deriveEpisode(row: Row<'Episodes'>, la: string, postcodes: PostcodeLookup): Episode {
  const home = row.HOME_POST === '' ? undefined : postcodes.get(postcodeKey(row.HOME_POST))
  const place = row.PL_POST === '' ? undefined : postcodes.get(postcodeKey(row.PL_POST))
  let plLa = ''
  let plLocation = ''
  if (place !== undefined) {
    const country = COUNTRY_BY_LETTER[place.laua[0] ?? '']
    plLa = country ?? place.utla
    plLocation = country === undefined && plLa === la ? 'IN' : 'OUT'
  }
  const plDistance =
    home !== undefined && place !== undefined
      ? Math.round(Math.hypot(home.east - place.east, home.north - place.north) / 1000 / 1.6093 * 10) / 10
      : NaN
  // The row gains its derived fields in place (it is not shared), rather than being copied.
  return Object.assign(row, { decom: day(row.DECOM), dec: day(row.DEC), plLa, plLocation, plDistance })
}

/** Episodes in DECOM order; unreadable DECOMs last, file order among equals. */
const byDecom = (a: Episode, b: Episode): number => {
  const x = Number.isNaN(a.decom) ? Infinity : a.decom
  const y = Number.isNaN(b.decom) ? Infinity : b.decom
  return x === y ? a.index - b.index : x - y
}

/** Groups a file set's rows by CHILD, in the order children first appear (Header first). */
export function indexByChild(files: FileSet, la: string, postcodes: PostcodeLookup): Map<string, ChildTables> {
  const children = new Map<string, ChildTables>()
  for (const table of Object.keys(KEYS) as TableName[]) {
    const key = KEYS[table]
    for (const row of files.rows[table] as Row<TableName>[]) {
      const id = (row as unknown as { CHILD: string }).CHILD
      let child = children.get(id)
      if (child === undefined) {
        child = emptyTables()
        children.set(id, child)
      }
      const item = table === 'Episodes' ? deriveEpisode(row as Row<'Episodes'>, la, postcodes) : row
      const list = child[key] as unknown[]
      if (list === NONE) (child as unknown as Record<string, unknown[]>)[key] = [item]
      else list.push(item)
    }
  }
  for (const child of children.values()) if (child.episodes.length > 1) child.episodes.sort(byDecom)
  return children
}

export function contextFor(options: ValidateOptions, present: ReadonlySet<TableName>, presentLast: ReadonlySet<TableName>): Context {
  return {
    year: options.year,
    start: dayOf(options.year - 1, 4, 1),
    end: dayOf(options.year, 3, 31),
    la: options.la,
    postcodes: options.postcodes,
    present,
    presentLast,
  }
}

const runs = (rule: Rule, ctx: Context) =>
  rule.needs.every((t) => ctx.present.has(t)) && (rule.needsLast ?? []).every((t) => ctx.presentLast.has(t))

/**
 * Validates this year's files (and last year's, if given): each finding goes to `sink` as it is
 * found, child by child, then the whole-return findings; returns the summary.
 */
export function validateSsda903(
  files: FileSet,
  previous: FileSet | undefined,
  options: ValidateOptions,
  sink: (finding: Finding) => void,
  rules: readonly Rule[] = RULES,
): Ssda903Summary {
  const ctx = contextFor(options, files.present, previous?.present ?? new Set())
  const thisYear = indexByChild(files, options.la, options.postcodes)
  const lastYear = previous === undefined ? undefined : indexByChild(previous, options.la, options.postcodes)
  const active = rules.filter((r) => runs(r, ctx))
  const childRules = active.filter((r): r is ChildRule => !isReturnRule(r))
  // Rules about one table's rows run only for children with such rows; the rest for every child.
  const everyChild = childRules.filter((r) => r.rows === undefined)
  const byRows = new Map<keyof ChildTables, ChildRule[]>()
  for (const rule of childRules) if (rule.rows !== undefined) byRows.set(rule.rows, [...(byRows.get(rule.rows) ?? []), rule])
  const rowRules = [...byRows]
  const returnRuns = active.filter(isReturnRule).map((rule: ReturnRule) => ({ rule, run: rule.start(ctx) }))
  const summary: Ssda903Summary = { year: options.year, la: options.la, children: 0, errors: 0, queries: 0, rules: {} }
  const emit = (rule: Rule, child: string | null, field?: string, table?: TableName) => {
    const finding: Finding = {
      rule: rule.code,
      child,
      table: table ?? rule.table,
      field: field ?? rule.field,
      message: rule.message,
      type: rule.type,
    }
    if (finding.type === 'error') summary.errors++
    else summary.queries++
    summary.rules[rule.code] = (summary.rules[rule.code] ?? 0) + 1
    sink(finding)
  }
  for (const [id, tables] of thisYear) {
    summary.children++
    const child: ChildRecord = Object.assign(tables, { id, last: lastYear?.get(id) })
    // One reporter per child, told which rule is running (not one closure per rule and child).
    let current: Rule | undefined
    const report = (field?: string, table?: TableName) => emit(current!, id, field, table)
    for (const rule of everyChild) {
      current = rule
      rule.check(child, ctx, report)
    }
    for (const [rows, rules] of rowRules) {
      if (child[rows].length === 0) continue
      for (const rule of rules) {
        current = rule
        rule.check(child, ctx, report)
      }
    }
    for (const { run } of returnRuns) run.observe(child)
  }
  for (const { rule, run } of returnRuns) run.finish((child, field, table) => emit(rule, child, field, table))
  return summary
}

/** The upper-tier LA most children's home postcodes are in (when the authority is not given). */
export function likelyLa(files: FileSet, postcodes: PostcodeLookup): string | undefined {
  const counts = new Map<string, number>()
  for (const e of files.rows.Episodes) {
    const la = e.HOME_POST === '' ? undefined : postcodes.get(postcodeKey(e.HOME_POST))?.utla
    if (la) counts.set(la, (counts.get(la) ?? 0) + 1)
  }
  let best: string | undefined
  for (const [la, n] of counts) if (best === undefined || n > counts.get(best)!) best = la
  return best
}
