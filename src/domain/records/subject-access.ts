/**
 * Subject access requests (UK GDPR Article 15) and requests to correct a record (Article 16):
 * the code sets, the one-month clock and its extension, and the rules a review and its approval
 * follow. Pure: the date is a parameter, nothing is read or written here
 * (services/records/subject-access.ts and rectification.ts do that).
 */
import type { Code, CodeOf } from '../journey/dfe-codes.ts'
import { addMonths, type IsoDate } from '../timescales/calendar/iso-date.ts'

/** Who made the request. */
export const SAR_REQUESTER_KIND = [
  { code: 'data-subject', label: 'The young person themselves' },
  { code: 'parent', label: 'A parent or someone with parental responsibility' },
  { code: 'acting-for', label: 'Someone acting for them (a solicitor, an advocate, a representative)' },
] as const satisfies readonly Code[]
export type SarRequesterKind = CodeOf<typeof SAR_REQUESTER_KIND>

/** How the requester's identity (and, for someone acting for another, their authority) was checked. */
export const SAR_IDENTITY_METHOD = [
  { code: 'photo-id-in-person', label: 'Photographic identification seen in person' },
  { code: 'documents-copied', label: 'Copies of identity documents received' },
  { code: 'known-to-staff', label: 'Known to the service and confirmed by a worker' },
  { code: 'letter-of-authority', label: 'Letter of authority and the representative’s identity' },
  { code: 'other', label: 'Other (described in the notes)' },
] as const satisfies readonly Code[]
export type SarIdentityMethod = CodeOf<typeof SAR_IDENTITY_METHOD>

/** What the reviewer decides for one item of the bundle. */
export const SAR_ITEM_DECISION = [
  { code: 'released', label: 'Released in full' },
  { code: 'redacted', label: 'Released with parts redacted' },
  { code: 'withheld', label: 'Withheld' },
] as const satisfies readonly Code[]
export type SarItemDecision = CodeOf<typeof SAR_ITEM_DECISION>

/**
 * The exemption relied on for withholding or redacting (Data Protection Act 2018, Schedules 2 to 4,
 * as the ICO's guidance on the right of access names them).
 */
export const SAR_EXEMPTION = [
  { code: 'third-party', label: 'Information about another person (third party)' },
  { code: 'serious-harm', label: 'Likely to cause serious harm to someone’s physical or mental health' },
  { code: 'legal-privilege', label: 'Legal professional privilege' },
  { code: 'crime-taxation', label: 'Crime and taxation (prevention or detection of crime)' },
  { code: 'other', label: 'Other exemption (described)' },
] as const satisfies readonly Code[]
export type SarExemption = CodeOf<typeof SAR_EXEMPTION>

/**
 * Why an item is flagged for the reviewer to look at closely before releasing it: the partnership's
 * own records (allegations, incidents, practice reviews) are mostly about other people.
 */
export const SAR_REVIEW_FLAG = [
  { code: 'third-party-likely', label: 'Likely to hold information about other people: check for third-party information before releasing' },
  {
    code: 'name-match',
    label: 'Found by name only (the allegation names the person it is about; it is not linked to the person index): check it is the same person, and withhold it if not',
  },
] as const satisfies readonly Code[]
export type SarReviewFlag = CodeOf<typeof SAR_REVIEW_FLAG>

/** Where a request is: recorded, its bundle compiled, sent for approval, completed (released). */
export const SAR_STATUS = [
  { code: 'received', label: 'Received' },
  { code: 'compiled', label: 'Bundle compiled, being reviewed' },
  { code: 'awaiting-approval', label: 'Review finished, awaiting approval' },
  { code: 'completed', label: 'Completed: bundle released' },
] as const satisfies readonly Code[]
export type SarStatus = CodeOf<typeof SAR_STATUS>

/** The most a complex request's clock can be extended by (Article 12(3)). */
export const SAR_MAX_EXTENSION_MONTHS = 2

/** What replaces a redacted span in the released text. */
export const REDACTION_MARK = '[Redacted]'

export interface SarClockInput {
  receivedOn: IsoDate
  /** 0 (not extended), 1 or 2. */
  extensionMonths: number
  completedOn: IsoDate | null
}

export interface SarClock {
  /** The due date: one calendar month from receipt, plus the extension. */
  dueOn: IsoDate
  /** The date the one-month clock alone gives (what the due date was before any extension). */
  originalDueOn: IsoDate
  status: 'due' | 'overdue' | 'completed' | 'completed-late'
  /** The rule behind the date, in words, as every clock in Together says it. */
  rule: string
}

/**
 * The clock of a subject access request (ICO guidance, "time limits"): it runs from the day the
 * request is received; the due date is the corresponding calendar date in the next month, or that
 * month's last day when it has none (received 31 January → due 28 February, or 29 in a leap year).
 * A complex request may be extended once by up to two further months, counted the same way from
 * receipt. Clocks inform, never block: past the date it is overdue, nothing is locked.
 */
export function sarClock(input: SarClockInput, today: IsoDate): SarClock {
  if (!Number.isInteger(input.extensionMonths) || input.extensionMonths < 0 || input.extensionMonths > SAR_MAX_EXTENSION_MONTHS) {
    throw new RangeError(`A request can be extended by 0 to ${SAR_MAX_EXTENSION_MONTHS} months, not ${input.extensionMonths}`)
  }
  const originalDueOn = addMonths(input.receivedOn, 1)
  const dueOn = addMonths(input.receivedOn, 1 + input.extensionMonths)
  const status = input.completedOn ? (input.completedOn > dueOn ? 'completed-late' : 'completed') : today > dueOn ? 'overdue' : 'due'
  const rule =
    input.extensionMonths === 0
      ? 'One calendar month from receipt (UK GDPR Article 12(3); ICO guidance on the right of access)'
      : `One calendar month from receipt, extended by ${input.extensionMonths} month${input.extensionMonths === 1 ? '' : 's'} as complex (UK GDPR Article 12(3))`
  return { dueOn, originalDueOn, status, rule }
}

/**
 * Why an extension cannot be recorded, or null when it can: once only, by 1 or 2 months, with the
 * reason, before the request is completed.
 */
export function extensionRefusal(current: { extensionMonths: number; completedOn: IsoDate | null }, months: number, reason: string): Record<string, string> | null {
  if (current.completedOn) return { months: 'The request is completed: its clock has stopped' }
  if (current.extensionMonths > 0) return { months: 'The clock has already been extended once; it can be extended only once' }
  if (!Number.isInteger(months) || months < 1 || months > SAR_MAX_EXTENSION_MONTHS) {
    return { months: `Choose an extension of 1 or ${SAR_MAX_EXTENSION_MONTHS} months` }
  }
  if (reason.trim() === '') return { reason: 'Enter why the request is complex enough to extend' }
  return null
}

export interface ItemDecisionInput {
  decision: SarItemDecision
  exemption?: SarExemption | null | undefined
  exemptionDetail?: string | null | undefined
  redactedText?: string | null | undefined
}

/** The errors of a reviewer's decision on one item, by field; empty when it can be recorded. */
export function itemDecisionErrors(originalText: string, input: ItemDecisionInput): Record<string, string> {
  const errors: Record<string, string> = {}
  if (input.decision === 'released') return errors
  if (!input.exemption) errors.exemption = 'Choose the exemption relied on'
  else if (input.exemption === 'other' && !input.exemptionDetail?.trim()) errors.exemptionDetail = 'Describe the exemption relied on'
  if (input.decision === 'redacted') {
    const redacted = input.redactedText ?? ''
    if (redacted.trim() === '') errors.redactedText = 'Enter the text as released, with the redacted parts replaced, or withhold the whole item'
    else if (redacted === originalText) errors.redactedText = `Replace the parts to redact (for example with ${REDACTION_MARK}), or release the item in full`
  }
  return errors
}

/** Replaces every occurrence of each phrase (case-insensitively) with the redaction mark. */
export function redactPhrases(text: string, phrases: readonly string[]): string {
  let out = text
  for (const phrase of phrases.map((p) => p.trim()).filter(Boolean)) {
    const pattern = new RegExp(phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi')
    out = out.replace(pattern, REDACTION_MARK)
  }
  return out
}

/** Why the review cannot be sent for approval, or null: every item must be decided. */
export function reviewSubmissionRefusal(items: readonly { decision: string | null }[]): string | null {
  if (items.length === 0) return 'Compile the bundle before sending the review for approval'
  const undecided = items.filter((i) => i.decision === null).length
  return undecided === 0 ? null : `${undecided} item${undecided === 1 ? ' has' : 's have'} no decision yet: decide every item first`
}

/**
 * Why this person cannot approve the review, or null. A second person approves: never the
 * person who sent the review for approval, nor anyone who decided an item of it.
 */
export function approvalRefusal(approverId: string, review: { submittedBy: string | null; decidedBy: readonly (string | null)[] }): string | null {
  if (review.submittedBy === null) return 'The review has not been sent for approval'
  if (approverId === review.submittedBy || review.decidedBy.includes(approverId)) {
    return 'A second person must approve: you reviewed this bundle, so someone else must approve it'
  }
  return null
}

/** The text an item is released with, or null when it is withheld. */
export function releasedText(item: { text: string; decision: string | null; redactedText: string | null }): string | null {
  if (item.decision === 'withheld') return null
  if (item.decision === 'redacted') return item.redactedText
  return item.text
}

/** A request to correct a record: what the manager decided. */
export const RECTIFICATION_DECISION = [
  { code: 'corrected', label: 'Corrected: the record was changed' },
  { code: 'kept', label: 'Kept as recorded, with the person’s statement of disagreement attached' },
] as const satisfies readonly Code[]
export type RectificationDecision = CodeOf<typeof RECTIFICATION_DECISION>

/** The errors of a rectification decision, by field. */
export function rectificationDecisionErrors(input: { decision: RectificationDecision; reason: string; statement?: string | null | undefined }): Record<string, string> {
  const errors: Record<string, string> = {}
  if (input.reason.trim() === '') errors.reason = input.decision === 'corrected' ? 'Enter what was corrected' : 'Enter why the record is kept as it is'
  if (input.decision === 'kept' && !input.statement?.trim()) errors.statement = 'Enter the person’s statement of disagreement, in their words'
  return errors
}
