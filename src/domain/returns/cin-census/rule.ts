/** What a census rule is, and what it is given to check. */
import type { CensusChild, CensusEpisode, CensusHeader, Finding } from './model.ts'

export type RuleType = 'error' | 'query'

export interface RuleDefinition {
  /** DfE's validation rule number, with Q for a query: "8510", "8863Q". */
  code: string
  type: RuleType
  /** The census module (table) the finding is reported against. */
  table: string
  /** The item reported, unless the check names another. */
  field: string
  message: string
  /** Census years (the year each ends in) the rule applies to; absent means every year. */
  years?: readonly number[]
}

/** The census period and the dates rules are measured from, worked out once per run. */
export interface CensusContext {
  /** The year the census ends in, e.g. 2025 for 2024-25. */
  year: number
  /** 1 April of the year before. */
  start: string
  /** 31 March of the year: the reference date. */
  end: string
  /** The working day before the census starts (8569Q). */
  startMinusOneWorkingDay: string
  /** Reference date minus 45 working days (8670Q) and minus 15 (8675Q). */
  endMinus45WorkingDays: string
  endMinus15WorkingDays: string
  /** Window for an expected date of birth (8530Q): reference date - 30 days .. + 9 months. */
  expectedBirthFrom: string
  expectedBirthTo: string
  /** Born on or before this date means of compulsory school age at the reference date (8770Q). */
  schoolAgeBornBy: string
  /** Children born before this date are over 25 at the reference date (8775Q). */
  over25BornBefore: string
  /** Whether the draft 2026-27 pre-proceedings rules run. */
  draft: boolean
}

/** Where a check reports: the location inside the child (e.g. "CINdetails 2, Assessments 1"). */
export interface Reporter {
  report(where?: string, field?: string): void
}

export interface ChildRule extends RuleDefinition {
  check(child: CensusChild, ctx: CensusContext, out: Reporter): void
}

/** A rule about the whole return: it sees every child, then reports once at the end. */
export interface ReturnRule extends RuleDefinition {
  start(): ReturnRuleRun
}

export interface ReturnRuleRun {
  observe(child: CensusChild, ctx: CensusContext): void
  finish(ctx: CensusContext, emit: (finding: ReturnFinding) => void): void
}

/** A whole-return finding: the child (or null), and anything that differs from the rule's own text. */
export type ReturnFinding = Pick<Finding, 'child'> & Partial<Pick<Finding, 'field' | 'message'>>

export interface HeaderRule extends RuleDefinition {
  check(header: CensusHeader | undefined, ctx: CensusContext): boolean
}

/** Names a position inside a child for a finding's message. */
export function at(episode: number, module?: string, index?: number): string {
  const base = `CINdetails ${episode + 1}`
  return module === undefined || index === undefined ? base : `${base}, ${module} ${index + 1}`
}

/** One item of a census module inside a child: the item, its episode, and their positions. */
export interface Located<T> {
  item: T
  episode: CensusEpisode
  i: number
  k: number
  module: string
}

export const whereOf = (p: Located<unknown>): string => at(p.i, p.module, p.k)

/**
 * Set while the validator runs the rules on one child (`checkingChild`), else null: meanwhile each
 * module's list below is made once for that child and shared by every rule that reads it, instead
 * of once per rule (a module has up to a dozen rules, a census 100,000 children).
 */
let current: object | null = null

/** Starts one pass of the rules over a child; call the function returned when the pass ends. */
export function checkingChild(): () => void {
  const pass = {}
  current = pass
  return () => {
    if (current === pass) current = null
  }
}

const NONE: never[] = []

/** Lists the items of one module across a child's episodes (`module` names it in findings). */
export function itemsOf<T>(module: string, of: (episode: CensusEpisode) => readonly T[]): (child: CensusChild) => Located<T>[] {
  let madeFor: object | null = null
  let madeOf: CensusChild | null = null
  let made: Located<T>[] = NONE
  const list = (child: CensusChild): Located<T>[] => {
    let out: Located<T>[] | undefined
    const episodes = child.episodes
    for (let i = 0; i < episodes.length; i++) {
      const episode = episodes[i]!
      const items = of(episode)
      for (let k = 0; k < items.length; k++) (out ??= []).push({ item: items[k]!, episode, i, k, module })
    }
    return out ?? NONE
  }
  return (child) => {
    if (current === null) return list(child)
    if (madeFor !== current || madeOf !== child) {
      made = list(child)
      madeFor = current
      madeOf = child
    }
    return made
  }
}

/** A check that reports each listed item for which `fails` holds. */
export function reportEach<T>(
  list: (child: CensusChild) => Located<T>[],
  fails: (item: T, episode: CensusEpisode, ctx: CensusContext, child: CensusChild) => boolean,
): ChildRule['check'] {
  return (child, ctx, out) => {
    for (const located of list(child)) if (fails(located.item, located.episode, ctx, child)) out.report(whereOf(located))
  }
}
