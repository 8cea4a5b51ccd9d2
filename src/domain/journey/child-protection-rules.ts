/**
 * The rules of the child protection process that are not timescales (working-together.md §2.1–2.3,
 * statutory-returns.md §2): who must take part in a strategy discussion, which decisions start a
 * section 47 enquiry, whether an initial conference is still required, which decisions each kind
 * of conference can make, and the categories of abuse a plan records. Pure: no I/O, no clock.
 */
import { isWeekend, parseIsoDate } from '../timescales/calendar/iso-date.ts'
import { CATEGORY_OF_ABUSE, labelOf } from './dfe-codes.ts'

/** The agencies a strategy discussion must include at the least (WT2023: LA social care, health, police). */
export const REQUIRED_STRATEGY_AGENCIES = [
  { key: 'la-childrens-social-care', label: "the local authority's children's social care", matches: (type: string) => type === 'la-childrens-social-care' },
  { key: 'police', label: 'the police', matches: (type: string) => type === 'police' },
  { key: 'health', label: 'health', matches: (type: string) => type.startsWith('health-') },
] as const

export type RequiredStrategyAgency = (typeof REQUIRED_STRATEGY_AGENCIES)[number]['key']

/** The required agencies not represented among the attendees' agency types. */
export function missingRequiredAgencies(attendeeAgencyTypes: readonly string[]): RequiredStrategyAgency[] {
  return REQUIRED_STRATEGY_AGENCIES.filter((r) => !attendeeAgencyTypes.some((t) => r.matches(t))).map((r) => r.key)
}

export function requiredAgencyLabel(key: string): string {
  return REQUIRED_STRATEGY_AGENCIES.find((r) => r.key === key)?.label ?? key
}

/** "the police and health": a list of labels joined for a sentence. */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** Strategy discussion decisions that start a section 47 enquiry there and then. */
export const SECTION47_DECISIONS: readonly string[] = ['s47-single', 's47-joint']

export function startsSection47(decision: string): boolean {
  return SECTION47_DECISIONS.includes(decision)
}

export const CONTINUING_RISK = 'substantiated-continuing-risk'

/**
 * Census ICPCnotRequired: the enquiry concluded that the child is not at continuing risk, so no
 * initial conference is needed. While the outcome is unknown the conference is still required.
 */
export function icpcNotRequired(outcome: string | null): boolean {
  return outcome !== null && outcome !== CONTINUING_RISK
}

export type IcpcStatus = 'held' | 'scheduled' | 'not-required' | 'to-schedule' | 'awaiting-outcome'

/** Where a section 47 enquiry stands towards its initial conference. */
export function icpcStatusOf(s47: { outcome: string | null }, conference: { heldOn: string | null } | null): IcpcStatus {
  if (conference?.heldOn) return 'held'
  if (conference) return 'scheduled'
  if (icpcNotRequired(s47.outcome)) return 'not-required'
  return s47.outcome === CONTINUING_RISK ? 'to-schedule' : 'awaiting-outcome'
}

export const ICPC_STATUS_TEXT: Record<IcpcStatus, string> = {
  held: 'Initial conference held',
  scheduled: 'Initial conference scheduled',
  'not-required': 'Initial conference not required',
  'to-schedule': 'Initial conference to be scheduled',
  'awaiting-outcome': 'Awaiting the outcome of the enquiry',
}

/** The decisions each kind of conference can make. */
export function conferenceDecisionsFor(kind: string): readonly string[] {
  return kind === 'review' ? ['continue', 'end'] : ['plan', 'no-plan']
}

/** Decisions that put or keep the child on a plan, so need categories of abuse. */
export function decisionNeedsCategories(decision: string): boolean {
  return decision === 'plan' || decision === 'continue'
}

export const MULTIPLE_CATEGORY = 'MUL'

/**
 * What is wrong with a conference's categories of abuse, or null. At least one category when
 * the child is on a plan; "multiple" only on its own (DfE does not recommend it: name each).
 */
export function categoriesProblem(decision: string, categories: readonly string[]): string | null {
  if (!decisionNeedsCategories(decision)) return null
  if (categories.length === 0) return 'Select at least one category of abuse'
  const unknown = categories.find((c) => !CATEGORY_OF_ABUSE.some((k) => k.code === c))
  if (unknown) return `${unknown} is not a category of abuse`
  if (categories.includes(MULTIPLE_CATEGORY) && categories.length > 1) {
    return `Select either “${labelOf(CATEGORY_OF_ABUSE, MULTIPLE_CATEGORY)}” on its own or the individual categories`
  }
  return null
}

/**
 * The single category a plan records (census Initial/LatestCategoryOfAbuse): the one category
 * named, or MUL when the conference named several.
 */
export function planCategoryOf(categories: readonly string[]): string | null {
  if (categories.length === 0) return null
  return categories.length === 1 ? categories[0]! : MULTIPLE_CATEGORY
}

/** Stages that a new section 47 enquiry does not take the case back from. */
const STAGES_OUTRANKING_SECTION47: readonly string[] = ['child-protection', 'looked-after']

/** The stage a case moves to when a section 47 enquiry starts, or null to stay where it is. */
export function stageOnSection47Start(current: string): string | null {
  return STAGES_OUTRANKING_SECTION47.includes(current) ? null : 'section-47'
}

/** A warning (never a block) about a conference date: the census queries conferences at weekends. */
export function conferenceDateWarning(heldOn: string): string | null {
  return isWeekend(heldOn) ? 'The conference date is a Saturday or Sunday. Check it is right: conferences are rarely held at weekends.' : null
}

/**
 * The instant of a wall-clock time on a date in England (Europe/London), e.g. 2026-07-01 09:30 is
 * 08:30 UTC. In the autumn's repeated hour the earlier instant is taken.
 */
export function londonInstant(date: string, time: string): Date {
  const [year, month, day] = parseIsoDate(date)
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(year, month - 1, day, hour, minute)
  // London is UTC or UTC+1: try both offsets and keep the one whose local time matches.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asUtc - offsetHours * 3600_000)
    if (londonWallClock(candidate) === `${date} ${time}`) return candidate
  }
  return new Date(asUtc)
}

const wallClockFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** 'YYYY-MM-DD HH:MM' in England's local time. */
export function londonWallClock(instant: Date): string {
  const parts = Object.fromEntries(wallClockFormat.formatToParts(instant).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** '9:05' → '09:05'; null when it is not a 24-hour time. */
export function normaliseTime(value: string): string | null {
  const match = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(value.trim())
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null
}
