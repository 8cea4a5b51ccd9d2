/**
 * Ofsted Annex A from our records: the workbook read back has one sheet per list with the reference
 * columns, category values from the reference code lists, real dates; values checked against a
 * census file imported into an empty partnership and against synthetic journeys.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import ExcelJS from 'exceljs'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { cinReference } from '../../../test/support/cin-census-xsd.ts'
import { World } from '../../../test/support/fixtures.ts'
import { parseCensus } from '../../domain/returns/cin-census/parse.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { seedSynthetic } from '../demo/synthetic/seed.ts'
import { annexACsvFiles, annexAForPeriod, annexALists, writeAnnexAWorkbook, type AnnexAListRows } from './annex-a.ts'
import { importCinCensus } from './cin-census-import.ts'
import { careLeaver, careLeaverRecord, carer, healthEducationRecord, lookedAfterPeriod, missingEpisode, periodOfCare, personAddress, placement } from '../../db/schema/index.ts'
import { queryRows } from '../../db/connection.ts'
import { sql } from 'drizzle-orm'

const reference = JSON.parse(readFileSync(new URL('../../../reference-data/annex-a/annex_a_lists.json', import.meta.url), 'utf8')) as {
  lists: Record<string, { columns: { column: string; type: string; codes?: string[] }[] }>
}

let database: TestDatabase
let imported: World
let analystCtx: ServiceContext
let syntheticPartnership: string
const NOW = new Date('2025-06-01T10:00:00Z')
const YEAR = { from: '2024-04-01', to: '2025-03-31' }

before(async () => {
  database = await createTestDatabase()
  imported = await World.create(database.db)
  const admin = await imported.user(['administrator'])
  const xml = cinReference('sample_cin_2024-25_synthetic_50_clean.xml')
  await importCinCensus(imported.ctx(admin, NOW), { name: 'clean.xml', sha256: createHash('sha256').update(xml).digest('hex'), chunks: [xml] })
  analystCtx = imported.ctx(await imported.user(['performance-analyst']), NOW)
  syntheticPartnership = (await seedSynthetic(database, { children: 400, seed: 11, until: '2026-03-31' })).partnershipId
})
after(() => database.close())

async function workbookOf(lists: AnnexAListRows[]): Promise<ExcelJS.Workbook> {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  await writeAnnexAWorkbook(lists, stream)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
  return workbook
}

const values = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1)

function checkAgainstReference(workbook: ExcelJS.Workbook) {
  assert.deepEqual(workbook.worksheets.map((s) => s.name), Array.from({ length: 11 }, (_, i) => `List ${i + 1}`))
  for (const [key, spec] of Object.entries(reference.lists)) {
    const sheet = workbook.getWorksheet(`List ${key.split('_')[1]}`)!
    assert.deepEqual(values(sheet.getRow(1)), spec.columns.map((c) => c.column), key)
    sheet.eachRow((row, n) => {
      if (n === 1) return
      spec.columns.forEach((c, i) => {
        const v = row.getCell(i + 1).value
        if (v === null || v === undefined) return
        if (c.type === 'date') assert.ok(v instanceof Date, `${key} ${c.column}: ${String(v)}`)
        if (c.type === 'numeric') assert.equal(typeof v, 'number', `${key} ${c.column}`)
        if (c.codes && !c.codes.some((code) => code.startsWith('... '))) assert.ok(c.codes.includes(String(v)), `${key} ${c.column}: ${String(v)}`)
      })
    })
  }
}

describe('Ofsted Annex A', () => {
  it('lists an imported census year: referrals, assessments and children in need with the census values', async () => {
    const lists = await annexAForPeriod(analystCtx, YEAR)
    const workbook = await workbookOf(lists)
    checkAgainstReference(workbook)
    const census = parseCensus(cinReference('sample_cin_2024-25_synthetic_50_clean.xml'))
    const inYear = census.children.flatMap((c) => c.episodes.filter((e) => e.referralDate! >= YEAR.from).map(() => c.laChildId))
    const referrals = workbook.getWorksheet('List 3')!
    assert.equal(referrals.rowCount - 1, inYear.length)
    const row = (sheet: ExcelJS.Worksheet, id: string) => {
      const headers = values(sheet.getRow(1)) as string[]
      const found: Record<string, unknown>[] = []
      sheet.eachRow((r, n) => {
        if (n > 1 && r.getCell(1).value === id) found.push(Object.fromEntries(headers.map((h, i) => [h, values(r)[i] ?? null])))
      })
      return found
    }
    // C0000001 (the sample's first child): female, WBRI, born 2023-02-08, referred by the police on 2024-12-15.
    assert.deepEqual(row(referrals, 'C0000001'), [
      {
        'Child Unique ID': 'C0000001',
        Gender: 'b) Female',
        Ethnicity: 'a) White',
        'Date of Birth': new Date('2023-02-08T00:00:00Z'),
        'Age of Child (Years)': 2,
        'Date of referral': new Date('2024-12-15T00:00:00Z'),
        'Referral Source': 'g) Police',
        'Referral NFA?': 'False',
        'Number of Referrals in Last 12 Months': 1,
        'Allocated Team': null,
        'Allocated Worker': null,
      },
    ])
    const cin = row(workbook.getWorksheet('List 6')!, 'C0000001')
    assert.equal(cin.length, 1)
    assert.equal(cin[0]!['Primary Need Code'], 'a) Abuse or neglect')
    assert.deepEqual(cin[0]!['CIN Closure Date'], new Date('2025-01-20T00:00:00Z'))
    assert.equal(cin[0]!['Reason for Closure'], 'h) Child not in need after assessment')
    assert.equal(cin[0]!['Case Status'], 'e) Closed episode')
    const assessments = row(workbook.getWorksheet('List 4')!, 'C0000001')
    assert.deepEqual(assessments[0]!['Continuous Assessment Date of Authorisation'], new Date('2025-01-19T00:00:00Z'))
    assert.equal(assessments[0]!['Does the Child have a Disability'], 'False')
    const cpPlans = census.children.flatMap((c) => c.episodes.flatMap((e) => e.childProtectionPlans))
    assert.equal(workbook.getWorksheet('List 7')!.rowCount - 1, cpPlans.length)
  })

  it('lists synthetic journeys, every list Together holds data for has rows, all values in the reference code lists', async () => {
    const lists = await annexALists(database.db, syntheticPartnership, { from: '2025-04-01', to: '2026-03-31' })
    for (const n of [1, 3, 4, 5, 6, 7]) assert.ok(lists[n - 1]!.rows.length > 0, `list ${n}`)
    checkAgainstReference(await workbookOf(lists))
  })

  it('writes CSV files with the same columns, dates as dd/mm/yyyy', async () => {
    const files = annexACsvFiles(await annexALists(database.db, imported.partnershipId, YEAR))
    assert.equal(files.length, 11)
    assert.equal(files[2]!.name, 'List 3.csv')
    const [header, ...rows] = files[2]!.text.trimEnd().split('\r\n')
    assert.equal(header, reference.lists.list_3!.columns.map((c) => c.column).join(','))
    assert.ok(rows.some((r) => r.startsWith('C0000001,b) Female,a) White,08/02/2023,2,15/12/2024,g) Police,False,1,,')))
    assert.ok(files[3]!.text.startsWith('Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Does the Child have a Disability,'))
  })

  it('fills list 8’s placement columns from the addresses a looked-after child moved to while in care', async () => {
    const world = await World.create(database.db)
    const child = await world.childCase()
    const by = (await world.user(['social-worker'])).userId
    await database.exec(`update person set la_child_id = 'LAC001' where id = '${child.personId}'`)
    await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId: child.caseId, startedOn: '2024-09-01', legalStatus: 'C2', recordedBy: by })
    const address = (line: string, postcode: string, fromDate: string, toDate: string | null) =>
      ({ partnershipId: world.partnershipId, personId: child.personId, address: line, postcode, fromDate, toDate, reason: 'moved', recordedBy: by })
    await database.db.insert(personAddress).values([
      address('1 Home Street', 'ZZ99 1AA', '2020-01-01', '2024-09-01'),
      address('2 Foster Road', 'ZZ99 2BB', '2024-09-01', '2025-01-10'),
      address('3 Carer Lane', 'ZZ99 3CC', '2025-01-10', null),
    ])
    const [, , , , , , , inCare] = await annexALists(database.db, world.partnershipId, YEAR)
    const row = inCare!.rows.find((r) => r[0] === 'LAC001')!
    const cell = (name: string) => row[inCare!.list.columns.findIndex(([c]) => c === name)]
    assert.equal(cell('Number of Placements in the Last 12 months'), 2)
    assert.equal(cell('Start Date of Most Recent Placement'), '2025-01-10')
    assert.equal(cell('Placement postcode'), 'ZZ99 3CC')

    // The analyst's Annex A is in the child's access history: one entry per child per export.
    const analyst = world.ctx(await world.user(['performance-analyst'], { team: null }), NOW)
    await annexAForPeriod(analyst, YEAR)
    const entries = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_event where action = 'returns:annex-a.child' and subject_person_id = ${child.personId}`)
    assert.equal(entries[0]!.n, 1)
  })

  it('fills list 8’s placement columns from the placements recorded in the period of care', async () => {
    const world = await World.create(database.db)
    const child = await world.childCase()
    const by = (await world.user(['social-worker'])).userId
    await database.exec(`update person set la_child_id = 'LAC003' where id = '${child.personId}'`)
    const [period] = await database.db
      .insert(lookedAfterPeriod)
      .values({ partnershipId: world.partnershipId, caseId: child.caseId, startedOn: '2023-11-01', legalStatus: 'C2', recordedBy: by })
      .returning()
    const owner = { partnershipId: world.partnershipId, caseId: child.caseId, recordedBy: by, periodId: period!.id }
    await database.db.insert(periodOfCare).values({ ...owner, categoryOfNeed: 'N1', homePostcode: 'ZQ1 2NT' })
    const [home] = await database.db.insert(carer).values({ partnershipId: world.partnershipId, name: 'Fictional Lane children’s home', kind: 'childrens-home', urn: 'SC123456' }).returning()
    const [first, , third] = await database.db
      .insert(placement)
      .values([
        { ...owner, placeType: 'U6', provider: 'PR1', postcode: 'ZQ4 7RD', startedOn: '2023-11-01', endedOn: '2024-06-01', endReason: 'CARPL' },
        { ...owner, placeType: 'U4', provider: 'PR4', postcode: 'ZQ8 6ED', startedOn: '2024-06-01', endedOn: '2024-12-01', endReason: 'CHILD' },
        { ...owner, placeType: 'K2', provider: 'PR4', postcode: 'ZW9 9SE', carerId: home!.id, startedOn: '2024-12-01' },
      ])
      .returning()
    assert.ok(first && third)
    // A temporary move that ended before the period's end is not the current placement, nor counted.
    await database.db.insert(placement).values({ ...owner, interruptsId: third.id, placeType: 'T1', postcode: 'ZQ1 2NT', startedOn: '2025-01-10', endedOn: '2025-01-15' })
    const [, , , , , , , inCare] = await annexALists(database.db, world.partnershipId, YEAR)
    const row = inCare!.rows.find((r) => r[0] === 'LAC003')!
    const cell = (name: string) => row[inCare!.list.columns.findIndex(([c]) => c === name)]
    assert.deepEqual(
      ['Number of Placements in the Last 12 months', 'Start Date of Most Recent Placement', 'Placement Type', 'Placement Provider', 'Placement postcode', 'URN of Placement', 'Placement Location', 'LA of Placement'].map(cell),
      [2, '2024-12-01', 'h) Children’s Homes', 'b) Private', 'ZW9 9SE', 'SC123456', 'b) Out', 'WAL'],
    )
    // At the end of the previous year: the second placement, in the area, the first one counted too.
    const [, , , , , , , before] = await annexALists(database.db, world.partnershipId, { from: '2024-03-01', to: '2024-09-30' })
    const earlier = before!.rows.find((r) => r[0] === 'LAC003')!
    const was = (name: string) => earlier[before!.list.columns.findIndex(([c]) => c === name)]
    assert.deepEqual(
      ['Number of Placements in the Last 12 months', 'Start Date of Most Recent Placement', 'Placement Type', 'Placement Provider', 'URN of Placement', 'Placement Location', 'LA of Placement'].map(was),
      [2, '2024-06-01', 'a) Foster Placement', 'b) Private', null, 'a) In', 'E06000999'],
    )
  })

  it('fills list 8’s missing, return interview, health and dental columns from their records', async () => {
    const world = await World.create(database.db)
    const child = await world.childCase()
    const by = (await world.user(['social-worker'])).userId
    await database.exec(`update person set la_child_id = 'LAC002' where id = '${child.personId}'`)
    await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId: child.caseId, startedOn: '2024-05-01', legalStatus: 'C2', recordedBy: by })
    const owner = { partnershipId: world.partnershipId, caseId: child.caseId, recordedBy: by }
    const episode = (kind: string, on: string, offered: string | null, accepted: boolean | null) => ({
      ...owner, kind, startedAt: new Date(`${on}T20:00:00Z`), startedOn: on, returnedAt: new Date(`${on}T23:00:00Z`), returnedOn: on, interviewOfferedOn: offered, interviewAccepted: accepted,
    })
    await database.db.insert(missingEpisode).values([
      episode('missing', '2024-03-01', null, null),
      episode('missing', '2024-10-01', '2024-10-02', true),
      episode('away', '2024-11-01', null, null),
      episode('missing', '2025-02-01', '2025-02-03', false),
    ])
    await database.db.insert(healthEducationRecord).values([
      { ...owner, kind: 'initial-health-assessment', doneOn: '2024-05-20' },
      { ...owner, kind: 'dental-check', doneOn: '2024-12-01' },
      { ...owner, kind: 'dental-check', doneOn: '2025-04-02' },
    ])
    const [, , , , , , , inCare] = await annexALists(database.db, world.partnershipId, YEAR)
    const row = inCare!.rows.find((r) => r[0] === 'LAC002')!
    const cell = (name: string) => row[inCare!.list.columns.findIndex(([c]) => c === name)]
    assert.equal(cell("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"), 2, 'not the one before the 12 months')
    assert.equal(cell("Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"), 1)
    assert.equal(cell('Was the child offered a Return Interview after their last missing episode (Y/N)?'), 'True')
    assert.equal(cell('Did the child accept a Return Interview after their last missing episode (Y/N)?'), 'False')
    assert.equal(cell('Date of Last Health Assessment'), '2024-05-20')
    assert.equal(cell('Date of Last Dental Check'), '2024-12-01', 'not after the period')
  })

  it('fills list 9 from care leavers’ records: category, adviser, latest plan and contact in the crosswalk’s categories', async () => {
    const world = await World.create(database.db)
    const child = await world.childCase()
    const by = (await world.user(['social-worker'])).userId
    await database.exec(`update person set la_child_id = 'CL001', date_of_birth = '2006-08-01' where id = '${child.personId}'`)
    const owner = { partnershipId: world.partnershipId, caseId: child.caseId, recordedBy: by }
    await database.db.insert(careLeaver).values({ ...owner, category: 'former-relevant', personalAdviser: 'Pat Fictional' })
    await database.db.insert(careLeaverRecord).values([
      { ...owner, kind: 'pathway-plan', on: '2024-06-01' },
      { ...owner, kind: 'pathway-plan-review', on: '2024-12-01' },
      { ...owner, kind: 'contact', on: '2025-01-15', inTouch: 'YES', activity: 'F2', accommodation: 'Z1' },
      { ...owner, kind: 'contact', on: '2025-05-01', inTouch: 'NO' },
    ])
    const lists = await annexALists(database.db, world.partnershipId, YEAR)
    const leavers = lists[8]!
    const row = leavers.rows.find((r) => r[0] === 'CL001')!
    const cell = (name: string) => row[leavers.list.columns.findIndex(([c]) => c === name)]
    assert.deepEqual(
      ['Allocated Personal Advisor', 'Eligibility Category', 'Latest Pathway Plan Review Date', 'LA in Touch', 'Latest Date of Contact', 'Type of Accommodation', 'Suitability of Accommodation', 'Activity Status', 'Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)'].map(cell),
      ['Pat Fictional', 'b) Former relevant', '2024-12-01', 'a) In touch', '2025-01-15', 'o) With Former Foster Carer', 'a) Suitable', 'F2: Full time in education other than higher', 'False'],
    )
  })

  it('is for performance analysts only', async () => {
    const worker = await imported.user(['social-worker'])
    await assert.rejects(annexAForPeriod(imported.ctx(worker, NOW), YEAR), AccessDenied)
  })
})
