/**
 * The child's family network: the people related to the child (person_relationship rows whose
 * person is the child), how, whether they live in the child's household and whether they have
 * parental responsibility. Relationships are ended, never deleted. Relationships belong to the
 * child rather than to one record of the case, so they are written here (not by createRecord),
 * but the same way: through the case's access decision, versioned, with a revision and an audit
 * entry each time.
 */
import { and, asc, eq, ilike, inArray, isNull, notExists, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { childCase, person, personRelationship } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { recordRevisionOf, withCase, type OpenCase } from './case-records.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { pageCounted, totalOver } from '../common/paging.ts'
import type { FamilyMemberInput, MemberRelationshipInput, NewPersonInput, RelationshipEnd, RelationshipUpdate } from './family-input.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { escapeLike } from '../common/person-lookup.ts'

export type RelationshipRow = typeof personRelationship.$inferSelect

export interface RelationshipView extends RelationshipRow {
  givenName: string
  familyName: string
  dateOfBirth: string | null
  sex: string | null
}

export interface FamilyChild {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  sex: string | null
}

/**
 * How one member of the child's network relates to another (a grandparent is the parent of the
 * child's mother): `relatedPersonId` is `kind` of `personId`, both in the child's network.
 */
export interface MemberRelationshipView extends RelationshipView {
  /** The member the relationship is to (`personId`). */
  memberGivenName: string
  memberFamilyName: string
}

export interface Family {
  c: CaseFrame
  child: FamilyChild
  /** Current relationships first (parents, carers ... by kind), then ended ones. */
  relationships: RelationshipView[]
  /** Relationships between the members of the network, current first. */
  memberRelationships: MemberRelationshipView[]
}

const ENTITY = 'relationship'
export const PERSON_SEARCH_LIMIT = 10

function relationshipsQuery(tx: Db) {
  return tx
    .select({
      relationship: personRelationship,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
    })
    .from(personRelationship)
    .innerJoin(person, eq(person.id, personRelationship.relatedPersonId))
    .$dynamic()
}

type QueryRow = Awaited<ReturnType<ReturnType<typeof relationshipsQuery>['execute']>>[number]
const toView = ({ relationship, ...p }: QueryRow): RelationshipView => ({ ...relationship, ...p })

const childOf = (open: OpenCase): FamilyChild => ({
  id: open.c.personId,
  givenName: open.c.givenName,
  familyName: open.c.familyName,
  dateOfBirth: open.c.dateOfBirth,
  sex: open.c.sex,
})

export async function familyOfCase(ctx: ServiceContext, caseId: string): Promise<Family> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const rows = await relationshipsQuery(tx)
        .where(eq(personRelationship.personId, open.c.personId))
        .orderBy(
          sql`${personRelationship.endedOn} is not null`,
          sql`array_position(array['parent','carer','partner-of-parent','grandparent','sibling','other'], ${personRelationship.kind})`,
          asc(person.familyName),
          asc(person.givenName),
        )
      return {
        c: await caseFrame(ctx, tx, open),
        child: childOf(open),
        relationships: rows.map(toView),
        memberRelationships: await memberRelationshipsOf(tx, open),
      }
    },
    'family',
  )
}

/** The people of the child's network (current or ended): who a relationship between members may name. */
const networkOf = (tx: Db, open: OpenCase) =>
  tx.select({ id: personRelationship.relatedPersonId }).from(personRelationship).where(eq(personRelationship.personId, open.c.personId))

async function memberRelationshipsOf(tx: Db, open: OpenCase): Promise<MemberRelationshipView[]> {
  const rows = await relationshipsQuery(tx)
    .where(and(inArray(personRelationship.personId, networkOf(tx, open)), inArray(personRelationship.relatedPersonId, networkOf(tx, open))))
    .orderBy(sql`${personRelationship.endedOn} is not null`, asc(person.familyName), asc(person.givenName), asc(personRelationship.id))
  const names = rows.length === 0 ? [] : await tx
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName })
    .from(person)
    .where(inArray(person.id, rows.map((r) => r.relationship.personId)))
  const nameOf = new Map(names.map((n) => [n.id, n]))
  return rows.map((r) => ({
    ...toView(r),
    memberGivenName: nameOf.get(r.relationship.personId)!.givenName,
    memberFamilyName: nameOf.get(r.relationship.personId)!.familyName,
  }))
}

/** One of the child's relationships, or one between two members of the child's network. */
async function findRelationship(tx: Db, open: OpenCase, relationshipId: string): Promise<RelationshipView> {
  const [row] = await relationshipsQuery(tx).where(
    and(
      eq(personRelationship.id, relationshipId),
      or(eq(personRelationship.personId, open.c.personId), inArray(personRelationship.personId, networkOf(tx, open))),
    ),
  )
  if (!row) throw new NotFound('No such relationship for this child')
  return toView(row)
}

export async function getRelationship(
  ctx: ServiceContext,
  caseId: string,
  relationshipId: string,
): Promise<{ c: CaseFrame; child: FamilyChild; relationship: RelationshipView }> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => ({ c: await caseFrame(ctx, tx, open), child: childOf(open), relationship: await findRelationship(tx, open, relationshipId) }),
    'family',
  )
}

export interface PersonChoice {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  sex: string | null
}

/**
 * People of the partnership whose name contains `q`, to add to the child's network: the first 10
 * by name, with how many matched (so the page can ask for more of the name), never the child,
 * never a restricted person (nor anyone with a restricted case). The search is made while adding
 * to a case, so it needs the right to change that case, and it is audited.
 */
export async function searchPeopleForFamily(ctx: ServiceContext, caseId: string, q: string): Promise<{ people: PersonChoice[]; total: number }> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const words = q.trim().split(/\s+/).filter(Boolean).slice(0, 4)
      const nameHas = (w: string) => or(ilike(person.givenName, `%${escapeLike(w)}%`), ilike(person.familyName, `%${escapeLike(w)}%`))
      const found = await pageCounted({ offset: 0, limit: PERSON_SEARCH_LIMIT }, (at) =>
        tx
          .select({ id: person.id, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth, sex: person.sex, total: totalOver() })
          .from(person)
          .where(
            and(
              eq(person.partnershipId, ctx.actor.partnershipId),
              eq(person.restricted, false),
              sql`${person.id} <> ${open.c.personId}`,
              notExists(tx.select({ one: sql`1` }).from(childCase).where(and(eq(childCase.personId, person.id), eq(childCase.restricted, true)))),
              ...words.map(nameHas),
            ),
          )
          .orderBy(asc(person.familyName), asc(person.givenName), asc(person.dateOfBirth), asc(person.id))
          .limit(at.limit)
          .offset(at.offset),
      )
      const people = found.items
      await audit(ctx, tx, {
        action: 'person.search',
        recordType: 'case',
        recordId: open.c.id,
        subjectPersonId: open.c.personId,
        ground: open.ground,
        // The ids found and how many words were typed, never the words: a name has no place in the log.
        detail: { purpose: 'family-network', words: words.length, results: people.map((p) => p.id), matched: found.total },
      })
      return { people, total: found.total }
    },
    'family',
  )
}

async function createPerson(ctx: ServiceContext, tx: Db, open: OpenCase, input: NewPersonInput): Promise<string> {
  const [row] = await tx
    .insert(person)
    .values({ partnershipId: ctx.actor.partnershipId, ...input })
    .returning({ id: person.id })
  await audit(ctx, tx, {
    action: 'person.create',
    recordType: 'person',
    recordId: row!.id,
    subjectPersonId: row!.id,
    ground: open.ground,
    detail: { purpose: 'family-network', caseId: open.c.id },
  })
  return row!.id
}

/** An existing person the user may add: in the partnership, not the child, not restricted. */
async function existingPerson(ctx: ServiceContext, tx: Db, open: OpenCase, personId: string): Promise<string> {
  const [p] = await tx
    .select({ id: person.id, restricted: person.restricted })
    .from(person)
    .where(and(eq(person.id, personId), eq(person.partnershipId, ctx.actor.partnershipId)))
  if (!p || p.restricted) throw new ValidationFailed({ personId: 'Select someone from the search results' })
  if (p.id === open.c.personId) throw new ValidationFailed({ personId: 'The child cannot be related to themselves' })
  return p.id
}

async function appendHistory(ctx: ServiceContext, tx: Db, open: OpenCase, row: RelationshipRow, action: string, fields?: string[]) {
  await recordRevisionOf(ctx, tx, open.c.id, ENTITY, row)
  await audit(ctx, tx, {
    action,
    recordType: ENTITY,
    recordId: row.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: fields ? { fields } : {},
  })
}

/**
 * Adds someone to the child's network: a person already known, or a new person. Adding the same
 * person with the same kind of relationship again reopens the ended one rather than duplicating it.
 */
export async function addFamilyMember(ctx: ServiceContext, caseId: string, input: FamilyMemberInput): Promise<RelationshipRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const relatedPersonId = input.person
        ? await createPerson(ctx, tx, open, input.person)
        : await existingPerson(ctx, tx, open, input.personId!)
      const details = {
        sameHousehold: input.sameHousehold,
        parentalResponsibility: input.parentalResponsibility,
        notes: input.notes,
      }
      const [same] = await tx
        .select()
        .from(personRelationship)
        .where(
          and(
            eq(personRelationship.personId, open.c.personId),
            eq(personRelationship.relatedPersonId, relatedPersonId),
            eq(personRelationship.kind, input.kind),
          ),
        )
      if (same && same.endedOn === null) {
        throw new ValidationFailed({ personId: 'This person is already recorded with that relationship to the child' })
      }
      if (same) return updateRelationshipRow(ctx, tx, open, same.id, same.version, { ...details, endedOn: null }, 'relationship.reopen')
      const [row] = await tx
        .insert(personRelationship)
        .values({
          partnershipId: ctx.actor.partnershipId,
          personId: open.c.personId,
          relatedPersonId,
          kind: input.kind,
          ...details,
          recordedBy: ctx.actor.userId,
        })
        .returning()
      await appendHistory(ctx, tx, open, row!, 'relationship.create')
      return row!
    },
    'family',
  )
}

/**
 * A versioned change of one of the child's relationships (or of one between members of the
 * network), which the caller found through the child; a stale version is an EditConflict.
 */
async function updateRelationshipRow(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  id: string,
  expectedVersion: number,
  changes: Partial<Pick<RelationshipRow, 'kind' | 'sameHousehold' | 'parentalResponsibility' | 'notes' | 'endedOn'>>,
  action: string,
): Promise<RelationshipRow> {
  const [row] = await tx
    .update(personRelationship)
    .set({ ...changes, version: sql`${personRelationship.version} + 1`, updatedAt: ctx.now() })
    .where(
      and(
        eq(personRelationship.id, id),
        eq(personRelationship.partnershipId, ctx.actor.partnershipId),
        eq(personRelationship.version, expectedVersion),
      ),
    )
    .returning()
  if (!row) {
    const current = await findRelationship(tx, open, id)
    throw new EditConflict(
      `Someone else changed this relationship (now version ${current.version}) after you opened it (version ${expectedVersion}). Your changes have not been saved.`,
      { ...current },
    )
  }
  await appendHistory(ctx, tx, open, row, action, Object.keys(changes))
  return row
}

async function refuseDuplicateKind(tx: Db, open: OpenCase, current: RelationshipRow, kind: string) {
  if (kind === current.kind) return
  const [clash] = await tx
    .select({ id: personRelationship.id })
    .from(personRelationship)
    .where(
      and(
        eq(personRelationship.personId, current.personId),
        eq(personRelationship.relatedPersonId, current.relatedPersonId),
        eq(personRelationship.kind, kind),
      ),
    )
  if (clash) throw new ValidationFailed({ kind: 'This person already has that relationship to the child: change that one instead' })
}

function checkEndDate(ctx: ServiceContext, endedOn: string | null | undefined) {
  const errors = futureDateErrors(londonDate(ctx.now()), { endedOn: [endedOn, 'the date the relationship ended'] })
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** Changes how someone relates to the child; `endedOn` ends (or, as null, reopens) it. */
export async function changeRelationship(
  ctx: ServiceContext,
  caseId: string,
  relationshipId: string,
  input: RelationshipUpdate,
): Promise<RelationshipRow> {
  checkEndDate(ctx, input.endedOn)
  const { version, ...changes } = input
  if (changes.endedOn === undefined) delete changes.endedOn
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await findRelationship(tx, open, relationshipId)
      await refuseDuplicateKind(tx, open, current, input.kind)
      const action = changes.endedOn && !current.endedOn ? 'relationship.end' : 'relationship.update'
      return updateRelationshipRow(ctx, tx, open, relationshipId, version, changes, action)
    },
    'family',
  )
}

/** Ends a relationship on a date (the person left the household, the partnership ended ...). */
export async function endRelationship(ctx: ServiceContext, caseId: string, relationshipId: string, input: RelationshipEnd): Promise<RelationshipRow> {
  checkEndDate(ctx, input.endedOn)
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await findRelationship(tx, open, relationshipId)
      if (current.endedOn) throw new ValidationFailed({ endedOn: `This relationship was already ended on ${current.endedOn}` })
      return updateRelationshipRow(ctx, tx, open, relationshipId, input.version, { endedOn: input.endedOn }, 'relationship.end')
    },
    'family',
  )
}

/**
 * Records how one member of the child's network relates to another (the grandmother is the
 * mother's parent, so which side of the family she is on is known). Both must be in the child's
 * network and not ended; the same relationship twice is refused (an ended one is reopened).
 */
export async function addMemberRelationship(ctx: ServiceContext, caseId: string, input: MemberRelationshipInput): Promise<RelationshipRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      if (input.personId === input.relatedPersonId) throw new ValidationFailed({ relatedPersonId: 'Select two different family members' })
      const current = await tx
        .select({ id: personRelationship.relatedPersonId })
        .from(personRelationship)
        .where(and(eq(personRelationship.personId, open.c.personId), isNull(personRelationship.endedOn)))
      const members = new Set(current.map((m) => m.id))
      if (!members.has(input.personId)) throw new ValidationFailed({ personId: 'Select a member of the child’s family network' })
      if (!members.has(input.relatedPersonId)) throw new ValidationFailed({ relatedPersonId: 'Select a member of the child’s family network' })
      const [same] = await tx
        .select()
        .from(personRelationship)
        .where(and(
          eq(personRelationship.personId, input.personId),
          eq(personRelationship.relatedPersonId, input.relatedPersonId),
          eq(personRelationship.kind, input.kind),
        ))
      if (same && same.endedOn === null) throw new ValidationFailed({ relatedPersonId: 'This relationship is already recorded' })
      if (same) return updateRelationshipRow(ctx, tx, open, same.id, same.version, { notes: input.notes, endedOn: null }, 'relationship.reopen')
      const [row] = await tx
        .insert(personRelationship)
        .values({
          partnershipId: ctx.actor.partnershipId,
          personId: input.personId,
          relatedPersonId: input.relatedPersonId,
          kind: input.kind,
          notes: input.notes,
          recordedBy: ctx.actor.userId,
        })
        .returning()
      await appendHistory(ctx, tx, open, row!, 'relationship.create')
      return row!
    },
    'family',
  )
}
