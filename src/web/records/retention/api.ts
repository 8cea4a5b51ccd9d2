/** Retention, legal holds and erasure as JSON API operations: the same services and audit entries as the pages. */
import { z } from 'zod'
import { retentionKinds } from '../../../domain/records/retention.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import {
  erasureDecisionInput,
  legalHoldInput,
  liftHoldInput,
  proposeErasureInput,
  recordTypes,
  retentionOverrideInput,
  retentionScheduleInput,
} from '../../../services/records/retention-input.ts'
import {
  decideErasure,
  erasureOf,
  erasures,
  legalHoldOf,
  legalHolds,
  liftLegalHold,
  placeLegalHold,
  proposeErasure,
  retentionOfRecord,
  retentionReview,
  retentionSchedules,
  setRetentionOverride,
  setRetentionSchedule,
} from '../../../services/records/retention.ts'
import { NotFound } from '../../../services/common/context.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Retention'
const kindParam = z.enum(retentionKinds)
const recordTypeParam = z.enum(recordTypes)

function parsedParam<T extends z.ZodType>(schema: T, value: string | undefined): z.infer<T> {
  const r = schema.safeParse(value)
  if (!r.success) throw new NotFound('No such kind of record')
  return r.data
}

export function registerRetentionApi(api: ApiBuilder): void {
  api.get('/retention/schedules', { summary: 'The retention period of each kind of record (data protection officer, administrators): the partnership’s own, or the default from the named guidance, not yet confirmed', tag: TAG }, ({ ctx }) =>
    retentionSchedules(ctx),
  )
  api.put(
    '/retention/schedules/:kind',
    { summary: 'Confirm or change the retention period of a kind of record (name the version read; none while it is the default)', tag: TAG, body: retentionScheduleInput },
    async ({ ctx, params, body }) => {
      await setRetentionSchedule(ctx, parsedParam(kindParam, params.kind), body)
      return retentionSchedules(ctx)
    },
  )
  api.get(
    '/retention/records/:recordType/:recordId',
    { summary: 'One record’s retention date (a case or a document), why, and the legal holds that cover it', tag: TAG },
    ({ ctx, params }) => retentionOfRecord(ctx, parsedParam(recordTypeParam, params.recordType), params.recordId!),
  )
  api.put(
    '/retention/records/:recordType/:recordId/override',
    { summary: 'Set one record’s own retention date, with the reason (replaces the schedule’s date for it)', tag: TAG, body: retentionOverrideInput },
    async ({ ctx, params, body }) => {
      const recordType = parsedParam(recordTypeParam, params.recordType)
      await setRetentionOverride(ctx, recordType, params.recordId!, body)
      return retentionOfRecord(ctx, recordType, params.recordId!)
    },
  )
  api.get(
    '/retention/review',
    { summary: 'Records past their retention date and not held (computed when asked), oldest date first: a page (offset, limit), with how many holds keep', tag: TAG, query: pageQuery },
    ({ ctx, query }) => retentionReview(ctx, query),
  )
  api.get('/retention/holds', { summary: 'Legal holds, those in force first: a page (offset, limit)', tag: TAG, query: pageQuery }, ({ ctx, query }) => legalHolds(ctx, query))
  api.post(
    '/retention/holds',
    { summary: 'Place a legal hold on a person, a case or a kind of record, with the reason: nothing it covers is erased until it is lifted', tag: TAG, body: legalHoldInput, status: 201 },
    async ({ ctx, body }) => legalHoldOf(ctx, await placeLegalHold(ctx, body)),
  )
  api.get('/retention/holds/:holdId', { summary: 'One legal hold', tag: TAG }, ({ ctx, params }) => legalHoldOf(ctx, params.holdId!))
  api.post(
    '/retention/holds/:holdId/lift',
    { summary: 'Lift a legal hold, with the reason (name the version read)', tag: TAG, body: liftHoldInput },
    async ({ ctx, params, body }) => {
      await liftLegalHold(ctx, params.holdId!, body)
      return legalHoldOf(ctx, params.holdId!)
    },
  )
  api.get('/retention/erasures', { summary: 'Erasures, those waiting for a decision first, then tombstones and refusals: a page (offset, limit)', tag: TAG, query: pageQuery }, ({ ctx, query }) =>
    erasures(ctx, query),
  )
  api.post(
    '/retention/erasures',
    { summary: 'Propose erasing a record past its retention date and not held (the first of two people)', tag: TAG, body: proposeErasureInput, status: 201 },
    async ({ ctx, body }) => erasureOf(ctx, await proposeErasure(ctx, body)),
  )
  api.get('/retention/erasures/:erasureId', { summary: 'One erasure: the proposal, or the tombstone of an erased record (no personal details), and the holds that block it', tag: TAG }, ({ ctx, params }) =>
    erasureOf(ctx, params.erasureId!),
  )
  api.post(
    '/retention/erasures/:erasureId/decision',
    { summary: 'Approve (the personal data is removed, the tombstone stays) or refuse a proposed erasure: the data protection officer, not the proposer; refused while a hold covers the record', tag: TAG, body: erasureDecisionInput },
    async ({ ctx, params, body }) => {
      await decideErasure(ctx, params.erasureId!, body)
      return erasureOf(ctx, params.erasureId!)
    },
  )
}
