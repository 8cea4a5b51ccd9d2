/**
 * Runs the 903 rules over a file set: the rows of every table are grouped by child once (with last
 * year's, when given), then child by child the child's rows are made into objects (episodes sorted
 * and given their derived postcode fields) and its rules run on that child alone; the few rules
 * about the whole return keep only what they need.
 */
import { at, rowOf } from './csv.ts'
import { day, dayOf } from './dates.ts'
import { TABLE_NAMES, TABLES, type ChildRecord, type ChildRows, type ChildTables, type Episode, type FileSet, type Finding, type TableName } from './model.ts'
import { postcodeKey, type Postcode, type PostcodeLookup } from './postcodes.ts'
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
  dob: NaN,
  header: NONE, episodes: NONE, reviews: NONE, uasc: NONE, oc2: NONE, oc3: NONE, ad1: NONE, placed: NONE, prevPerm: NONE, missing: NONE, sw: NONE,
})

const KEYS: { [T in TableName]: keyof ChildRows } = {
  Header: 'header', Episodes: 'episodes', Reviews: 'reviews', UASC: 'uasc', OC2: 'oc2', OC3: 'oc3', AD1: 'ad1',
  PlacedAdoption: 'placed', PrevPerm: 'prevPerm', Missing: 'missing', SWEpisodes: 'sw',
}

/** Counties and Welsh, Scottish and Northern Irish areas as the derived PL_LA names them. */
const COUNTRY_BY_LETTER: Record<string, string> = { W: 'WAL', S: 'SCO', N: 'NIR' }

/** Episodes in DECOM order; unreadable DECOMs last, file order among equals. */
const byDecom = (a: Episode, b: Episode): number => {
  const x = Number.isNaN(a.decom) ? Infinity : a.decom
  const y = Number.isNaN(b.decom) ? Infinity : b.decom
  return x === y ? a.index - b.index : x - y
}

const column = (table: TableName, name: string): number => (TABLES[table].columns as readonly string[]).indexOf(name)
const EPISODE = { DECOM: column('Episodes', 'DECOM'), DEC: column('Episodes', 'DEC'), HOME_POST: column('Episodes', 'HOME_POST'), PL_POST: column('Episodes', 'PL_POST') }
const NOT_YET = -Infinity
const HEADER = TABLE_NAMES.indexOf('Header')
const HEADER_DOB = column('Header', 'DOB')

/**
 * A file set's rows by child: children in the order they are first met (Header first), each
 * table's rows ordered by child (file order within a child, by a counting sort on the child's
 * number), and each child's rows made into objects only when its rules run, so that they are
 * short-lived. Dates and postcodes are worked out once per distinct value.
 */
export class RowsByChild {
  /** CHILD of each child, by its number. */
  readonly ids: string[] = []
  /** The value number of each child's CHILD, and the child of each value number (-1: none). */
  private readonly idValues: number[] = []
  private readonly childOf: Int32Array
  private numbers: Map<string, number> | undefined
  /** Per table (TABLE_NAMES order): the rows in child order, and where each child's rows start. */
  private readonly order: Int32Array[] = []
  private readonly starts: Int32Array[] = []
  private readonly days: Float64Array
  private readonly places: (Postcode | null | undefined)[]

  constructor(
    private readonly files: FileSet,
    private readonly la: string,
    private readonly postcodes: PostcodeLookup,
  ) {
    const childOf = (this.childOf = new Int32Array(files.values.length).fill(-1))
    const childOfRow: Int32Array[] = []
    for (const table of TABLE_NAMES) {
      const t = files.tables[table]
      const ids = t.columns[column(table, 'CHILD')]!
      const of = new Int32Array(t.rows)
      for (let r = 0; r < t.rows; r++) {
        const v = ids[r]!
        let c = childOf[v]!
        if (c < 0) {
          c = childOf[v] = this.ids.length
          this.ids.push(files.values[v]!)
          this.idValues.push(v)
        }
        of[r] = c
      }
      childOfRow.push(of)
    }
    const n = this.ids.length
    for (const of of childOfRow) {
      const starts = new Int32Array(n + 1)
      for (let r = 0; r < of.length; r++) starts[of[r]! + 1]!++
      for (let c = 0; c < n; c++) starts[c + 1]! += starts[c]!
      const next = starts.slice(0, n)
      const order = new Int32Array(of.length)
      for (let r = 0; r < of.length; r++) order[next[of[r]!]!++] = r
      this.order.push(order)
      this.starts.push(starts)
    }
    this.days = new Float64Array(files.values.length).fill(NOT_YET)
    this.places = new Array(files.values.length)
  }

  /** The number in `other` (the other year's files) of child `child`, if `other` holds that child. */
  sameChildIn(other: RowsByChild, child: number): number | undefined {
    if (other.files.values === this.files.values) {
      // Both years were read with one set of values (readFileSet's `alongside`): no string lookups.
      const c = other.childOf[this.idValues[child]!]
      return c === undefined || c < 0 ? undefined : c
    }
    if (other.numbers === undefined) other.numbers = new Map(other.ids.map((id, c) => [id, c]))
    return other.numbers.get(this.ids[child]!)
  }

  /** One child's rows, by table; episodes in DECOM order with their derived fields. */
  tables(child: number): ChildTables {
    const tables = emptyTables()
    for (let k = 0; k < TABLE_NAMES.length; k++) {
      const from = this.starts[k]![child]!
      const to = this.starts[k]![child + 1]!
      if (from === to) continue
      const table = TABLE_NAMES[k]!
      const order = this.order[k]!
      const list: unknown[] = []
      for (let i = from; i < to; i++) list.push(table === 'Episodes' ? this.episode(order[i]!) : rowOf(table, this.files.tables[table], this.files.values, order[i]!))
      ;(tables as unknown as Record<string, unknown[]>)[KEYS[table]] = list
    }
    if (tables.episodes.length > 1) tables.episodes.sort(byDecom)
    const header = this.files.tables.Header
    if (this.starts[HEADER]![child]! < this.starts[HEADER]![child + 1]!) tables.dob = this.day(header.columns[HEADER_DOB]![this.order[HEADER]![this.starts[HEADER]![child]!]!]!)
    return tables
  }

  private day(v: number): number {
    let d = this.days[v]!
    if (d === NOT_YET) d = this.days[v] = day(this.files.values[v]!)
    return d
  }

  private place(v: number): Postcode | undefined {
    let p = this.places[v]
    if (p === undefined) p = this.places[v] = v === 0 ? null : (this.postcodes.get(postcodeKey(this.files.values[v]!)) ?? null)
    return p ?? undefined
  }

  /** An episode's row with its dates as day numbers and its derived postcode fields (one object literal: one shape). */
  private episode(i: number): Episode {
    const t = this.files.tables.Episodes
    const c = t.columns
    const v = this.files.values
    const home = this.place(c[EPISODE.HOME_POST]![i]!)
    const place = this.place(c[EPISODE.PL_POST]![i]!)
    let plLa = ''
    let plLocation = ''
    if (place !== undefined) {
      const country = COUNTRY_BY_LETTER[place.laua[0] ?? '']
      plLa = country ?? place.utla
      plLocation = country === undefined && plLa === this.la ? 'IN' : 'OUT'
    }
    const plDistance =
      home !== undefined && place !== undefined
        ? Math.round(Math.hypot(home.east - place.east, home.north - place.north) / 1000 / 1.6093 * 10) / 10
        : NaN
    return {
      line: t.lines[i]!, index: i, CHILD: at(c, v, 0, i), DECOM: at(c, v, 1, i), RNE: at(c, v, 2, i), LS: at(c, v, 3, i), CIN: at(c, v, 4, i),
      PLACE: at(c, v, 5, i), PLACE_PROVIDER: at(c, v, 6, i), DEC: at(c, v, 7, i), REC: at(c, v, 8, i), REASON_PLACE_CHANGE: at(c, v, 9, i),
      HOME_POST: at(c, v, 10, i), PL_POST: at(c, v, 11, i), URN: at(c, v, 12, i),
      decom: this.day(c[EPISODE.DECOM]![i]!), dec: this.day(c[EPISODE.DEC]![i]!), plLa, plLocation, plDistance,
    }
  }
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
  const thisYear = new RowsByChild(files, options.la, options.postcodes)
  const lastYear = previous === undefined ? undefined : new RowsByChild(previous, options.la, options.postcodes)
  const active = rules.filter((r) => runs(r, ctx))
  const childRules = active.filter((r): r is ChildRule => !isReturnRule(r))
  // Rules about one table's rows run only for children with such rows; the rest for every child.
  const everyChild = childRules.filter((r) => r.rows === undefined)
  const byRows = new Map<keyof ChildRows, ChildRule[]>()
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
  for (let c = 0; c < thisYear.ids.length; c++) {
    const id = thisYear.ids[c]!
    summary.children++
    const lastNumber = lastYear === undefined ? undefined : thisYear.sameChildIn(lastYear, c)
    const last = lastNumber === undefined ? undefined : lastYear!.tables(lastNumber)
    const child: ChildRecord = Object.assign(thisYear.tables(c), { id, last })
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
  const homes = files.tables.Episodes.columns[EPISODE.HOME_POST]!
  const perValue = new Map<number, number>()
  for (let r = 0; r < homes.length; r++) if (homes[r] !== 0) perValue.set(homes[r]!, (perValue.get(homes[r]!) ?? 0) + 1)
  const counts = new Map<string, number>()
  for (const [v, n] of perValue) {
    const la = postcodes.get(postcodeKey(files.values[v]!))?.utla
    if (la) counts.set(la, (counts.get(la) ?? 0) + n)
  }
  let best: string | undefined
  for (const [la, n] of counts) if (best === undefined || n > counts.get(best)!) best = la
  return best
}
