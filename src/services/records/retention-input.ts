/** Input schemas for retention schedules, retention dates, legal holds and erasures (pages and the JSON API). */
import { z } from 'zod'
import { retentionBases, retentionKinds } from '../../domain/records/retention.ts'
import { requiredDate, requiredText, version } from '../common/fields-input.ts'

/** A partnership's period for one kind of record: years and months from a basis, and its source. */
export const retentionScheduleInput = z
  .object({
    basis: z.enum(retentionBases, { error: 'Select what the period counts from' }),
    years: z.coerce.number({ error: 'Years must be a whole number from 0 to 150' }).int({ error: 'Years must be a whole number from 0 to 150' }).min(0, { error: 'Years must be a whole number from 0 to 150' }).max(150, { error: 'Years must be a whole number from 0 to 150' }).default(0),
    months: z.coerce.number({ error: 'Months must be a whole number from 0 to 11' }).int({ error: 'Months must be a whole number from 0 to 11' }).min(0, { error: 'Months must be a whole number from 0 to 11' }).max(11, { error: 'Months must be a whole number from 0 to 11' }).default(0),
    source: requiredText('the guidance or policy the period comes from', 300),
    /** The schedule's version read; absent while it is the default. */
    version: version.optional(),
  })
  .refine((s) => s.basis === 'with-case' || s.years * 12 + s.months > 0, { path: ['years'], message: 'Enter a period longer than 0 months' })

export type RetentionScheduleInput = z.infer<typeof retentionScheduleInput>

export const recordTypes = ['case', 'document'] as const
export type RetentionRecordType = (typeof recordTypes)[number]

/** One record's own retention date, with the reason. */
export const retentionOverrideInput = z.object({
  retainUntil: requiredDate('the date to keep the record until'),
  reason: requiredText('why this record is kept for a different time', 1000),
})

export type RetentionOverrideInput = z.infer<typeof retentionOverrideInput>

/** A legal hold: on a person, a case or a kind of record, with the reason. */
export const legalHoldInput = z
  .object({
    on: z.enum(['person', 'case', 'kind'], { error: 'Select what the hold is on' }),
    personId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'Enter the person’s identifier from their record' }).optional()),
    caseId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'Enter the case’s identifier from its address' }).optional()),
    kind: z.preprocess((v) => (v === '' ? undefined : v), z.enum(retentionKinds, { error: 'Select the kind of record' }).optional()),
    reason: requiredText('why the records must be kept (the inquiry or claim, and its instruction)', 1000),
  })
  .superRefine((h, issues) => {
    const field = h.on === 'person' ? 'personId' : h.on === 'case' ? 'caseId' : 'kind'
    if (h[field] === undefined) {
      const message = h.on === 'person' ? 'Enter the person’s identifier from their record' : h.on === 'case' ? 'Enter the case’s identifier from its address' : 'Select the kind of record'
      issues.addIssue({ code: 'custom', path: [field], message })
    }
  })

export type LegalHoldInput = z.infer<typeof legalHoldInput>

export const liftHoldInput = z.object({
  reason: requiredText('why the hold is lifted', 1000),
  version,
})

export const proposeErasureInput = z.object({
  recordType: z.enum(recordTypes, { error: 'Select a case or a document' }),
  recordId: z.uuid({ error: 'Enter the record’s identifier' }),
})

export type ProposeErasureInput = z.infer<typeof proposeErasureInput>

/** The second person's decision on a proposed erasure. */
export const erasureDecisionInput = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: 'Select whether to approve or refuse the erasure' }),
    refusalReason: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(1000).optional()),
    version,
  })
  .refine((d) => d.decision === 'approve' || d.refusalReason !== undefined, { path: ['refusalReason'], message: 'Enter why the erasure is refused' })

export type ErasureDecisionInput = z.infer<typeof erasureDecisionInput>
