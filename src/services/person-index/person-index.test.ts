import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, like } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, matchKey, matchReview, matchWeights, person, personLinkEvent, plan, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { calibrateWeights } from './calibration.ts'
import { importRows, type ImportLine } from './import-run.ts'
import { linkReview, listReviews, rejectReview, unlinkRecord } from './review.ts'
import { matchPeople } from './search.ts'
import { blockedRecords, reindexAll, type BlockingCaps } from './store.ts'
import { queryKeys } from '../../domain/person-index/blocking.ts'
import { standardise } from '../../domain/person-index/standardise.ts'

let database: TestDatabase
let world: World
let practitioner: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
})
after(() => database.close())

const who = () => ({ partnershipId: world.partnershipId, userId: null, now: FIXED_NOW })
let line = 1
const rows = (...records: Record<string, string>[]): ImportLine[] => records.map((record) => ({ line: ++line, record }))
const load = (...records: Record<string, string>[]) => importRows(database.db, who(), rows(...records), { today: '2026-11-20' })

const ivy = { source_system: 'gp', source_id: 'G1', given_name: 'Ivy', family_name: 'Quartermaine', date_of_birth: '2017-03-14', sex: 'F', nhs_number: '9990000018', postcode: 'ZZ1 1AB' }

describe('importing source records', () => {
  test('creates a person per new record, links on the certain rule, updates by source id, skips bad rows', async () => {
    const first = await load(ivy)
    assert.deepEqual([first.created, first.linked], [1, 0])
    const second = await load(
      { ...ivy, source_system: 'school', source_id: 'S1', given_name: 'IVY', nhs_number: '999 000 0018', postcode: '' },
      { ...ivy, source_system: 'school', source_id: 'S2', date_of_birth: '31/02/2017' },
      { source_system: '', source_id: 'X' },
    )
    assert.equal(second.linked, 1)
    assert.equal(second.skipped.length, 2)
    assert.match(second.skipped[0]!.problem, /^date_of_birth "31\/02\/2017" is not a date/)
    assert.match(second.skipped[1]!.problem, /^source_system is empty/)
    assert.deepEqual(second.skipped.map((s) => s.line), [line - 1, line])
    const [gp] = await database.db.select().from(sourceRecord).where(and(eq(sourceRecord.sourceSystem, 'gp'), eq(sourceRecord.sourceId, 'G1')))
    const [school] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'S1'))
    assert.equal(school!.personId, gp!.personId)
    const again = await load({ ...ivy, postcode: 'ZZ9 9ZZ' })
    assert.equal(again.updated, 1)
    const [updated] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, gp!.id))
    assert.equal(updated!.postcode, 'ZZ9 9ZZ')
    assert.equal(updated!.personId, gp!.personId)
    const keys = await database.db.select().from(matchKey).where(eq(matchKey.sourceRecordId, gp!.id))
    assert.ok(keys.some((k) => k.key === 'py:ZZ99ZZ:2017'))
    assert.ok(!keys.some((k) => k.key === 'py:ZZ11AB:2017'))
  })

  test('a twin is never linked automatically, and a nickname without NHS number goes to review', async () => {
    const result = await load(
      { ...ivy, source_system: 'gp', source_id: 'G2', given_name: 'Rosalind', nhs_number: '9990000026' },
      { ...ivy, source_system: 'police', source_id: 'P1', given_name: 'Ivy-May', nhs_number: '' },
    )
    assert.equal(result.linked, 0)
    const [twin] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'G2'))
    const [gp] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'G1'))
    assert.notEqual(twin!.personId, gp!.personId)
    const queued = await database.db.select().from(matchReview).where(eq(matchReview.partnershipId, world.partnershipId))
    assert.ok(queued.some((q) => q.candidatePersonId === gp!.personId))
  })
})

describe('name and address history on import', () => {
  test('earlier family names, aliases and postcodes are kept (only ever added to) and matched against', async () => {
    const rowWithHistory = {
      source_system: 'csc', source_id: 'C-H1', given_name: 'Perpetua', family_name: 'Newbiggin', date_of_birth: '2014-02-11', sex: 'F', postcode: 'ZZ3 3CC',
      previous_family_names: 'Oldacre; Oldacre', aliases: 'Pepper', previous_postcodes: 'ZZ2 2BB',
    }
    assert.equal((await load(rowWithHistory)).created, 1)
    const [record] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'C-H1'))
    const names = await database.db.select().from(sourceName).where(eq(sourceName.sourceRecordId, record!.id))
    assert.deepEqual(names.map((n) => [n.kind, n.givenName, n.familyName]).sort(), [['alias', 'Pepper', null], ['previous', null, 'Oldacre']])
    // Re-importing with another earlier postcode adds it; nothing held is removed.
    await load({ ...rowWithHistory, previous_family_names: '', previous_postcodes: 'ZZ1 1AA' })
    const addresses = await database.db.select().from(sourceAddress).where(eq(sourceAddress.sourceRecordId, record!.id))
    assert.deepEqual(addresses.map((a) => a.postcodeNormalised).sort(), ['ZZ11AA', 'ZZ22BB'])
    assert.equal((await database.db.select().from(sourceName).where(eq(sourceName.sourceRecordId, record!.id))).length, 2)
    // A referral with the old surname, the alias and the old address finds her, and says why.
    const { candidates } = await matchPeople(world.ctx(practitioner), { givenName: 'Pepper', familyName: 'Oldacre', dateOfBirth: '2014-02-11', postcode: 'ZZ2 2BB' })
    assert.equal(candidates[0]!.personId, record!.personId)
    const text = candidates[0]!.reasons.map((r) => r.text).join(' | ')
    assert.match(text, /earlier last name ‘Oldacre’/)
    assert.match(text, /Postcode matches an earlier address/)
  })

  test('a previous postcode that is not a postcode is reported with its line and skipped', async () => {
    const result = await load({ source_system: 'csc', source_id: 'C-H2', family_name: 'Newbiggin', previous_postcodes: 'nowhere' })
    assert.match(result.skipped[0]!.problem, /previous_postcodes "nowhere" is not a full postcode/)
  })
})

describe('searching the index', () => {
  test('finds the child despite a misspelt surname, with all their records, band and reasons; audited', async () => {
    const { candidates } = await matchPeople(world.ctx(practitioner), { givenName: 'Ivy', familyName: 'Quatermain', dateOfBirth: '2017-03-14', postcode: 'zz99zz' })
    const [gp] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'G1'))
    assert.equal(candidates[0]!.personId, gp!.personId)
    assert.ok(candidates[0]!.sourceIds.includes('G1') && candidates[0]!.sourceIds.includes('S1'))
    assert.equal(candidates[0]!.band, 'probable')
    assert.ok(candidates[0]!.reasons.some((r) => r.field === 'family' && /differ by a letter/.test(r.text)))
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.match'), eq(auditEvent.actorUserId, practitioner.userId)))
    assert.ok(entry)
  })

  test('journey people are found too (trigger, then indexed before the search), restricted ones never shown', async () => {
    await database.db.insert(person).values({ partnershipId: world.partnershipId, givenName: 'Barnaby', familyName: 'Wetherspoonish', dateOfBirth: '2012-06-01', sex: 'M' })
    await database.db.insert(person).values({ partnershipId: world.partnershipId, givenName: 'Barnaby', familyName: 'Wetherspoonish', dateOfBirth: '2012-06-01', sex: 'M', restricted: true })
    const result = await matchPeople(world.ctx(practitioner), { givenName: 'Barney', familyName: 'Wetherspoonish', dateOfBirth: '2012-01-06' })
    assert.equal(result.candidates.length, 1)
    // The restricted one has no case the practitioner is related to: not even counted.
    assert.equal(result.restrictedMatches, 0)
    assert.equal(result.candidates[0]!.reasons.find((r) => r.field === 'dob')!.text, 'Date of birth matches with day and month swapped')
  })

  test('over the hit cap, the records meeting the most keys are kept; a mistyped outward code still finds the child', async () => {
    await load(
      { source_system: 'gp', source_id: 'H1', given_name: 'Zephyrine', family_name: 'Oddcombe', date_of_birth: '2019-05-01', sex: 'F', postcode: 'ZZ3 1AA' },
      { source_system: 'gp', source_id: 'H2', given_name: 'Marigold', family_name: 'Evenwood', date_of_birth: '2019-02-01', sex: 'F', postcode: 'ZZ3 2BB' },
      { source_system: 'gp', source_id: 'H3', given_name: 'Clementine', family_name: 'Farthingale', date_of_birth: '2019-09-01', sex: 'F', postcode: 'ZZ3 3DD' },
    )
    const sourceIds = async (raw: Parameters<typeof standardise>[0], caps: BlockingCaps) =>
      (await blockedRecords(database.db, world.partnershipId, queryKeys(standardise(raw)), caps)).map((r) => r.source_id).sort()
    // First name only, an estimated age and the district: everyone that age in the district, the named child first.
    const query = { givenName: 'Zephyrine', dateOfBirth: '2019-07-01', dobPrecision: 'estimated', postcode: 'ZZ3' }
    assert.deepEqual(await sourceIds(query, { key: 300, hits: 10 }), ['H1', 'H2', 'H3'])
    assert.deepEqual(await sourceIds(query, { key: 300, hits: 1 }), ['H1'])
    // No name, and a postcode that cannot be one (ZZZ3 for ZZ3): the inward code and the year still meet, and the slip is scored as one.
    const { candidates } = await matchPeople(world.ctx(practitioner), { dateOfBirth: '2019-05-01', postcode: 'ZZZ3 1AA' })
    assert.deepEqual(candidates[0]?.sourceIds, ['H1'])
    assert.equal(candidates[0]!.reasons.find((r) => r.field === 'postcode')?.text, 'Postcode differs by one character')
  })

  test('re-indexing gives records keyed before a change the current keys, and changes nothing else', async () => {
    const [h1] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'H1'))
    const keysOf = async () => (await database.db.select({ key: matchKey.key }).from(matchKey).where(eq(matchKey.sourceRecordId, h1!.id))).map((k) => k.key).sort()
    const current = await keysOf()
    // As an index built before the inward-code keys existed would be.
    await database.db.delete(matchKey).where(and(eq(matchKey.sourceRecordId, h1!.id), like(matchKey.key, 'iy:%')))
    assert.ok(!(await keysOf()).some((k) => k.startsWith('iy:')))
    const progress: number[] = []
    const done = await reindexAll(database.db, world.partnershipId, (d) => progress.push(d), 2)
    assert.ok(done >= 3 && progress.at(-1) === done && progress.length >= 2)
    assert.deepEqual(await keysOf(), current)
    const [after] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, h1!.id))
    assert.equal(after!.personId, h1!.personId)
  })

  test('needs person:search', async () => {
    const admin = await world.user(['administrator'], { team: null })
    await assert.rejects(matchPeople(world.ctx(admin), { familyName: 'Quartermaine' }), AccessDenied)
  })
})

describe('the review queue', () => {
  test('link, unlink (restoring the earlier person) and not-same, audited and reversible', async () => {
    const ctx = world.ctx(practitioner)
    const items = (await listReviews(ctx, { page: { offset: 0, limit: 100 } })).items
    // The police record may be queued against the twin too: decide the pair with Ivy's GP record.
    const item = items.find((i) => i.record.sourceId === 'P1' && i.candidate.records.some((r) => r.sourceId === 'G1'))!
    assert.ok(item)
    const [police] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'P1'))
    await linkReview(ctx, item.id, { version: item.version, reason: 'same school and mother' })
    await assert.rejects(linkReview(ctx, item.id, { version: item.version }), EditConflict)
    const [linked] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, police!.id))
    assert.equal(linked!.personId, item.candidate.personId)
    const back = await unlinkRecord(ctx, police!.id, 'different child after all')
    assert.equal(back.personId, police!.personId)
    const events = await database.db.select().from(personLinkEvent).where(eq(personLinkEvent.sourceRecordId, police!.id))
    assert.deepEqual(events.map((e) => e.action).sort(), ['link', 'link', 'link', 'unlink'])
    const reopened = (await listReviews(ctx, { page: { offset: 0, limit: 100 } })).items.find((i) => i.id === item.id)!
    await rejectReview(ctx, reopened.id, { version: reopened.version, reason: 'twin' })
    assert.equal((await listReviews(ctx, { status: 'not-same', page: { offset: 0, limit: 100 } })).items.some((i) => i.id === item.id), true)
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, police!.id))).map((a) => a.action)
    assert.ok(actions.includes('person-index.unlink') && actions.includes('person-index.not-same'))
    const worker = await world.user(['social-worker'])
    await assert.rejects(listReviews(world.ctx(worker)), AccessDenied)
  })
})

describe('four eyes for children with a child protection plan or a looked-after period', () => {
  test('the first "same person" waits for a different reviewer; only their agreement links, all audited', async () => {
    const { caseId, personId } = await world.childCase({ givenName: 'Wilfreda', familyName: 'Fourayes' })
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId, kind: 'child-protection', startedOn: '2026-10-10', recordedBy: practitioner.userId })
    const imported = await load({ source_system: 'police', source_id: 'P-4E', given_name: 'Wilfreda', family_name: 'Fourayes', date_of_birth: '2016-05-04', postcode: 'ZZ4 4DD' })
    assert.equal(imported.created, 1)
    const [record] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'P-4E'))
    const ctx = world.ctx(practitioner)
    const item = (await listReviews(ctx, { page: { offset: 0, limit: 100 } })).items.find((i) => i.recordId === record!.id && i.candidate.personId === personId)!
    assert.ok(item, 'queued against the child on a plan')
    assert.equal(await linkReview(ctx, item.id, { version: item.version, reason: 'same school' }), 'awaiting-second')
    const waiting = (await listReviews(ctx, { page: { offset: 0, limit: 100 } })).items.find((i) => i.id === item.id)!
    assert.equal(waiting.status, 'awaiting-second')
    assert.deepEqual(waiting.firstDecision?.byYou, true)
    const [still] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, record!.id))
    assert.equal(still!.personId, record!.personId, 'not linked yet')
    await assert.rejects(linkReview(ctx, item.id, { version: waiting.version }), ValidationFailed)
    const manager = await world.user(['team-manager'], { team: 'front-door' })
    const seen = (await listReviews(world.ctx(manager), { page: { offset: 0, limit: 100 } })).items.find((i) => i.id === item.id)!
    assert.equal(seen.firstDecision?.byYou, false)
    assert.equal(await linkReview(world.ctx(manager), item.id, { version: seen.version }), 'linked')
    const [linked] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, record!.id))
    assert.equal(linked!.personId, personId)
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, record!.id))).map((a) => a.action)
    assert.ok(actions.includes('person-index.link-first-reviewer') && actions.includes('person-index.link'))
  })
})

describe('calibration', () => {
  test('estimates and stores weights with their date; searches then use them', async () => {
    const result = await calibrateWeights(database.db, world.partnershipId, { now: FIXED_NOW, sample: 200 })
    assert.ok(result.records >= 6)
    assert.equal(result.decisionsUsed, 2, 'the linked pair and the four-eyes pair')
    const [stored] = await database.db.select().from(matchWeights).where(eq(matchWeights.id, result.weightsId))
    assert.equal(stored!.estimatedAt.toISOString(), FIXED_NOW.toISOString())
    const found = await matchPeople(world.ctx(practitioner), { givenName: 'Ivy', familyName: 'Quartermaine', dateOfBirth: '2017-03-14' })
    assert.equal(found.weightsEstimatedAt, FIXED_NOW.toISOString())
  })
})
