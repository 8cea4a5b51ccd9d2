/**
 * Section 11 self-assessments (Children Act 2004 s11; working-together.md §6.1): standards with
 * criteria as configurable templates, ratings per standard, and how an agency's ratings moved
 * between two cycles.
 */
import { SECTION11_RATING } from './codes.ts'

export interface Section11Standard {
  code: string
  title: string
  criteria: string[]
}

export interface Section11Answer {
  rating: string
  evidence: string
}

/**
 * The default template: the arrangements Working Together lists (accountability, a senior lead,
 * listening to children, whistleblowing) and those the sources name as common but not an exact
 * list (safer recruitment, training, supervision, information sharing, designated practitioners).
 */
export const DEFAULT_SECTION11_STANDARDS: readonly Section11Standard[] = [
  { code: '1', title: 'Senior management commitment and a clear line of accountability', criteria: ['A named board-level lead for safeguarding children', 'Safeguarding is in the agency’s strategic plans'] },
  { code: '2', title: 'Listening to children', criteria: ['Children’s wishes and feelings are sought and recorded', 'Services change in response to what children say'] },
  { code: '3', title: 'Safer recruitment and allegations against staff', criteria: ['Safer recruitment checks for every post working with children', 'Allegations are referred to the designated officer within one working day'] },
  { code: '4', title: 'Training, supervision and whistleblowing', criteria: ['Staff have safeguarding training suited to their role', 'Supervision covers safeguarding', 'A clear whistleblowing procedure staff know'] },
  { code: '5', title: 'Information sharing', criteria: ['Staff know when and how to share information lawfully', 'Decisions to share or not are recorded with the reason'] },
  { code: '6', title: 'Designated and named safeguarding practitioners', criteria: ['Designated or named practitioners are in post and known to staff'] },
]

/** Parses a template typed as text: "Title" lines start a standard, "- criterion" lines add to it. */
export function parseStandards(text: string): { ok: true; standards: Section11Standard[] } | { ok: false; message: string } {
  const standards: Section11Standard[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '') continue
    if (line.startsWith('-')) {
      const last = standards.at(-1)
      if (!last) return { ok: false, message: 'Start with a standard’s title before its criteria (lines starting with -)' }
      const criterion = line.slice(1).trim()
      if (criterion) last.criteria.push(criterion)
    } else {
      standards.push({ code: String(standards.length + 1), title: line.slice(0, 300), criteria: [] })
    }
  }
  if (standards.length === 0) return { ok: false, message: 'Enter at least one standard' }
  const bare = standards.find((s) => s.criteria.length === 0)
  if (bare) return { ok: false, message: `Give standard ${bare.code} (“${bare.title}”) at least one criterion, on a line starting with -` }
  return { ok: true, standards }
}

export function formatStandards(standards: readonly Section11Standard[]): string {
  return standards.map((s) => [s.title, ...s.criteria.map((c) => `- ${c}`)].join('\n')).join('\n\n')
}

const RANK: Record<string, number> = Object.fromEntries(SECTION11_RATING.map((r, i) => [r.code, SECTION11_RATING.length - i]))

export type Movement = 'improved' | 'same' | 'worse' | 'new' | 'not-answered'

export interface StandardComparison {
  code: string
  title: string
  previous: string | null
  current: string | null
  movement: Movement
}

/** A cycle's standards with an agency's answers to them. */
export interface CycleAnswers {
  standards: readonly Section11Standard[]
  answers: Readonly<Record<string, Section11Answer>>
}

/** The rating of the same standard (by title: codes are renumbered when a template changes) in another cycle. */
function ratingIn(cycle: CycleAnswers | null, standard: Section11Standard): { found: boolean; rating: string | null } {
  const same = cycle?.standards.find((p) => p.title.toLowerCase() === standard.title.toLowerCase())
  return { found: same !== undefined, rating: same ? (cycle!.answers[same.code]?.rating ?? null) : null }
}

/** Each standard of the current cycle beside the same standard (by title) in the previous one. */
export function compareCycles(current: CycleAnswers, previous: CycleAnswers | null): StandardComparison[] {
  return current.standards.map((s) => {
    const now = current.answers[s.code]?.rating ?? null
    const { found: before, rating: then } = ratingIn(previous, s)
    let movement: Movement
    if (now === null) movement = 'not-answered'
    else if (!before || then === null) movement = 'new'
    else movement = RANK[now]! > RANK[then]! ? 'improved' : RANK[now]! < RANK[then]! ? 'worse' : 'same'
    return { code: s.code, title: s.title, previous: then, current: now, movement }
  })
}

/**
 * The ratings a new self-assessment starts from: for each standard of the new cycle, the rating
 * agreed for the same standard (by title) in the agency's previous, agreed cycle. The agency
 * changes what has changed, and gives its evidence afresh.
 */
export function ratingsCarriedForward(standards: readonly Section11Standard[], agreedBefore: CycleAnswers | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of standards) {
    const { rating } = ratingIn(agreedBefore, s)
    if (rating) out[s.code] = rating
  }
  return out
}

/** One challenge the partnership put to an agency about a standard, and the agency's answer. */
export interface Section11Challenge {
  comment: string
  raisedOn: string
  raisedBy: string
  response: string | null
  respondedOn: string | null
}

/** The partnership's review of one standard: its challenges, and the rating agreed with the agency. */
export interface Section11StandardReview {
  challenges: Section11Challenge[]
  agreedRating: string | null
}

export type Section11Reviews = Record<string, Section11StandardReview>

/** Field errors (keyed rating-<code>, evidence-<code>) for answers that cannot yet be submitted. */
export function unansweredErrors(standards: readonly Section11Standard[], answers: Readonly<Record<string, Partial<Section11Answer>>>): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const s of standards) {
    const a = answers[s.code]
    if (!a?.rating) errors[`rating-${s.code}`] = `Select a rating for standard ${s.code}`
    if (!a?.evidence?.trim()) errors[`evidence-${s.code}`] = `Give the evidence for standard ${s.code}`
  }
  return errors
}

/** The standards with a challenge the agency has not answered yet. */
export function openChallenges(reviews: Readonly<Section11Reviews>): string[] {
  return Object.entries(reviews)
    .filter(([, r]) => r.challenges.some((c) => c.response === null))
    .map(([code]) => code)
}

/** The answers as agreed: the partnership's agreed rating, where given, replaces the agency's own. */
export function agreedAnswers(answers: Readonly<Record<string, Section11Answer>>, reviews: Readonly<Section11Reviews>): Record<string, Section11Answer> {
  const out: Record<string, Section11Answer> = {}
  for (const [code, a] of Object.entries(answers)) out[code] = { ...a, rating: reviews[code]?.agreedRating ?? a.rating }
  return out
}

/** How many standards were rated at each point of the scale (best first), and how many were not rated. */
export function ratingCounts(standards: readonly Section11Standard[], answers: Readonly<Record<string, Section11Answer>>): { rating: string; count: number }[] {
  const counts = SECTION11_RATING.map((r) => ({ rating: r.code as string, count: 0 }))
  let unrated = 0
  for (const s of standards) {
    const hit = counts.find((c) => c.rating === answers[s.code]?.rating)
    if (hit) hit.count++
    else unrated++
  }
  return [...counts, { rating: 'not-rated', count: unrated }]
}
