import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, like } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, type World } from '../../../../test/support/fixtures.ts'
import { buildSsda903Record } from '../../../../test/support/ssda903-record.ts'
import { auditEvent, person } from '../../../db/schema/index.ts'
import { AccessDenied } from '../../common/context.ts'
import { exportOwnSsda903, ssda903OwnYears, validateOwnSsda903, type Ssda903ExportResult } from './index.ts'
import { collectionYear, type CaseVersion, type ExportChild } from './model.ts'
import { swEpisodes, swId } from './sw-episodes.ts'

let database: TestDatabase
let world: World
let record: Awaited<ReturnType<typeof buildSsda903Record>>
let result: Ssda903ExportResult
const ids: Record<string, string> = {}

before(async () => {
  ;({ database, world } = await openTestWorld())
  record = await buildSsda903Record(world)
  const analyst = await world.user(['performance-analyst'])
  result = await exportOwnSsda903(world.ctx(analyst), 2026)
  for (const [name, c] of Object.entries({ inCare: record.inCare, leaver: record.leaver, uasc: record.uasc })) {
    const [p] = await database.db.select({ id: person.laChildId }).from(person).where(eq(person.id, c.personId))
    ids[name] = p!.id!
  }
})
after(() => database.close())

/** A file's lines after its column line, with the CHILD ids named. */
function rows(name: string): string[] {
  const text = result.files.find((f) => f.name === name)!.text
  assert.ok(text.endsWith('\r\n'), `${name} ends its lines with CRLF as DfE's files do`)
  let out = text.trimEnd().split('\r\n').slice(1)
  for (const [n, id] of Object.entries(ids)) out = out.map((l) => l.replaceAll(id, n))
  return out
}
const columns = (name: string) => result.files.find((f) => f.name === name)!.text.split('\r\n')[0]

describe('the SSDA903 export from the record: one file per table', () => {
  test('the files are named and laid out as DfE’s (columns, order)', () => {
    assert.deepEqual(result.files.map((f) => f.name), [
      'header.csv', 'episodes.csv', 'reviews.csv', 'uasc.csv', 'oc2.csv', 'oc3.csv', 'ad1.csv', 'placed_for_adoption.csv', 'previous_permanence.csv', 'missing.csv', 'sw_episodes.csv',
    ])
    assert.equal(columns('episodes.csv'), 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN')
    assert.equal(result.children, 3)
  })

  test('header: every child with an episode in the year or an OC3 row, in CHILD order', () => {
    assert.deepEqual(rows('header.csv').sort(), ['inCare,F,01/06/2012,WBRI,UN2,0,', 'leaver,M,15/09/2008,WBRI,UN2,,', 'uasc,M,01/01/2009,WBRI,UN2,,'])
  })

  test('episodes: the ones open in the year, the first starting before it; a leaver’s last; none before', () => {
    assert.deepEqual(rows('episodes.csv'), [
      'inCare,01/11/2024,S,C2,N1,U6,PR1,01/06/2025,X1,CARPL,ZQ4 7RD,ZQ1 2NT,XXXXXXX',
      'inCare,01/06/2025,P,C2,N1,U4,PR4,,,,ZQ4 7RD,ZQ8 6ED,SC123456',
      'leaver,01/03/2023,S,V2,N1,U6,PR1,10/05/2025,E4A,,ZQ4 7RD,ZQ1 2NT,XXXXXXX',
      'uasc,01/06/2025,S,V2,N8,U6,PR1,,,,,ZQ1 2NT,XXXXXXX',
    ])
  })

  test('reviews: those held in the year, with participation; uasc: the 18th birthday', () => {
    assert.deepEqual(rows('reviews.csv'), ['inCare,01/06/2012,15/08/2025,PN1'])
    assert.deepEqual(rows('uasc.csv'), ['uasc,M,01/01/2009,01/01/2027'])
  })

  test('OC2: the child looked after 12 months, from the health records (substance misuse, an intervention refused); OC3: the care leaver at 17', () => {
    assert.deepEqual(rows('oc2.csv'), ['inCare,01/06/2012,14,,0,,1,1,1,1,0,1'])
    assert.deepEqual(rows('oc3.csv'), ['leaver,15/09/2008,YES,F2,B1'])
  })

  test('missing, social workers; the adoption and previous permanence files have their columns only', () => {
    assert.deepEqual(rows('missing.csv'), ['inCare,01/06/2012,M,03/07/2025,04/07/2025'])
    // The cases were made allocated (no revision then): the worker since the case opened; the leaver's case closed when she left care.
    const sw = swId(record.worker.userId)
    assert.match(sw, /^XX[0-9A-F]{8}$/)
    assert.deepEqual(rows('sw_episodes.csv').sort(), [`inCare,01/06/2012,${sw},10/01/2024,,FCONTA`, `leaver,15/09/2008,${sw},10/01/2024,10/05/2025,FCONTA`, `uasc,01/01/2009,${sw},10/01/2024,,FCONTA`])
    for (const name of ['ad1.csv', 'placed_for_adoption.csv', 'previous_permanence.csv']) assert.deepEqual(rows(name), [], name)
  })

  test('each child’s cases are audited as included; the run once', async () => {
    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.partnershipId, world.partnershipId), like(auditEvent.action, 'returns:ssda903-export%')))
    assert.equal(entries.filter((e) => e.action === 'returns:ssda903-export').length, 1)
    assert.deepEqual(entries.filter((e) => e.action === 'returns:ssda903-export.child').map((e) => e.recordId).sort(), [record.inCare.caseId, record.leaver.caseId, record.uasc.caseId].sort())
  })

  test('validated by our rules: the only errors are rule 630 (the unaccompanied child’s period has no previous permanence), each linked to the case', async () => {
    const analyst = await world.user(['performance-analyst'])
    const { summary, findings } = await validateOwnSsda903(world.ctx(analyst), 2026)
    const errors = findings.filter((f) => f.type === 'error')
    assert.deepEqual(errors.map((f) => [f.rule, f.child, f.caseId]), [['630', ids.uasc, record.uasc.caseId]], JSON.stringify(findings))
    assert.equal(summary.children, 3)
  })

  test('our own data can be checked for the years we have rules for and the year in progress', () => {
    assert.deepEqual(ssda903OwnYears('2026-12-07'), [2026, 2027])
    assert.deepEqual(ssda903OwnYears('2026-03-31'), [2026])
    assert.deepEqual(ssda903OwnYears('2025-06-01'), [2026])
  })

  test('only those who may run returns export', async () => {
    await assert.rejects(exportOwnSsda903(world.ctx(record.worker), 2026), AccessDenied)
  })
})

describe('sw_episodes from the allocation history (the case revisions)', () => {
  const at = (caseId: string, version: number, on: string, allocatedWorkerId: string | null, more: Partial<CaseVersion> = {}): CaseVersion => ({
    caseId, version, on, allocatedWorkerId, teamId: 'team-a', status: 'looked-after', openedOn: '2023-01-05', closedOn: null, ...more,
  })
  const child = (caseHistory: CaseVersion[], periods: { startedOn: string; endedOn: string | null }[]) =>
    ({ child: 'C1', dateOfBirth: '2012-06-01', caseHistory, periods: periods.map((p, i) => ({ id: `p${i}`, uasc: false, episodes: [], ...p })) }) as unknown as ExportChild
  const sw = (rows: Record<string, string>[]) => rows.map((r) => [r.SW_ID === swId('a') ? 'A' : r.SW_ID === swId('b') ? 'B' : r.SW_ID === swId('c') ? 'C' : r.SW_ID, r.SW_DECOM, r.SW_DEC, r.SW_REASON].join(' '))

  test('each change of worker an episode with its reason: first contact, a manager’s reallocation, a team move; a closed case ends it', () => {
    const history = [
      at('k1', 1, '2023-01-05', null),
      at('k1', 2, '2023-02-01', 'a'), // first worker of the case
      at('k1', 3, '2024-06-10', 'b'), // reallocated in the team
      at('k1', 4, '2024-06-10', 'b', { status: 'cp-plan' }), // no change of worker
      at('k1', 5, '2025-05-01', null, { teamId: 'team-b' }), // moved team: unallocated
      at('k1', 6, '2025-05-03', 'c', { teamId: 'team-b' }),
      at('k1', 7, '2025-05-03', 'a', { teamId: 'team-b' }), // a same-day correction: c's day is dropped
      at('k1', 8, '2025-11-20', 'a', { teamId: 'team-b', status: 'closed', closedOn: '2025-11-15' }),
    ]
    assert.deepEqual(sw(swEpisodes(child(history, [{ startedOn: '2024-11-01', endedOn: '2025-11-15' }]), collectionYear(2026))), [
      'B 10/06/2024 01/05/2025 MANAGE',
      'A 03/05/2025 15/11/2025 TSPROC',
    ])
  })

  test('a reopened case and a new case begin with first contact; before the window or after care, none; open past 31 March is open', () => {
    const history = [
      at('k1', 2, '2023-03-01', 'a'), // the case's first known version: held since it opened (05/01/2023)
      at('k1', 3, '2024-02-01', 'a', { status: 'closed', closedOn: '2024-01-31' }),
      at('k2', 1, '2024-09-01', 'b', { openedOn: '2024-09-01' }),
      at('k2', 2, '2026-05-01', 'c', { openedOn: '2024-09-01' }),
    ]
    const year = collectionYear(2026)
    assert.deepEqual(sw(swEpisodes(child(history, [{ startedOn: '2024-10-01', endedOn: null }]), year)), ['B 01/09/2024  FCONTA'])
    // A ended before the window (a year before the collection year, SW07); B began after care ended (SW12).
    assert.deepEqual(sw(swEpisodes(child(history, [{ startedOn: '2023-06-01', endedOn: '2024-08-01' }]), year)), [])
    assert.deepEqual(sw(swEpisodes(child(history, [{ startedOn: '2023-06-01', endedOn: '2024-09-01' }]), year)), ['B 01/09/2024  FCONTA'])
  })
})
