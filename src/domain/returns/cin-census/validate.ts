/**
 * Runs the census rules over a stream of children: each child is checked as it is read, and only
 * what rules about the whole return need (ids seen, counts) is kept, so memory stays flat however
 * large the file.
 */
import { addDays, addMonths } from '../../timescales/calendar/iso-date.ts'
import type { CensusChild, CensusFile, CensusHeader, Finding } from './model.ts'
import { CENSUS_YEARS, DRAFT_CENSUS_YEAR } from './model.ts'
import { checkingChild, type CensusContext, type ChildRule, type Reporter, type ReturnRuleRun, type RuleDefinition } from './rule.ts'
import { rulesFor } from './rules/index.ts'

/** What the rules need from the working-day calendar (BankHolidayCalendar provides it). */
export interface WorkingDays {
  addWorkingDays(start: string, n: number): string
}

export interface ValidateOptions {
  /** The year the census ends in: 2024, 2025 or 2026 (2027 with `draft`). */
  year: number
  calendar: WorkingDays
  /** Run the draft 2026-27 pre-proceedings rules (year 2027 only). */
  draft?: boolean
}

export class CensusYearError extends Error {
  override name = 'CensusYearError'
}

export function isCensusYear(year: number, draft = false): boolean {
  return (CENSUS_YEARS as readonly number[]).includes(year) || (draft && year === DRAFT_CENSUS_YEAR)
}

export function censusContext(options: ValidateOptions): CensusContext {
  const { year, calendar } = options
  const draft = options.draft === true
  if (!isCensusYear(year, draft)) {
    const known = CENSUS_YEARS.join(', ')
    throw new CensusYearError(
      year === DRAFT_CENSUS_YEAR
        ? 'the 2026-27 census is a draft: ask for it explicitly (--draft-2027)'
        : `no CIN census rules for ${year}: the census years are ${known} (the year each census ends in)`,
    )
  }
  const end = `${year}-03-31`
  const start = `${year - 1}-04-01`
  return {
    year,
    start,
    end,
    startMinusOneWorkingDay: calendar.addWorkingDays(start, -1),
    endMinus45WorkingDays: calendar.addWorkingDays(end, -45),
    endMinus15WorkingDays: calendar.addWorkingDays(end, -15),
    expectedBirthFrom: addDays(end, -30),
    expectedBirthTo: addMonths(end, 9),
    // Compulsory school age starts on the prescribed day (31 March is one) on or after the 5th birthday.
    schoolAgeBornBy: addMonths(end, -60),
    over25BornBefore: addMonths(end, -300),
    draft,
  }
}

export interface CensusSummary {
  year: number
  children: number
  errors: number
  queries: number
  /** Findings per rule code. */
  rules: Record<string, number>
}

/** Checks one census, child by child: `child()` for each, then `finish()` once. */
export class CensusValidator {
  readonly context: CensusContext
  private readonly rules: ReturnType<typeof rulesFor>
  private readonly wholeRuns: { rule: RuleDefinition; run: ReturnRuleRun }[]
  private header: CensusHeader | undefined
  private children = 0
  private readonly counts = { errors: 0, queries: 0, rules: {} as Record<string, number> }

  constructor(
    options: ValidateOptions,
    private readonly sink: (finding: Finding) => void,
  ) {
    this.context = censusContext(options)
    this.rules = rulesFor(this.context.year)
    this.wholeRuns = this.rules.whole.map((rule) => ({ rule, run: rule.start() }))
  }

  setHeader(header: CensusHeader | undefined): void {
    this.header = header
  }

  child(child: CensusChild): void {
    this.children++
    const ctx = this.context
    const reporter = new ChildReporter(child, (f) => this.emit(f))
    const done = checkingChild()
    try {
      for (const rule of this.rules.child) {
        reporter.rule = rule
        rule.check(child, ctx, reporter)
      }
    } finally {
      done()
    }
    for (const { run } of this.wholeRuns) run.observe(child, ctx)
  }

  finish(): CensusSummary {
    const ctx = this.context
    for (const rule of this.rules.header) {
      if (rule.check(this.header, ctx)) this.emit(findingOf(rule, null))
    }
    for (const { rule, run } of this.wholeRuns) {
      run.finish(ctx, (f) => this.emit({ ...findingOf(rule, f.child), ...definedOnly(f) }))
    }
    return { year: ctx.year, children: this.children, errors: this.counts.errors, queries: this.counts.queries, rules: this.counts.rules }
  }

  private emit(finding: Finding): void {
    if (finding.type === 'error') this.counts.errors++
    else this.counts.queries++
    this.counts.rules[finding.rule] = (this.counts.rules[finding.rule] ?? 0) + 1
    this.sink(finding)
  }
}

class ChildReporter implements Reporter {
  rule!: ChildRule
  constructor(
    private readonly child: CensusChild,
    private readonly emit: (f: Finding) => void,
  ) {}

  report(where?: string, field?: string): void {
    const finding = findingOf(this.rule, this.child.laChildId ?? null)
    if (field !== undefined) finding.field = field
    if (where !== undefined) finding.message = `${finding.message} (${where})`
    this.emit(finding)
  }
}

function findingOf(rule: RuleDefinition, child: string | null): Finding {
  return { rule: rule.code, child, table: rule.table, field: rule.field, message: rule.message, type: rule.type }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Validates a census held in memory; findings in file order, then those about the whole return. */
export function validateCensus(file: CensusFile, options: ValidateOptions): { findings: Finding[]; summary: CensusSummary } {
  const findings: Finding[] = []
  const validator = new CensusValidator(options, (f) => findings.push(f))
  validator.setHeader(file.header)
  for (const child of file.children) validator.child(child)
  return { findings, summary: validator.finish() }
}

/** The year a census file says it is for: its header <Year>, if that is a whole year. */
export function headerYear(header: CensusHeader | undefined): number | undefined {
  const y = header?.year
  return y !== undefined && /^\d{4}$/.test(y) ? Number(y) : undefined
}
