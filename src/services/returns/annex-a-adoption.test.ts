/**
 * Annex A lists 10 (children with a decision to place for adoption) and 11 (adopters matched) from
 * the adoption record: the decision, placement order, match, adoption placement, order and reversal.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { World } from '../../../test/support/fixtures.ts'
import { adoptionDecision, legalStatusChange, lookedAfterPeriod, periodOfCare, placement } from '../../db/schema/index.ts'
import { annexALists } from './annex-a.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

it('fills lists 10 and 11 from decisions standing in the period: dates up to its end, the reversal’s reason in the list’s categories', async () => {
  const world = await World.create(database.db)
  const by = (await world.user(['social-worker'])).userId
  const child = async (laChildId: string) => {
    const c = await world.childCase()
    await database.exec(`update person set la_child_id = '${laChildId}' where id = '${c.personId}'`)
    return c
  }
  const adopted = await child('ADO001')
  const owner = { partnershipId: world.partnershipId, caseId: adopted.caseId, recordedBy: by }
  const [period] = await database.db.insert(lookedAfterPeriod).values({ ...owner, startedOn: '2024-02-01', endedOn: '2025-02-20', legalStatus: 'E1' }).returning()
  await database.db.insert(periodOfCare).values({ ...owner, periodId: period!.id, categoryOfNeed: 'N1', homePostcode: 'ZQ4 7RD', reasonCeased: 'E11' })
  await database.db.insert(legalStatusChange).values([
    { ...owner, periodId: period!.id, legalStatus: 'C2', fromOn: '2024-02-01' },
    { ...owner, periodId: period!.id, legalStatus: 'E1', fromOn: '2024-07-15' },
  ])
  await database.db.insert(placement).values([
    { ...owner, periodId: period!.id, placeType: 'U5', provider: 'PR1', postcode: 'ZQ1 2NT', startedOn: '2024-02-01', endedOn: '2024-10-01', endReason: 'CARPL' },
    { ...owner, periodId: period!.id, placeType: 'A5', provider: 'PR1', postcode: 'ZQ1 2NT', startedOn: '2024-10-01', endedOn: '2025-02-20' },
  ])
  await database.db.insert(adoptionDecision).values({
    ...owner, periodId: period!.id, decidedOn: '2024-06-03', matchedOn: '2024-09-10', adopterCount: 2, adopterSex: 'MF', adopterLegalStatus: 'L11', adoptersFosterCarers: true,
  })

  const reversed = await child('ADO002')
  const owner2 = { partnershipId: world.partnershipId, caseId: reversed.caseId, recordedBy: by }
  const [period2] = await database.db.insert(lookedAfterPeriod).values({ ...owner2, startedOn: '2023-05-01', legalStatus: 'C2' }).returning()
  await database.db.insert(adoptionDecision).values([
    { ...owner2, periodId: period2!.id, decidedOn: '2023-09-01', ceasedOn: '2024-01-05', reasonCeased: 'RD1' },
    { ...owner2, periodId: period2!.id, decidedOn: '2024-05-01', ceasedOn: '2025-01-10', reasonCeased: 'RD3' },
  ])

  const lists = await annexALists(database.db, world.partnershipId, { from: '2024-04-01', to: '2025-03-31' })
  const list10 = lists[9]!
  const cells = (list: typeof list10, id: string, names: string[]) => {
    const row = list.rows.find((r) => r[0] === id)!
    return names.map((n) => row[list.list.columns.findIndex(([c]) => c === n)])
  }
  assert.deepEqual(list10.rows.map((r) => r[0]), ['ADO002', 'ADO001'], 'the decision reversed before the period is not in it')
  assert.deepEqual(
    cells(list10, 'ADO001', ['Date the Child Entered Care', 'Date of Decision that Child Should be Placed for Adoption', 'Date of Placement Order', 'Date of Matching Child and Prospective Adopters', 'Date Placed for Adoption', 'Date of Adoption Order', 'Date the child was placed for fostering in FFA or concurrent planning placement']),
    ['2024-02-01', '2024-06-03', '2024-07-15', '2024-09-10', '2024-10-01', '2025-02-20', '2024-02-01'],
  )
  assert.deepEqual(
    cells(list10, 'ADO002', ['Date of Decision that Child Should No Longer be Placed for Adoption', 'Reason Why Child No Longer Placed for Adoption']),
    ['2025-01-10', 'c) Prospective adopters could not be found'],
  )
  const list11 = lists[10]!
  assert.equal(list11.rows.length, 1, 'only a match has adopters')
  const adopterCell = (n: string) => list11.rows[0]![list11.list.columns.findIndex(([c]) => c === n)]
  assert.deepEqual(
    ['Is the (prospective) adopter fostering for adoption?', 'Date adopter matched with child(ren)', 'Date child/children placed with adopter(s)', 'No. of children placed', 'Date of Adoption Order'].map(adopterCell),
    ['Yes', '2024-09-10', '2024-10-01', 1, '2025-02-20'],
  )

  // Before the match and the order: the period ends first.
  const earlier = await annexALists(database.db, world.partnershipId, { from: '2024-04-01', to: '2024-08-31' })
  assert.deepEqual(cells(earlier[9]!, 'ADO001', ['Date of Matching Child and Prospective Adopters', 'Date Placed for Adoption', 'Date of Adoption Order']), [null, null, null])
  assert.equal(earlier[10]!.rows.length, 0)
})
