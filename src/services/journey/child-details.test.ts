/**
 * A child's own details and addresses with history (issue 17, section 1): changed with a reason
 * through the case's access decision, versioned, audited, every earlier value kept with its dates;
 * addresses with from and to dates and who lives there, postcodes normalised; names and postcodes
 * re-key the person index; the LA child ID given at the first episode in the partnership's format.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person, personChange } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { matchPeople } from '../person-index/search.ts'
import { caseOverview } from './case-overview.ts'
import { childAddressInput, childDetailsInput } from './child-details-input.ts'
import { changeChildDetails, childDetails, childDetailsForm, moveChild } from './child-details.ts'
import { familyMemberInput } from './family-input.ts'
import { addFamilyMember } from './family.ts'
import { contactInput } from './front-door-input.ts'
import { decideContact, recordContact } from './front-door.ts'
import { giveLaChildId, laChildIdFormatOf, setLaChildIdFormat } from './la-child-id.ts'
import { formatLaChildId, laChildIdFormatProblem } from '../../domain/journey/la-child-id.ts'

let database: TestDatabase
let world: World
let worker: Actor
before(async () => {
  ;({ database, world } = await openTestWorld())
  worker = await world.user(['social-worker'])
})
after(() => database.close())

/** The details form as the child has them now, with `changes` and a reason. */
async function detailsWith(caseId: string, changes: Record<string, unknown>, reason = 'Confirmed with the school (fictional).') {
  const { details } = await childDetails(world.ctx(worker), caseId)
  return childDetailsInput.parse({ ...details, sex: details.sex ?? 'F', ...changes, reason })
}

describe('changing a child’s details', () => {
  test('a new name is saved with the reason; the earlier name is kept with its dates, who changed it and why; audited', async () => {
    const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Nova', familyName: 'Quillfeather' })
    await database.db.update(person).set({ sex: 'F' }).where(eq(person.id, personId))
    const ctx = world.ctx(worker)
    const saved = await changeChildDetails(ctx, caseId, await detailsWith(caseId, { familyName: 'Brightwater', gender: 'Girl' }, 'Adopted her mother’s name'))
    assert.deepEqual(saved.changed.sort(), ['familyName', 'gender'])
    assert.equal(saved.details.familyName, 'Brightwater')
    assert.equal(saved.details.version, 2)

    const view = await childDetails(ctx, caseId)
    const name = view.history.find((h) => h.field === 'familyName')!
    assert.equal(name.previousValue, 'Quillfeather')
    assert.equal(name.newValue, 'Brightwater')
    assert.equal(name.reason, 'Adopted her mother’s name')
    assert.equal(name.changedByName, worker.displayName)
    assert.equal(name.to, ctx.now().toISOString())
    assert.ok(name.from, 'the earlier name was held from when the person was recorded')

    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.subjectPersonId, personId), eq(auditEvent.action, 'person.update')))
    assert.equal(audits.length, 1)
    assert.deepEqual((audits[0]!.detail as { fields: string[] }).fields.sort(), ['familyName', 'gender'])
    const reads = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.subjectPersonId, personId), eq(auditEvent.action, 'case.view')))
    assert.ok(reads.some((r) => (r.detail as { section?: string }).section === 'details'), 'the details read is audited')

    // A second change of the name: the first new name is kept too, from the first change to the second.
    await changeChildDetails(ctx, caseId, await detailsWith(caseId, { familyName: 'Quillfeather-Brightwater' }, 'Double-barrelled at her request'))
    const names = (await childDetails(ctx, caseId)).history.filter((h) => h.field === 'familyName')
    assert.deepEqual(names.map((h) => h.previousValue), ['Brightwater', 'Quillfeather'])
    assert.equal(names[0]!.from, names[1]!.to)
  })

  test('a stale version is an edit conflict and nothing is saved; changing nothing makes no history', async () => {
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const stale = await detailsWith(caseId, { givenName: 'Orla' })
    await changeChildDetails(ctx, caseId, await detailsWith(caseId, { givenName: 'Pip' }))
    await assert.rejects(changeChildDetails(ctx, caseId, stale), EditConflict)
    const [row] = await database.db.select().from(person).where(eq(person.id, personId))
    assert.equal(row!.givenName, 'Pip')
    const before = await database.db.select().from(personChange).where(eq(personChange.personId, personId))
    const unchanged = await changeChildDetails(ctx, caseId, await detailsWith(caseId, {}))
    assert.deepEqual(unchanged.changed, [])
    assert.equal((await database.db.select().from(personChange).where(eq(personChange.personId, personId))).length, before.length)
  })

  test('identifiers are checked: the NHS number’s check digit, the UPN’s check letter, the LA child ID’s characters; one held by another child is refused', async () => {
    const { caseId } = await world.childCase({ worker: worker.userId })
    const base = { givenName: 'Rue', familyName: 'Fictional', dateOfBirth: '2016-05-04', sex: 'F', reason: 'Checked', version: 1 }
    const fieldsOf = (r: ReturnType<typeof childDetailsInput.safeParse>) => (r.success ? [] : r.error.issues.map((i) => i.path.join('.')))
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, nhsNumber: '999 000 0051' })), ['nhsNumber'])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, nhsNumber: '999 000 0050' })), [])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, upn: 'A938000000001' })), ['upn'])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, formerUpn: 'B938000000001' })), ['formerUpn'])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, upn: 'd938000000001', formerUpn: 'T938000000002' })), [], 'a UPN with its check letter, in lower case, is accepted')
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, upn: 'd938000000001', upnUnknown: 'UN1' })), ['upnUnknown'], 'a UPN or why there is none, not both')
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, upnUnknown: 'UN9' })), ['upnUnknown'])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, laChildId: 'AB-12' })), ['laChildId'])
    assert.deepEqual(fieldsOf(childDetailsInput.safeParse({ ...base, reason: '' })), ['reason'])

    const other = await world.childCase({ worker: worker.userId })
    await changeChildDetails(world.ctx(worker), other.caseId, await detailsWith(other.caseId, { laChildId: 'HELD0001' }))
    await assert.rejects(
      changeChildDetails(world.ctx(worker), caseId, await detailsWith(caseId, { laChildId: 'HELD0001', nhsNumber: '9990000069' })),
      (err) => err instanceof ValidationFailed && /already given/.test(err.fieldErrors.laChildId!) && err.fieldErrors.nhsNumber === undefined,
    )
    await assert.rejects(
      changeChildDetails(world.ctx(worker), caseId, await detailsWith(caseId, { dateOfDeath: '2030-01-01' })),
      (err) => err instanceof ValidationFailed && /today or in the past/.test(err.fieldErrors.dateOfDeath!),
    )
  })

  test('only those who may change the case may change the details; a partner with no relationship cannot read them', async () => {
    const { caseId } = await world.childCase({ worker: worker.userId })
    const other = await world.user(['social-worker'])
    await assert.rejects(childDetailsForm(world.ctx(other), caseId), AccessDenied)
    await assert.rejects(changeChildDetails(world.ctx(other), caseId, await detailsWith(caseId, { givenName: 'Tam' })), AccessDenied)
    const partner = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await assert.rejects(childDetails(world.ctx(partner), caseId), AccessDenied)
  })
})

describe('a child’s addresses', () => {
  const member = (givenName: string, sameHousehold: 'yes' | 'no') =>
    familyMemberInput.parse({
      person: { givenName, familyName: 'Fictional', dateOfBirth: '1990-02-03', sex: 'F' },
      kind: 'parent',
      sameHousehold,
      parentalResponsibility: 'yes',
      notes: '',
    })

  test('a move keeps the earlier address with its dates, normalises the postcode, records who lives there, and shows on the overview', async () => {
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    await database.db.update(person).set({ address: '1 Old Lane, Demotown', postcode: 'ZZ99 1AA' }).where(eq(person.id, personId))
    const mum = await addFamilyMember(ctx, caseId, member('Mona', 'yes'))
    const { details } = await childDetails(ctx, caseId)
    const moved = await moveChild(
      ctx,
      caseId,
      childAddressInput.parse({ address: '2 New Street\nDemotown', postcode: ' zz99  3cd ', fromDate: '2026-09-01', residentIds: [mum.relatedPersonId], reason: 'Moved with her mother', version: details.version }),
    )
    assert.equal(moved.address.postcode, 'ZZ99 3CD')
    assert.deepEqual(moved.address.residents.map((r) => r.givenName), ['Mona'])

    const view = await childDetails(ctx, caseId)
    assert.deepEqual(
      view.addresses.map((a) => [a.postcode, a.fromDate, a.toDate, a.current]),
      [
        ['ZZ99 3CD', '2026-09-01', null, true],
        ['ZZ99 1AA', null, '2026-09-01', false],
      ],
    )
    const overview = await caseOverview(ctx, caseId)
    assert.equal(overview.summary.postcode, 'ZZ99 3CD')
    assert.equal(overview.summary.address, '2 New Street\nDemotown')

    // A second move ends the first one's address on its date.
    await moveChild(ctx, caseId, childAddressInput.parse({ address: '3 Far Road', postcode: 'ZZ99 5EF', fromDate: '2026-11-01', reason: 'Rehoused', version: view.details.version }))
    const later = await childDetails(ctx, caseId)
    assert.deepEqual(later.addresses.map((a) => [a.postcode, a.fromDate, a.toDate]), [
      ['ZZ99 5EF', '2026-11-01', null],
      ['ZZ99 3CD', '2026-09-01', '2026-11-01'],
      ['ZZ99 1AA', null, '2026-09-01'],
    ])
    const audits = await database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectPersonId, personId), eq(auditEvent.action, 'person.address')))
    assert.equal(audits.length, 2)
  })

  test('a move must start after the current address did, be lived in only by the child’s network, and name the current version', async () => {
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const stranger = await world.childCase()
    const { details } = await childDetails(ctx, caseId)
    await assert.rejects(
      moveChild(ctx, caseId, childAddressInput.parse({ address: '1 Any Road', fromDate: '2026-09-01', residentIds: [stranger.personId], reason: 'Moved', version: details.version })),
      (err) => err instanceof ValidationFailed && !!err.fieldErrors.residentIds,
    )
    await moveChild(ctx, caseId, childAddressInput.parse({ address: '1 Any Road', fromDate: '2026-09-01', reason: 'Moved', version: details.version }))
    await assert.rejects(
      moveChild(ctx, caseId, childAddressInput.parse({ address: '2 Any Road', fromDate: '2026-08-01', reason: 'Moved', version: details.version + 1 })),
      (err) => err instanceof ValidationFailed && !!err.fieldErrors.fromDate,
    )
    await assert.rejects(
      moveChild(ctx, caseId, childAddressInput.parse({ address: '2 Any Road', fromDate: '2026-10-01', reason: 'Moved', version: details.version })),
      EditConflict,
    )
    assert.equal(childAddressInput.safeParse({ address: 'x', postcode: 'ZZ99', fromDate: '2026-10-01', reason: 'r', version: 1 }).success, false, 'an outward code alone is not a postcode')
  })
})

describe('the person index after a change', () => {
  test('the matcher finds the child by the new name and by the old one, and by the new and old postcode', async () => {
    const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Wren', familyName: 'Oakenshield' })
    const searcher = await world.user(['front-door-practitioner'], { team: 'front-door' })
    /** The child's band and score for a search, if the matcher finds them. */
    const match = async (q: Record<string, string>) => {
      const c = (await matchPeople(world.ctx(searcher), { dateOfBirth: '2016-05-04', ...q })).candidates.find((c) => c.personId === personId)
      return { band: c?.band ?? 'not found', score: c?.score ?? -Infinity }
    }
    assert.equal((await match({ givenName: 'Wren', familyName: 'Oakenshield' })).band, 'probable')
    const ctx = world.ctx(worker)
    await changeChildDetails(ctx, caseId, await detailsWith(caseId, { familyName: 'Thistledown' }, 'Name changed by deed poll'))
    await moveChild(ctx, caseId, childAddressInput.parse({ address: '4 Mill Close', postcode: 'ZX1 7GH', fromDate: '2026-10-01', reason: 'Moved', version: (await childDetails(ctx, caseId)).details.version }))
    assert.equal((await match({ givenName: 'Wren', familyName: 'Thistledown' })).band, 'probable', 'by the new name')
    assert.equal((await match({ givenName: 'Wren', familyName: 'Oakenshield' })).band, 'probable', 'by the old name, as well as before')
    const { details } = await childDetails(ctx, caseId)
    await moveChild(ctx, caseId, childAddressInput.parse({ address: '5 Mill Close', postcode: 'ZZ99 8JK', fromDate: '2026-11-01', reason: 'Moved again', version: details.version }))
    const byNew = await match({ givenName: 'W', familyName: 'Thistledown', postcode: 'ZZ99 8JK' })
    const byOld = await match({ givenName: 'W', familyName: 'Thistledown', postcode: 'ZX1 7GH' })
    const byNeither = await match({ givenName: 'W', familyName: 'Thistledown', postcode: 'ZW5 9PQ' })
    assert.ok(byNew.score > byNeither.score, `the new postcode counts: ${byNew.score} > ${byNeither.score}`)
    assert.ok(byOld.score > byNeither.score, `the earlier postcode counts: ${byOld.score} > ${byNeither.score}`)
  })
})

describe('the LA child ID', () => {
  test('formats: letters and digits around a run of #', () => {
    assert.equal(formatLaChildId('C#######', 42), 'C0000042')
    assert.equal(laChildIdFormatProblem('C#######'), null)
    assert.ok(laChildIdFormatProblem('C-####'))
    assert.ok(laChildIdFormatProblem('C##'))
  })

  test('is given in the partnership’s format when a child first gets an episode, and kept after', async () => {
    const practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const ctx = world.ctx(practitioner)
    assert.equal(await laChildIdFormatOf(database.db, world.partnershipId), 'C#######')
    await setLaChildIdFormat(database.db, world.partnershipId, 'NS#####')
    const refer = async (givenName: string) => {
      const contact = await recordContact(
        ctx,
        contactInput.parse({
          receivedDate: '2026-11-19',
          receivedTime: '09:30',
          source: '2A',
          referrerName: 'Pat Example',
          concern: 'Fictional concern.',
          consent: 'given',
          urgency: 'standard',
          children: [{ newPerson: { givenName, familyName: 'Lakeside', dateOfBirth: '2018-02-03', sex: 'F', disabilities: [] } }],
        }),
      )
      const [child] = await database.db.select().from(person).where(and(eq(person.partnershipId, world.partnershipId), eq(person.givenName, givenName)))
      assert.equal(child!.laChildId, null, 'a contact alone gives no ID')
      await decideContact(ctx, contact.id, { decision: 'referral', reason: 'Needs an assessment', version: contact.version })
      const [after] = await database.db.select().from(person).where(eq(person.id, child!.id))
      return after!
    }
    const first = await refer('Ivy')
    const second = await refer('Juno')
    assert.match(first.laChildId!, /^NS\d{5}$/)
    assert.equal(Number(second.laChildId!.slice(2)), Number(first.laChildId!.slice(2)) + 1, 'the next number, unique')
    const history = await database.db.select().from(personChange).where(eq(personChange.personId, first.id))
    assert.deepEqual(history.map((h) => [h.field, h.previousValue, h.newValue]), [['laChildId', null, first.laChildId]])
    // An ID already held (typed, or from a census file) is kept.
    const { personId } = await world.childCase()
    await database.db.update(person).set({ laChildId: 'IMPORTED1' }).where(eq(person.id, personId))
    assert.equal(await database.db.transaction((tx) => giveLaChildId(ctx, tx as never, personId)), 'IMPORTED1')
  })
})
