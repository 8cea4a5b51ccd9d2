/**
 * The access matrix for a conference chair's list (GET /my-conferences and GET
 * /api/v1/my-conferences), which names children without naming a case in its path, so the case
 * matrix (matrix.ts) does not reach it. In the matrix's world every case of the partnership has a
 * conference to be held, chaired by the invited chair, and another chaired by a chair with no
 * relationship to the case; every user of the world asks for the list, on the page with a session
 * and in the API with a token. The answer is the policy's:
 * - a user whose role may not chair (decideGeneral conference:chair) is refused and shown no one;
 * - a chair sees each conference they chair, and no other; the child is named, and the case
 *   linked, only where decideOnCase allows case:read (without breaking the glass) on the
 *   relationships the world gave them; a restricted child otherwise is never named;
 * - another partnership's conference is not there;
 * and each list leaves exactly one audit entry, case.list, naming the cases it named.
 *
 * The same for an IRO's list (GET /iro and GET /api/v1/iro/children): the periods of care of the
 * world's cases have IROs allocated (one allocation ended), and each user's list names exactly the
 * children whose IRO they are now and whose case decideOnCase lets them read on the 'iro'
 * relationship (with the explicit permission a restricted case needs, where they hold one).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { auditEvent, cinEpisode, conference, iroAllocation } from '../../src/db/schema/index.ts'
import { decideGeneral, decideOnCase, type Relationship } from '../../src/domain/access/policy.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import type { TestDatabase } from '../support/database.ts'
import { PASSWORD } from '../support/fixtures.ts'
import { $, signIn, type TestApp } from '../support/web.ts'
import { openMatrixApp, type MatrixCase, type MatrixWorld, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld
/** The IRO allocated now on each case's period of care. */
const reviewing: { iro: User; c: MatrixCase }[] = []

/** Each conference of the world: whose it is, on which case, and the chair's relationships to that case. */
const chaired: { conferenceId: string; chair: User; c: MatrixCase; relationships: Relationship[] }[] = []

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  const invited = m.users.find((u) => u.key === 'conference chair, invited')!
  const unrelated = m.users.find((u) => u.key === 'conference-chair, no relationship')!
  for (const c of m.cases) {
    const [episode] = await database.db
      .insert(cinEpisode)
      .values({ partnershipId: c.partnershipId, caseId: c.caseId, referralDate: '2026-10-01', referralSource: '1A', recordedBy: invited.userId })
      .returning({ id: cinEpisode.id })
    // Another partnership's case has its conference chaired by one of this partnership's chairs:
    // the list answers only within the user's own partnership.
    for (const [chair, relationships] of [
      [invited, c === m.cases[0] ? (['invitation'] as Relationship[]) : []],
      [unrelated, []],
    ] as const) {
      const [k] = await database.db
        .insert(conference)
        .values({
          partnershipId: c.partnershipId,
          caseId: c.caseId,
          episodeId: episode!.id,
          kind: 'initial',
          scheduledFor: '2026-11-27',
          scheduledTime: '10:00',
          venue: 'Room 1 (matrix)',
          chairId: chair.userId,
          recordedBy: invited.userId,
        })
        .returning({ id: conference.id })
      chaired.push({ conferenceId: k!.id, chair, c, relationships: [...relationships] })
    }
  }
  const [caseA, caseR, caseP] = m.cases as [MatrixCase, MatrixCase, MatrixCase]
  const swExplicit = m.users.find((u) => u.key === 'social worker, explicit permission')!
  const swUnrelated = m.users.find((u) => u.key === 'social-worker, no relationship')!
  // Users without the IRO role allocated directly (the service allows only holders of the role, as
  // allocations made before the role existed): the policy opens the case to the role only.
  const partner = m.users.find((u) => u.key === 'partner-practitioner, no relationship')!
  const iroRole = m.users.find((u) => u.key === 'independent-reviewing-officer, no relationship')!
  for (const [iro, c, fromOn, toOn] of [
    [swUnrelated, caseA, '2026-11-01', '2026-11-10'],
    [invited, caseA, '2026-11-10', null],
    [invited, caseR, '2026-11-01', null],
    [swExplicit, caseP, '2026-11-01', null],
    [partner, caseA, '2026-11-05', null],
    [iroRole, caseA, '2026-11-01', null],
    [iroRole, caseR, '2026-11-01', null],
  ] as const) {
    await database.db.insert(iroAllocation).values({ partnershipId: c.partnershipId, caseId: c.caseId, periodId: c.records.periodId!, iroId: iro.userId, fromOn, toOn, recordedBy: invited.userId })
    if (toOn === null) reviewing.push({ iro, c })
  }
})
after(() => database?.close())

/** Exactly one audit entry per list that named a child: case.list, naming those cases (and no other entry of that request). */
async function checkListAudits(lists: { at: string; requestId: string; named: string[] }[], wrong: string[]): Promise<void> {
  const entries = await database.db
    .select({ requestId: auditEvent.requestId, action: auditEvent.action, detail: auditEvent.detail })
    .from(auditEvent)
    .where(eq(auditEvent.partnershipId, m.world.partnershipId))
  for (const { at, requestId, named } of lists) {
    const own = entries.filter((e) => e.requestId === requestId)
    if (named.length === 0) {
      if (own.length !== 0) wrong.push(`${at}: named no one but wrote ${JSON.stringify(own.map((e) => e.action))}`)
      continue
    }
    const ids = [...((own[0]?.detail as { caseIds?: string[] } | null)?.caseIds ?? [])].sort()
    if (own.length !== 1 || own[0]!.action !== 'case.list') wrong.push(`${at}: audited as ${JSON.stringify(own.map((e) => e.action))}`)
    else if (JSON.stringify(ids) !== JSON.stringify(named)) wrong.push(`${at}: the entry names ${ids.length} cases, the list ${named.length}`)
  }
}

interface Listed {
  status: number
  /** Conference ids listed. */
  conferences: string[]
  /** The family names of the children named anywhere in the answer. */
  named: (c: MatrixCase) => boolean
  /** The case is linked (page) or given (API). */
  opens: (c: MatrixCase) => boolean
  requestId: string
}

describe('the access matrix (a conference chair’s list)', () => {
  test('the chair’s list names each child as the policy decides, on the page and in the API, each list audited once', async () => {
    const wrong: string[] = []
    const lists: { at: string; listed: Listed }[] = []
    for (const u of m.users) {
      const agent = app.agent()
      await signIn(agent, u.email, PASSWORD)
      const token = (await createApiToken(database.db, { email: u.email, name: 'matrix chair list', now: new Date() })).token
      const page = await agent.get('/my-conferences')
      const html = $(page.text ?? '')
      const api = await app.agent().get('/api/v1/my-conferences?limit=100').set('authorization', `Bearer ${token}`)
      const items = (api.body?.items ?? []) as { id: string; caseId: string | null }[]
      const answers: [string, Listed][] = [
        [
          'page',
          {
            status: page.status,
            conferences: html('[data-qa=chair-conference]').map((_, row) => html(row).attr('data-conference-id')).get(),
            named: (c) => (page.text ?? '').includes(c.familyName),
            opens: (c) => html(`a[href="/cases/${c.caseId}"]`).length > 0,
            requestId: String(page.headers['x-request-id'] ?? ''),
          },
        ],
        [
          'api',
          {
            status: api.status,
            conferences: items.map((i) => i.id),
            named: (c) => (api.text ?? '').includes(c.familyName),
            opens: (c) => items.some((i) => i.caseId === c.caseId) || (api.text ?? '').includes(c.caseId),
            requestId: String(api.headers['x-request-id'] ?? ''),
          },
        ],
      ]
      const subject = { userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true }
      const mayChair = decideGeneral(subject, 'conference:chair').allowed
      const mine = chaired.filter((k) => k.chair.userId === u.userId && k.c.partnershipId === u.partnershipId)
      for (const [how, listed] of answers) {
        const at = `${how} chair's list as ${u.key}`
        if (listed.status !== (mayChair ? 200 : 403)) wrong.push(`${at}: ${listed.status}`)
        const expectedIds = mayChair ? mine.map((k) => k.conferenceId).sort() : []
        if (JSON.stringify([...listed.conferences].sort()) !== JSON.stringify(expectedIds)) {
          wrong.push(`${at}: listed ${listed.conferences.length}, expected ${expectedIds.length}`)
        }
        for (const c of m.cases) {
          const k = mine.find((x) => x.c === c)
          const read = k && decideOnCase(subject, 'case:read', { partnershipId: c.partnershipId, restricted: c.restricted, relationships: k.relationships })
          const shown = mayChair && !!read && read.allowed && !read.breakGlass
          if (listed.named(c) !== shown) wrong.push(`${at}: ${c.key} is ${shown ? 'not ' : ''}named`)
          if (listed.opens(c) !== shown) wrong.push(`${at}: ${c.key}'s case ${shown ? 'is not' : 'is'} linked`)
        }
        if (mayChair) lists.push({ at, listed })
      }
    }
    assert.ok(lists.length >= 4, `only ${lists.length} lists`)

    await checkListAudits(
      lists.map(({ at, listed }) => ({ at, requestId: listed.requestId, named: m.cases.filter((c) => listed.named(c)).map((c) => c.caseId).sort() })),
      wrong,
    )
    assert.deepEqual(wrong, [])
    // The world has a chair shown a child and a chair shown a conference whose child they may not open.
    assert.ok(lists.some((l) => m.cases.some((c) => l.listed.named(c))), 'no child named to any chair')
    assert.ok(lists.some((l) => l.listed.conferences.length > m.cases.filter((c) => l.listed.named(c)).length), 'no conference listed without its child')
  })
})

describe('the access matrix (an IRO’s list)', () => {
  test('the IRO’s list names each child whose IRO the user is now, as the policy decides, on the page and in the API, each list audited once', async () => {
    const wrong: string[] = []
    const byRequest: { at: string; requestId: string; named: string[] }[] = []
    let shownSome = 0
    for (const u of m.users) {
      const agent = app.agent()
      await signIn(agent, u.email, PASSWORD)
      const token = (await createApiToken(database.db, { email: u.email, name: 'matrix iro list', now: new Date() })).token
      const page = await agent.get('/iro')
      const api = await app.agent().get('/api/v1/iro/children?limit=100').set('authorization', `Bearer ${token}`)
      const html = $(page.text ?? '')
      const subject = { userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true }
      const expected = reviewing
        .filter((r) => r.iro.userId === u.userId && r.c.partnershipId === u.partnershipId)
        .filter(({ c }) => {
          const permitted = m.scenarios.some((s) => s.user.userId === u.userId && s.c === c && s.relationships.includes('explicit-permission'))
          const read = decideOnCase(subject, 'case:read', { partnershipId: c.partnershipId, restricted: c.restricted, relationships: permitted ? ['iro', 'explicit-permission'] : ['iro'] })
          return read.allowed && !read.breakGlass
        })
        .map(({ c }) => c.caseId)
        .sort()
      const answers: [string, number, string[], string, string][] = [
        ['page', page.status, html('[data-qa=iro-child]').map((_, row) => html(row).attr('data-case-id')).get(), page.text ?? '', String(page.headers['x-request-id'] ?? '')],
        ['api', api.status, ((api.body?.items ?? []) as { caseId: string }[]).map((i) => i.caseId), api.text ?? '', String(api.headers['x-request-id'] ?? '')],
      ]
      for (const [how, status, listed, text, requestId] of answers) {
        const at = `${how} IRO list as ${u.key}`
        if (status !== 200) wrong.push(`${at}: ${status}`)
        if (JSON.stringify([...listed].sort()) !== JSON.stringify(expected)) wrong.push(`${at}: listed ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`)
        for (const c of m.cases) if (!expected.includes(c.caseId) && text.includes(c.familyName)) wrong.push(`${at}: names ${c.key}`)
        byRequest.push({ at, requestId, named: expected })
        if (expected.length > 0) shownSome++
      }
    }
    assert.ok(shownSome >= 4, `only ${shownSome} lists named a child`)
    await checkListAudits(byRequest, wrong)
    assert.deepEqual(wrong, [])
  })
})
