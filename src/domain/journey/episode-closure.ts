/**
 * What closing a child-in-need episode must show and check first (issue 16, item 7): the work still
 * open on it, what of that stops the closure (an open child in need or child protection plan has to
 * be ended first, so the plan's end is recorded rather than lost), and whether the partnership's
 * local rules ask for a manager to close it.
 */

export type OpenWorkKind = 'plan' | 'section47' | 'assessment' | 'task'

/** One piece of work still open when an episode is to close. */
export interface OpenWork {
  kind: OpenWorkKind
  id: string
  /** What it is, for the confirmation page ("Child in need plan", a task's title ...). */
  title: string
  /** Since when (a plan's start, an enquiry's or assessment's start), or a task's due date. */
  date: string | null
  /** The page of the record. */
  link: string
}

/** Why the episode cannot close yet, keyed by form field; empty when it may. */
export function closureBlockers(open: readonly OpenWork[]): Record<string, string> {
  const plans = open.filter((w) => w.kind === 'plan')
  if (plans.length === 0) return {}
  const names = plans.map((p) => p.title.toLowerCase()).join(' and ')
  return {
    form: `End the ${names} before closing the episode: an episode cannot close while its plan is open. Nothing has been changed.`,
  }
}

/** Plans that stop an episode closing: its own, and child in need or protection plans not tied to an episode. */
export function planBlocksClosure(plan: { episodeId: string | null; kind: string }, episodeId: string): boolean {
  return plan.episodeId === episodeId || (plan.episodeId === null && plan.kind !== 'early-help')
}
