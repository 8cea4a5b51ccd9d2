/**
 * The case summary at a glance on the overview, in Chromium (issue 16, item 13). The demo child Eve
 * (on a child protection plan, allocated to the demo social worker, the health visitor owning an
 * action of the plan) is given an address, a household and a parent living elsewhere, a visit and
 * some notes; the social worker records her alerts on the alerts form from the overview. The
 * overview then shows, at a glance: the address and household, the allocated worker and the team
 * manager, the involved agency with its contact, the alerts as a banner, the plan and its category,
 * the last and next visit and the latest notes; it is scanned with axe-core.
 *
 * And the largest synthetic child (the one with the most history of a synthetic partnership loaded
 * beside the demo, as `together seed --synthetic` loads it) has an overview under five screens at
 * 1280x800, read by its allocated worker (or its team's manager).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, desc, eq, sql } from 'drizzle-orm'
import { appUser, childCase, person, recordRevision } from '../../src/db/schema/index.ts'
import { hashPassword } from '../../src/services/access/passwords.ts'
import { noteInput } from '../../src/services/journey/case-notes-input.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import { familyMemberInput } from '../../src/services/journey/family-input.ts'
import { addFamilyMember } from '../../src/services/journey/family.ts'
import { seedSynthetic } from '../../src/services/demo/synthetic/seed.ts'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { DEMO_PASSWORD, demoCase, demoServiceContext, demoUser, isoToday, mainText, navigateBy, pageHeight, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eveCaseId: string

const SCREEN = { width: 1280, height: 800 }
const SYNTHETIC_CHILDREN = 60

const long = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`))

before(async () => {
  app = await startBrowserApp()
  const eve = await demoCase(app, 'Eve', 'Pretendson')
  eveCaseId = eve.caseId
  await app.running.database.db.update(person).set({ address: '7 Imaginary Close, Demoshire', postcode: 'ZZ99 3CC' }).where(eq(person.id, eve.personId))
  const ctx = await demoServiceContext(app, 'social-worker')
  const member = (givenName: string, fields: Record<string, string>) =>
    familyMemberInput.parse({ person: { givenName, familyName: 'Pretendson', dateOfBirth: '1998-04-05', sex: 'F' }, notes: '', ...fields })
  await addFamilyMember(ctx, eveCaseId, member('Mara', { kind: 'parent', sameHousehold: 'yes', parentalResponsibility: 'yes' }))
  await addFamilyMember(ctx, eveCaseId, member('Noah', { kind: 'parent', sameHousehold: 'no', parentalResponsibility: 'yes' }))
  const today = isoToday()
  const note = (daysAgo: number, kind: 'note' | 'visit', title: string) =>
    addNote(
      ctx,
      eveCaseId,
      noteInput.parse({
        kind,
        occurredOn: addDays(today, -daysAgo),
        title,
        body: 'Fictional.',
        ...(kind === 'visit' ? { childSeen: 'yes', childSeenAlone: 'no' } : {}),
      }),
    )
  await note(9, 'note', 'Nursery place offered')
  await note(5, 'visit', 'Home visit with the health visitor')
  await note(3, 'note', 'Call with the nursery')
  await note(1, 'note', 'Core group arranged')
})
after(async () => {
  await app?.close()
})

test('the overview shows the case at a glance: address, household, key people, agency contact, alerts, plan, visits and notes', async () => {
  const page = await app.newPage()
  await page.setViewportSize(SCREEN)
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${app.url}/cases/${eveCaseId}`)

  // No alerts yet: the overview offers to record them; the form saves them and the banner shows them.
  await navigateBy(page, page.locator('[data-qa=no-alerts] a'))
  await app.expectAccessible(page, 'the case alerts form')
  await page.getByLabel('Risks to workers').fill('Large dog at the address: visit in pairs.')
  await page.getByLabel('Language or communication needs').fill('Mother’s first language is Polish: book an interpreter.')
  const saved = await postForm(page, () => page.getByRole('button', { name: 'Save the alerts' }).click())
  assert.equal(saved.status(), 302)
  assert.match(await page.locator('[data-qa=saved]').innerText(), /The alerts were saved/)
  const alerts = page.getByRole('region', { name: 'Alerts' })
  assert.match(await alerts.innerText(), /Risks to workers\s+Large dog at the address: visit in pairs\./)
  assert.match(await alerts.innerText(), /Language or communication needs\s+Mother’s first language is Polish/)

  const row = async (qa: string) => (await page.locator(`[data-qa=${qa}]`).innerText()).replace(/\s+/g, ' ')
  assert.match(await row('summary-address'), /7 Imaginary Close, Demoshire ZZ99 3CC/)
  assert.match(await row('summary-household'), /Mara Pretendson \(parent, parental responsibility/)
  assert.match(await row('summary-parents-elsewhere'), /Noah Pretendson \(parent/)
  assert.match(await row('summary-worker'), new RegExp(`${demoUser('social-worker').displayName.replace(/[()]/g, '\\$&')} \\(${demoUser('social-worker').email}\\)`))
  assert.match(await row('summary-managers'), new RegExp(demoUser('team-manager').displayName.replace(/[()]/g, '\\$&')))
  assert.match(await row('summary-plan'), /Child protection plan since .*, category: neglect/)
  // The health trust owns an action of the plan: its health visitor is the contact there.
  const trust = page.locator('[data-qa=agency]', { hasText: 'Demoshire Community Health NHS Trust' })
  assert.match((await trust.innerText()).replace(/\s+/g, ' '), /Hana Visitor \(demo\): health\.visitor@demo\.together\.invalid \(owns actions of the plan\)/)
  // The last visit, and the next one due from it (the statutory visit moved the clock).
  const lastVisit = addDays(isoToday(), -5)
  assert.match(await row('last-visit'), new RegExp(`${long(lastVisit)}: Home visit with the health visitor .*child seen`))
  assert.match(await row('due-visit'), /Visit due by /)
  // The three newest notes, and the way to all of them.
  const notes = await page.locator('[data-qa=latest-note]').allInnerTexts()
  assert.deepEqual(notes.map((n) => /· (.*?) \(/.exec(n)?.[1]), ['Core group arranged', 'Call with the nursery', 'Home visit with the health visitor'])
  assert.match(await page.locator('[data-qa=all-notes]').innerText(), /All 4 notes and visits/)
  // The restricted warning is not in the frame twice; this record is not restricted at all.
  assert.doesNotMatch(await mainText(page), /restricted record/i)
  await app.expectAccessible(page, 'case overview with the summary at a glance and alerts')
  const height = await pageHeight(page)
  assert.ok(height < 5 * SCREEN.height, `the overview is ${height}px tall`)
})

test('the overview of the largest synthetic child is under five screens at 1280x800', async () => {
  const database = app.running.database
  await seedSynthetic(database, { children: SYNTHETIC_CHILDREN, seed: 16 })
  const db = database.db
  // The child with the most history: the most revisions of records on its case.
  const [largest] = await db
    .select({ caseId: recordRevision.caseId, revisions: sql<number>`count(*)::int` })
    .from(recordRevision)
    .groupBy(recordRevision.caseId)
    .orderBy(desc(sql`count(*)`))
    .limit(1)
  assert.ok(largest && largest.revisions >= 100, `the largest synthetic child has ${largest?.revisions} revisions`)
  // Read by its allocated worker, or (a closed case has none) a manager of its team.
  const [c] = await db.select({ workerId: childCase.allocatedWorkerId, teamId: childCase.teamId }).from(childCase).where(eq(childCase.id, largest.caseId))
  const [reader] = c!.workerId
    ? await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.id, c!.workerId))
    : await db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.teamId, c!.teamId!), sql`'team-manager' = any(${appUser.roles})`)).limit(1)
  const [worker] = await db
    .update(appUser)
    .set({ passwordHash: await hashPassword(DEMO_PASSWORD) })
    .where(eq(appUser.id, reader!.id))
    .returning({ email: appUser.email })

  const page = await app.newPage()
  await page.setViewportSize(SCREEN)
  await app.signIn(page, worker!.email)
  await page.goto(`${app.url}/cases/${largest.caseId}`)
  assert.equal(await page.locator('[data-qa=case-summary]').count(), 1)
  const height = await pageHeight(page)
  assert.ok(height < 5 * SCREEN.height, `the overview of the largest synthetic child is ${height}px tall`)
  await app.expectAccessible(page, 'case overview of the largest synthetic child')
})
