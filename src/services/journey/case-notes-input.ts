/** Input schemas for case notes and visits: shared by the notes pages and the JSON API. */
import { z } from 'zod'
import { codesOf, NOTE_KIND } from '../../domain/journey/codes.ts'
import { optionalText, optionalYesNo, requiredDate, requiredText, version } from '../common/fields-input.ts'
import { lateReasonCode } from './clock-delays-input.ts'

/**
 * The kinds recorded on the notes page: the one form for notes, visits and management oversight.
 * A visit to a child on a child protection plan on the day of the visit is the statutory visit: it
 * is stored as 'statutory-visit' and, when the child was seen, completes and restarts the visit
 * clock (case-notes.ts).
 */
export const NOTE_KINDS_RECORDED_HERE = ['note', 'visit', 'supervision'] as const
export type NoteKindRecordedHere = (typeof NOTE_KINDS_RECORDED_HERE)[number]

const noteFields = z.object({
  kind: z.enum(NOTE_KINDS_RECORDED_HERE, { error: 'Select whether this is a case note, a visit or management oversight' }),
  occurredOn: requiredDate('the date it happened'),
  title: requiredText('a title', 200),
  body: requiredText('the note', 50_000),
  /** Visits only. */
  childSeen: optionalYesNo('was the child seen?').optional(),
  /** Visits where the child was seen only. */
  childSeenAlone: optionalYesNo('was the child seen alone?').optional(),
  /** Statutory visits only: why the child was seen after the visit was due, coded (DELAY_REASON) and in words. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText('the reason for the delay').optional(),
})

type NoteFields = z.infer<typeof noteFields>

/** A visit must say whether the child was seen, and if so whether alone; other notes say neither. */
function visitRules(value: NoteFields, ctx: z.RefinementCtx) {
  if (value.kind !== 'visit') return
  if (value.childSeen === null || value.childSeen === undefined) {
    ctx.addIssue({ code: 'custom', path: ['childSeen'], message: 'Select yes if the child was seen on this visit' })
  } else if (value.childSeen && (value.childSeenAlone === null || value.childSeenAlone === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['childSeenAlone'], message: 'Select yes if the child was seen alone' })
  }
}

function normalise<T extends NoteFields>(value: T) {
  const visit = value.kind === 'visit'
  return {
    ...value,
    childSeen: visit ? (value.childSeen ?? null) : null,
    childSeenAlone: visit ? (value.childSeen ? (value.childSeenAlone ?? null) : false) : null,
  }
}

export const noteInput = noteFields.superRefine(visitRules).transform(normalise)
export const noteUpdate = noteFields.extend({ version }).superRefine(visitRules).transform(normalise)

export const noteListQuery = z.object({
  kind: z.enum(codesOf(NOTE_KIND), { error: 'Unknown kind of note' }).optional(),
})

export type NoteInput = z.infer<typeof noteInput>
export type NoteUpdate = z.infer<typeof noteUpdate>
