/**
 * Import of CIN census files: the reference samples load into an empty partnership, export again
 * with the same content (canonical XML, XSD-valid), a second import changes nothing, and children
 * are matched by LA child ID and UPN before a person is created. PGlite, or PostgreSQL with DATABASE_URL.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { cinReference, cinSchemaErrors } from '../../../test/support/cin-census-xsd.ts'
import { canonicalChildren } from '../../../test/support/cin-census-canonical.ts'
import { World } from '../../../test/support/fixtures.ts'
import { queryRows } from '../../db/connection.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { runCinCensus } from './cin-census-export.ts'
import { importCinCensus, type CensusImportReport } from './cin-census-import.ts'

let database: TestDatabase
const NOW = new Date('2025-06-01T10:00:00Z')
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

async function partnership(): Promise<{ world: World; ctx: ServiceContext }> {
  const world = await World.create(database.db)
  const admin = await world.user(['administrator'])
  return { world, ctx: world.ctx(admin, NOW) }
}

function importText(ctx: ServiceContext, name: string, xml: string): Promise<CensusImportReport> {
  // Chunks that split elements, as a stream would.
  const chunks = xml.match(/[\s\S]{1,4093}/g) ?? []
  return importCinCensus(ctx, { name, sha256: createHash('sha256').update(xml).digest('hex'), chunks })
}

async function exportXml(partnershipId: string): Promise<string> {
  let xml = ''
  await runCinCensus(database.db, partnershipId, { year: 2025, lea: '938', now: NOW }, async (chunk) => {
    xml += chunk
  })
  return xml
}

const counts = async (partnershipId: string) =>
  (
    await queryRows<Record<string, number>>(
      database.db,
      sql`select (select count(*)::int from person where partnership_id = ${partnershipId}) as person,
        (select count(*)::int from cin_episode where partnership_id = ${partnershipId}) as episode,
        (select count(*)::int from assessment where partnership_id = ${partnershipId}) as assessment,
        (select count(*)::int from plan where partnership_id = ${partnershipId}) as plan,
        (select count(*)::int from section47_enquiry where partnership_id = ${partnershipId}) as s47,
        (select count(*)::int from conference where partnership_id = ${partnershipId}) as conference`,
    )
  )[0]!

describe('CIN census import', () => {
  it('round-trips the clean sample: every child created, the export has the same content, XSD-valid; a second import changes nothing', async () => {
    const { world, ctx } = await partnership()
    const file = cinReference('sample_cin_2024-25_synthetic_50_clean.xml')
    const report = await importText(ctx, 'clean.xml', file)
    assert.equal(report.children, 50)
    assert.equal(report.created, 50)
    assert.deepEqual(report.rejected, [])
    const exported = await exportXml(world.partnershipId)
    assert.deepEqual(await cinSchemaErrors(exported, 2025), [])
    const theirs = canonicalChildren(file, 2025).map((c) => c.xml).sort()
    const ours = canonicalChildren(exported, 2025).map((c) => c.xml).sort()
    assert.equal(ours.length, 50)
    assert.deepEqual(ours, theirs)

    const before = await counts(world.partnershipId)
    const again = await importText(ctx, 'clean.xml', file)
    assert.equal(again.created, 0)
    assert.equal(again.unchanged, 50)
    assert.equal(again.matched['la-child-id'], 50)
    assert.deepEqual(again.records, {})
    assert.deepEqual(await counts(world.partnershipId), before)
  })

  it('round-trips the sample with errors, less the children it rejects (a duplicated LAchildID keeps its first child)', async () => {
    const { world, ctx } = await partnership()
    const file = cinReference('sample_cin_2024-25_synthetic_1000_with_errors.xml')
    const report = await importText(ctx, 'errors.xml', file)
    assert.equal(report.children, 1000)
    assert.ok(report.rejected.length > 0)
    for (const r of report.rejected) assert.match(r.reason, /appears more than once/)
    const rejected = new Set(report.rejected.map((r) => r.position))
    assert.equal(report.created, 1000 - rejected.size)
    const theirs = canonicalChildren(file, 2025)
      .filter((_, i) => !rejected.has(i + 1))
      .map((c) => c.xml)
      .sort()
    const exported = await exportXml(world.partnershipId)
    const ours = canonicalChildren(exported, 2025).map((c) => c.xml).sort()
    assert.deepEqual(ours, theirs)
    const again = await importText(ctx, 'errors.xml', file)
    assert.equal(again.created, 0)
    assert.deepEqual(again.records, {})
  })

  it('matches a child Together knows by UPN, fills in what it lacked and adds the episode to its case', async () => {
    const { world, ctx } = await partnership()
    const known = await world.childCase()
    await database.exec(`update person set upn = 'A938123456789', la_child_id = null, ethnicity = null where id = '${known.personId}'`)
    const xml = `<?xml version="1.0"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children>
      <Child><ChildIdentifiers><LAchildID>MIG001</LAchildID><UPN>A938123456789</UPN><PersonBirthDate>2016-05-04</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>2A</ReferralSource><PrimaryNeedCode>N4</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails></Child>
      <Child><ChildIdentifiers><UPN>A938123456780</UPN></ChildIdentifiers><CINdetails><CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>2A</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails></Child>
      <Child><ChildIdentifiers><LAchildID>BAD</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>3 June 2024</CINreferralDate><ReferralSource>2A</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails></Child>
      </Children></Message>`
    const report = await importText(ctx, 'small.xml', xml)
    assert.deepEqual(report.matched, { 'la-child-id': 0, upn: 1, 'person-matcher': 0 })
    assert.equal(report.created, 0)
    assert.deepEqual(
      report.rejected.map((r) => [r.position, r.child, r.reason]),
      [
        [2, null, 'no LAchildID'],
        [3, 'BAD', 'CINdetails 1 CINreferralDate is not a date (YYYY-MM-DD): 3 June 2024'],
      ],
    )
    const [p] = await queryRows<{ la_child_id: string; ethnicity: string; given_name: string }>(
      database.db,
      sql`select la_child_id, ethnicity, given_name from person where id = ${known.personId}`,
    )
    assert.deepEqual(p, { la_child_id: 'MIG001', ethnicity: 'WBRI', given_name: 'Testy' })
    const episodes = await queryRows<{ case_id: string }>(database.db, sql`select case_id from cin_episode where partnership_id = ${world.partnershipId}`)
    assert.deepEqual(episodes, [{ case_id: known.caseId }])
    const audit = await queryRows<{ action: string; subject_person_id: string | null }>(
      database.db,
      sql`select action, subject_person_id from audit_event where partnership_id = ${world.partnershipId} and action like 'returns:cin-census-import%' order by seq`,
    )
    assert.deepEqual(audit, [
      { action: 'returns:cin-census-import.child', subject_person_id: known.personId },
      { action: 'returns:cin-census-import', subject_person_id: null },
    ])
  })

  it('names children when the file carries names, matches known children instead of duplicating them, and keeps each change in their history', async () => {
    const { world, ctx } = await partnership()
    // Known by UPN: matched, and what it lacked filled in, with the reason in its history.
    const ada = await world.childCase({ givenName: 'Ada', familyName: 'Storybook' })
    await database.exec(`update person set la_child_id = null, upn = 'A938123456789', ethnicity = null where id = '${ada.personId}'`)
    // Known by name and date of birth only (the census has no NHS number): not certain, so created
    // and put in the person index's review queue beside the child it may be.
    const bea = await world.childCase({ givenName: 'Bea', familyName: 'Storybook' })
    await database.exec(`update person set la_child_id = null, upn = null, sex = 'F' where id = '${bea.personId}'`)
    const child = (id: string, names: string, identifiers: string) =>
      `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID>${names}${identifiers}</ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>2A</ReferralSource><PrimaryNeedCode>N4</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails></Child>`
    const file = (children: string) =>
      `<?xml version="1.0"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children>${children}</Children></Message>`
    const findings: { rule: string; child: string | null }[] = []
    const xml = file(
      child('NAMED1', '<Forename>Cora</Forename><Surname>Fictional</Surname>', '<PersonBirthDate>2015-02-01</PersonBirthDate><Sex>F</Sex>') +
        child('ADA1', '<Forename>Ada</Forename><Surname>Storybook</Surname>', '<UPN>A938123456789</UPN><PersonBirthDate>2016-05-04</PersonBirthDate><Sex>F</Sex>') +
        child('BEA1', '<Forename>Bea</Forename><Surname>Storybook</Surname>', '<PersonBirthDate>2016-05-04</PersonBirthDate><Sex>F</Sex>') +
        child('NONAME1', '', '<PersonBirthDate>2014-01-01</PersonBirthDate><Sex>M</Sex>'),
    )
    const first = await importCinCensus(ctx, { name: 'named.xml', sha256: 'x', chunks: [xml] }, { onFinding: (f) => findings.push(f) })
    assert.deepEqual(first.rejected, [])
    assert.equal(first.created, 3)
    assert.equal(first.matched.upn, 1)
    assert.equal(first.toReview, 1)
    assert.equal(first.validation?.children, 4)
    // DfE's rules on what was read, child by child, with the rule's code.
    assert.ok(findings.length > 0)
    for (const f of findings) assert.match(f.rule, /^\d+Q?$/)
    const people = await queryRows<{ id: string; la_child_id: string | null; given_name: string; family_name: string }>(
      database.db,
      sql`select id, la_child_id, given_name, family_name from person where partnership_id = ${world.partnershipId} order by la_child_id, given_name`,
    )
    assert.deepEqual(
      people.map((p) => [p.la_child_id, p.given_name, p.family_name]),
      [
        ['ADA1', 'Ada', 'Storybook'],
        ['BEA1', 'Bea', 'Storybook'],
        ['NAMED1', 'Cora', 'Fictional'],
        ['NONAME1', 'Not known', '(census child NONAME1)'],
        [null, 'Bea', 'Storybook'],
      ],
    )
    assert.equal(people.find((p) => p.la_child_id === 'ADA1')!.id, ada.personId)
    const reviews = await queryRows<{ candidate_person_id: string; person_id: string; status: string }>(
      database.db,
      sql`select r.candidate_person_id, s.person_id, r.status from match_review r join source_record s on s.id = r.source_record_id where r.partnership_id = ${world.partnershipId}`,
    )
    assert.deepEqual(reviews, [{ candidate_person_id: bea.personId, person_id: people.find((p) => p.la_child_id === 'BEA1')!.id, status: 'open' }])

    // A later file that names the child an import could not name gives them their name.
    const second = await importText(ctx, 'named-later.xml', file(child('NONAME1', '<GivenName>Noah</GivenName><FamilyName>Madeup</FamilyName>', '')))
    assert.equal(second.matched['la-child-id'], 1)
    const noName = people.find((p) => p.la_child_id === 'NONAME1')!.id
    const history = await queryRows<{ person_id: string; field: string; previous_value: unknown; new_value: unknown; reason: string }>(
      database.db,
      sql`select person_id, field, previous_value, new_value, reason from person_change where partnership_id = ${world.partnershipId} order by person_id, field`,
    )
    assert.deepEqual(
      history.filter((h) => h.person_id === ada.personId).map((h) => [h.field, h.previous_value, h.new_value, h.reason]),
      [
        ['ethnicity', null, 'WBRI', 'census import'],
        ['laChildId', null, 'ADA1', 'census import'],
        ['sex', null, 'F', 'census import'],
      ],
    )
    assert.deepEqual(
      history.filter((h) => h.person_id === noName).map((h) => [h.field, h.previous_value, h.new_value, h.reason]),
      [
        ['familyName', '(census child NONAME1)', 'Madeup', 'census import'],
        ['givenName', 'Not known', 'Noah', 'census import'],
      ],
    )
  })

  it('is for administrators only', async () => {
    const { world } = await partnership()
    const analyst = await world.user(['performance-analyst'])
    await assert.rejects(importText(world.ctx(analyst, NOW), 'x.xml', '<Message><Children/></Message>'), AccessDenied)
  })
})

describe('CIN census import of a broken file', () => {
  it('is all or nothing: a file that breaks off after 250 children commits none, and the error names the line and the child', async () => {
    const { world, ctx } = await partnership()
    const xml = cinReference('sample_cin_2024-25_synthetic_1000_with_errors.xml')
    // Cut inside the 251st child, past the first batch of 200 (once committed on its own).
    let at = -1
    for (let i = 0; i < 251; i++) at = xml.indexOf('<Child>', at + 1)
    const cut = xml.indexOf('<PersonBirthDate>', at) + '<PersonBirthDate>20'.length
    const line = xml.slice(0, cut).split('\n').length
    const childLine = xml.slice(0, at).split('\n').length
    await assert.rejects(importText(ctx, 'truncated.xml', xml.slice(0, cut)), (err: Error) => {
      assert.equal(err.name, 'CensusFileError')
      assert.match(err.message, new RegExp(`^the file ends at line ${line}, column \\d+ with <PersonBirthDate> still open \\(is it truncated\\?\\), in the <Child> that starts at line ${childLine}, LAchildID \\S+$`))
      return true
    })
    assert.deepEqual(await counts(world.partnershipId), { person: 0, episode: 0, assessment: 0, plan: 0, s47: 0, conference: 0 })
  })
})
