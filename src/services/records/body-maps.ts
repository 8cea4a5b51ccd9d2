/**
 * Body maps on a case (issue 18 §1): a record of marks seen on the child — the day, who saw them,
 * their account — with each mark placed on the outline of the body (domain/records/body-map.ts).
 * Seen with `case:read` and recorded with `case:update`, audited as the case's documents section;
 * each write is a revision of the body map in the case's history. Marks are added one at a time at
 * the version read, so two people adding marks at once cannot overwrite each other.
 */
import { desc, eq } from 'drizzle-orm'
import { bodyMap } from '../../db/schema/index.ts'
import { placeMark, type BodyMark } from '../../domain/records/body-map.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from '../journey/case-notes.ts'
import { createRecord, getRecord, updateRecord, withCase } from '../journey/case-records.ts'
import { planOptions } from '../journey/plans.ts'
import type { BodyMapInput, BodyMarkInput } from './body-map-input.ts'

export type BodyMapRow = typeof bodyMap.$inferSelect

const ENTITY = 'body-map'
const SECTION = 'documents'

export interface BodyMapView extends BodyMapRow {
  agencyName: string | null
}

export interface BodyMapsPage {
  c: CaseFrame
  /** Newest first. */
  bodyMaps: BodyMapView[]
  /** The partnership's active agencies, for who saw the marks. */
  agencies: { id: string; name: string }[]
}

/** A case's body maps, newest first (an audited read of the case). */
export function bodyMapsOfCase(ctx: ServiceContext, caseId: string): Promise<BodyMapsPage> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const { agencies } = await planOptions(tx, ctx.actor.partnershipId)
      const rows = await tx.select().from(bodyMap).where(eq(bodyMap.caseId, open.c.id)).orderBy(desc(bodyMap.seenOn), desc(bodyMap.createdAt))
      return {
        c: await caseFrame(ctx, tx, open),
        bodyMaps: rows.map((r) => ({ ...r, agencyName: agencies.find((a) => a.id === r.agencyId)?.name ?? null })),
        agencies,
      }
    },
    SECTION,
  )
}

/** One body map of a case with the case's frame (an audited read), or NotFound. */
export async function bodyMapOfCase(ctx: ServiceContext, caseId: string, bodyMapId: string): Promise<BodyMapsPage & { bodyMap: BodyMapView }> {
  const page = await bodyMapsOfCase(ctx, caseId)
  const found = page.bodyMaps.find((b) => b.id === bodyMapId)
  if (!found) throw new NotFound('No such body map on this case')
  return { ...page, bodyMap: found }
}

/** Records a body map: the day the marks were seen (not in the future), who saw them, their account. */
export function recordBodyMap(ctx: ServiceContext, caseId: string, input: BodyMapInput): Promise<BodyMapRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const errors = futureDateErrors(londonDate(ctx.now()), { seenOn: [input.seenOn, 'the date the marks were seen'] })
      if (input.agencyId) {
        const { agencies } = await planOptions(tx, ctx.actor.partnershipId)
        if (!agencies.some((a) => a.id === input.agencyId)) errors.agencyId = 'Select the agency from the list'
      }
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
      return createRecord<BodyMapRow>(ctx, tx, open, ENTITY, bodyMap, {
        seenOn: input.seenOn,
        seenBy: input.seenBy,
        agencyId: input.agencyId ?? null,
        account: input.account ?? null,
        marks: [],
      })
    },
    SECTION,
  )
}

/**
 * Adds a mark to a body map at the version read (409 when someone changed it since): numbered
 * after the last, seen on the body map's day unless another is given (not before it, not in the
 * future), at the point chosen on the picture or the middle of the part of the body named.
 */
export function addBodyMark(ctx: ServiceContext, caseId: string, bodyMapId: string, input: BodyMarkInput): Promise<BodyMapRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await getRecord<BodyMapRow>(tx, open, bodyMap, bodyMapId)
      const seenOn = input.seenOn ?? current.seenOn
      const errors = futureDateErrors(londonDate(ctx.now()), { seenOn: [seenOn, 'the date the mark was seen'] })
      if (seenOn < current.seenOn) errors.seenOn ??= `The mark cannot have been seen before the body map's day (${current.seenOn})`
      if ((input.x == null) !== (input.y == null)) errors.region = 'Choose the place on the picture again, or leave it to the part of the body'
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
      const mark: BodyMark = {
        number: current.marks.reduce((n, m) => Math.max(n, m.number), 0) + 1,
        ...placeMark(input.region, { x: input.x, y: input.y }),
        region: input.region,
        kind: input.kind,
        description: input.description,
        size: input.size ?? null,
        seenOn,
      }
      return updateRecord<BodyMapRow>(ctx, tx, open, ENTITY, bodyMap, current.id, input.version, { marks: [...current.marks, mark] }, `${ENTITY}.mark`)
    },
    SECTION,
  )
}
