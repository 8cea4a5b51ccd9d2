import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person, recordRevision } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { familyMemberInput, relationshipUpdate } from './family-input.ts'
import { addFamilyMember, addMemberRelationship, changeRelationship, endRelationship, familyOfCase, getRelationship, searchPeopleForFamily } from './family.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, personId, ctx: world.ctx(worker) }
}

async function knownPerson(givenName: string, familyName: string, restricted = false) {
  const [p] = await database.db
    .insert(person)
    .values({ partnershipId: world.partnershipId, givenName, familyName, dateOfBirth: '1990-01-02', sex: 'F', restricted })
    .returning()
  return p!
}

const member = (fields: Record<string, unknown>) =>
  familyMemberInput.parse({ kind: 'parent', sameHousehold: 'yes', parentalResponsibility: 'yes', notes: '', ...fields })

describe('family network', () => {
  test('a new person is created and related to the child; the network lists them with their details', async () => {
    const { caseId, ctx, personId } = await allocatedCase()
    const rel = await addFamilyMember(
      ctx,
      caseId,
      member({ person: { givenName: 'Maxine', familyName: 'Fictional', dateOfBirth: '1991-03-04', sex: 'F' } }),
    )
    assert.equal(rel.personId, personId)
    const family = await familyOfCase(ctx, caseId)
    assert.equal(family.child.id, personId)
    assert.deepEqual(
      family.relationships.map((r) => [r.givenName, r.kind, r.sameHousehold, r.parentalResponsibility, r.dateOfBirth, r.sex]),
      [['Maxine', 'parent', true, true, '1991-03-04', 'F']],
    )
    const [revision] = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, rel.id))
    assert.equal(revision!.entity, 'relationship')
    assert.equal(revision!.caseId, caseId)
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, ctx.actor.userId))).map((a) => a.action)
    assert.ok(actions.includes('person.create'))
    assert.ok(actions.includes('relationship.create'))
  })

  test('the search finds people by part of their name, at most 10, never the child or restricted people', async () => {
    const { caseId, ctx } = await allocatedCase()
    const surname = `Searchable${Date.now()}`
    const found = await knownPerson('Gran', surname)
    await knownPerson('Hidden', surname, true)
    for (let i = 0; i < 11; i++) await knownPerson(`Many${i}`, `${surname}x`)
    const results = (await searchPeopleForFamily(ctx, caseId, `gran ${surname.slice(0, 12).toLowerCase()}`)).people
    assert.deepEqual(results.map((r) => r.id), [found.id])
    const many = await searchPeopleForFamily(ctx, caseId, surname)
    assert.deepEqual([many.people.length, many.total], [10, 12], 'the first 10, and how many matched')
    assert.ok(!many.people.some((p) => p.givenName === 'Hidden'))
    const [searched] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'person.search'), eq(auditEvent.recordId, caseId)))
    assert.deepEqual((searched!.detail as { results: string[] }).results, [found.id])
    assert.deepEqual(searched!.detail, { purpose: 'family-network', words: 2, results: [found.id], matched: 1 }, 'the ids found, never the words typed')
  })

  test('an existing person can be added once per kind of relationship; the child cannot be their own relative', async () => {
    const { caseId, ctx, personId } = await allocatedCase()
    const gran = await knownPerson('Grandma', 'Fictional')
    await addFamilyMember(ctx, caseId, member({ personId: gran.id, kind: 'grandparent', sameHousehold: 'no', parentalResponsibility: 'no' }))
    await assert.rejects(addFamilyMember(ctx, caseId, member({ personId: gran.id, kind: 'grandparent' })), ValidationFailed)
    await addFamilyMember(ctx, caseId, member({ personId: gran.id, kind: 'carer' }))
    await assert.rejects(addFamilyMember(ctx, caseId, member({ personId })), ValidationFailed)
    const restricted = await knownPerson('Restricted', 'Fictional', true)
    await assert.rejects(addFamilyMember(ctx, caseId, member({ personId: restricted.id })), ValidationFailed)
    assert.equal((await familyOfCase(ctx, caseId)).relationships.length, 2)
  })

  test('a member is either someone known or a new person, not both nor neither', () => {
    assert.equal(familyMemberInput.safeParse({ kind: 'parent', sameHousehold: 'yes', parentalResponsibility: 'no' }).success, false)
    const both = familyMemberInput.safeParse({
      personId: '0b7f6c4e-4c7a-4d8e-9a55-3f1f2f6d9a10',
      person: { givenName: 'A', familyName: 'B' },
      kind: 'parent',
      sameHousehold: true,
      parentalResponsibility: false,
    })
    assert.equal(both.success, false)
  })

  test('changes are versioned: a stale change is refused with the current relationship', async () => {
    const { caseId, ctx } = await allocatedCase()
    const rel = await addFamilyMember(ctx, caseId, member({ person: { givenName: 'Step', familyName: 'Fictional', sex: 'M' }, kind: 'partner-of-parent', parentalResponsibility: 'no' }))
    const change = (fields: Record<string, unknown>) =>
      relationshipUpdate.parse({ kind: 'partner-of-parent', sameHousehold: 'yes', parentalResponsibility: 'no', notes: '', version: 1, ...fields })
    const changed = await changeRelationship(ctx, caseId, rel.id, change({ notes: 'Moved in June' }))
    assert.equal(changed.version, 2)
    assert.equal(changed.notes, 'Moved in June')
    await assert.rejects(changeRelationship(ctx, caseId, rel.id, change({ sameHousehold: 'no' })), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current?.notes, 'Moved in June')
      return true
    })
  })

  test('ending keeps the relationship, dated; adding them again reopens it', async () => {
    const { caseId, ctx } = await allocatedCase()
    const partner = await knownPerson('Partner', 'Fictional')
    const rel = await addFamilyMember(ctx, caseId, member({ personId: partner.id, kind: 'partner-of-parent', parentalResponsibility: 'no' }))
    await assert.rejects(endRelationship(ctx, caseId, rel.id, { version: 1, endedOn: '2026-12-01' }), ValidationFailed, 'not in the future')
    const ended = await endRelationship(ctx, caseId, rel.id, { version: 1, endedOn: '2026-10-31' })
    assert.equal(ended.endedOn, '2026-10-31')
    assert.equal((await getRelationship(ctx, caseId, rel.id)).relationship.endedOn, '2026-10-31')
    await assert.rejects(endRelationship(ctx, caseId, rel.id, { version: 2, endedOn: '2026-11-01' }), ValidationFailed)
    const reopened = await addFamilyMember(ctx, caseId, member({ personId: partner.id, kind: 'partner-of-parent', sameHousehold: 'no', parentalResponsibility: 'no' }))
    assert.equal(reopened.id, rel.id)
    assert.equal(reopened.endedOn, null)
    assert.equal(reopened.sameHousehold, false)
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, rel.id))).map((a) => a.action)
    assert.deepEqual(actions, ['relationship.create', 'relationship.end', 'relationship.reopen'])
  })

  test('a relationship of another child cannot be reached through this case', async () => {
    const a = await allocatedCase()
    const b = await allocatedCase()
    const rel = await addFamilyMember(a.ctx, a.caseId, member({ person: { givenName: 'Only', familyName: 'Fictional' } }))
    await assert.rejects(getRelationship(b.ctx, b.caseId, rel.id), /No such relationship/)
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(getRelationship(world.ctx(outsider), a.caseId, rel.id), AccessDenied)
  })
})

describe('relationships between family members (issue 17)', () => {
  test('the grandmother is recorded as the mother’s parent: listed, drawn, audited; only members of the network, once; ended like any other', async () => {
    const { caseId, ctx } = await allocatedCase()
    const mum = await addFamilyMember(ctx, caseId, member({ person: { givenName: 'Mona', familyName: 'Fictional', sex: 'F' } }))
    const gran = await addFamilyMember(ctx, caseId, member({ kind: 'grandparent', sameHousehold: 'no', parentalResponsibility: 'no', person: { givenName: 'Greta', familyName: 'Oldfictional', sex: 'F' } }))
    const link = await addMemberRelationship(ctx, caseId, { personId: mum.relatedPersonId, relatedPersonId: gran.relatedPersonId, kind: 'parent', notes: 'Maternal side' })
    assert.deepEqual([link.personId, link.relatedPersonId, link.kind], [mum.relatedPersonId, gran.relatedPersonId, 'parent'])
    const family = await familyOfCase(ctx, caseId)
    assert.deepEqual(family.memberRelationships.map((r) => [r.givenName, r.kind, r.memberGivenName]), [['Greta', 'parent', 'Mona']])
    assert.deepEqual(family.relationships.map((r) => r.givenName).sort(), ['Greta', 'Mona'], 'the child’s own list is unchanged')
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, link.id), eq(auditEvent.action, 'relationship.create')))
    assert.equal(entry!.subjectPersonId, family.child.id)

    await assert.rejects(addMemberRelationship(ctx, caseId, { personId: mum.relatedPersonId, relatedPersonId: gran.relatedPersonId, kind: 'parent', notes: null }), ValidationFailed)
    await assert.rejects(addMemberRelationship(ctx, caseId, { personId: mum.relatedPersonId, relatedPersonId: mum.relatedPersonId, kind: 'parent', notes: null }), ValidationFailed)
    const stranger = await knownPerson('Stray', 'Fictional')
    await assert.rejects(
      addMemberRelationship(ctx, caseId, { personId: mum.relatedPersonId, relatedPersonId: stranger.id, kind: 'parent', notes: null }),
      (err) => err instanceof ValidationFailed && 'relatedPersonId' in err.fieldErrors,
    )
    const ended = await endRelationship(ctx, caseId, link.id, { version: link.version, endedOn: '2026-11-01' })
    assert.equal(ended.endedOn, '2026-11-01')
    // Another child's worker cannot reach it through their case.
    const other = await allocatedCase()
    await assert.rejects(getRelationship(other.ctx, other.caseId, link.id))
  })
})
