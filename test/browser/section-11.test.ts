/**
 * Browser: a section 11 cycle runs for two agencies. The business unit issues it to the school and
 * the police; both answer; the business unit challenges the police's answer, which they answer,
 * agrees the ratings and an action the police close out; the police's return is compared with
 * their earlier cycle (the demo one). Every page passes axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { DEMO_USERS } from '../../src/services/demo/demo-seed.ts'
import { demoUser, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

async function fillDate(page: Page, name: string, iso: string) {
  const [y, m, d] = iso.split('-')
  await page.locator(`#${name}-day`).fill(String(Number(d)))
  await page.locator(`#${name}-month`).fill(String(Number(m)))
  await page.locator(`#${name}-year`).fill(y!)
}
const isoOn = (offsetDays: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offsetDays * 86_400_000))
const STANDARDS = ['1', '2', '3', '4', '5', '6']

/** Answers every standard (the first radio is "Fully met", the second "Partly met") and submits. */
async function answerAll(page: Page, partly: string[] = []) {
  for (const c of STANDARDS) {
    await page.locator(partly.includes(c) ? `#rating-${c}-2` : `#rating-${c}`).check()
    await page.locator(`#evidence-${c}`).fill(`Evidence for standard ${c} (fictional)`)
  }
  await navigateBy(page, page.getByRole('button', { name: 'Submit to the partnership' }))
  await page.locator('[data-qa=answers]').waitFor()
}

test('a section 11 cycle runs for two agencies', async () => {
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await navigateBy(unit, unit.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Partnership work' }))
  await navigateBy(unit, unit.getByRole('link', { name: 'Section 11 audits' }))
  assert.match(await unit.locator('[data-qa=next-cycle]').innerText(), /next cycle is due by/)
  await app.expectAccessible(unit, 'section 11 audits')
  await navigateBy(unit, unit.locator('[data-qa=templates] a').first())
  await unit.locator('[data-qa=template-form]').waitFor()
  await app.expectAccessible(unit, 'template')
  await unit.goBack()
  await navigateBy(unit, unit.getByRole('button', { name: 'Add a template' }))
  await unit.locator('[data-qa=template-form]').waitFor()
  await app.expectAccessible(unit, 'new template')
  await unit.goBack()

  await navigateBy(unit, unit.getByRole('button', { name: 'Issue a new cycle' }))
  await navigateBy(unit, unit.getByRole('button', { name: 'Issue the cycle' }))
  await unit.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(unit, 'cycle form with errors')
  await unit.getByLabel('Name of the cycle').fill('Browser audit')
  await fillDate(unit, 'issuedOn', isoOn(0))
  await fillDate(unit, 'answersDueOn', isoOn(30))
  await unit.getByLabel('Oakfield Primary School (demo): Pat Partner (demo)').check()
  await unit.getByLabel('Demoshire Police: Paul Officer (demo)').check()
  await navigateBy(unit, unit.getByRole('button', { name: 'Issue the cycle' }))
  await unit.locator('[data-qa=returns]').waitFor()
  assert.equal(await unit.locator('[data-qa=return-row]').count(), 2)
  await app.expectAccessible(unit, 'cycle')
  const cycleUrl = unit.url().split('?')[0]!

  // Both agencies answer from their requests.
  const school = await app.newPage()
  await app.signIn(school, demoUser('partner-practitioner').email)
  await school.goto(new URL('/partnership/requests', school.url()).href)
  await app.expectAccessible(school, 'requests for you')
  await school.locator('[data-qa=my-returns] a', { hasText: 'Browser audit' }).click()
  await navigateBy(school, school.getByRole('button', { name: 'Submit to the partnership' }))
  await school.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(school, 'answers with errors')
  await answerAll(school)
  await app.expectAccessible(school, 'submitted self-assessment')

  const police = await app.newPage()
  await app.signIn(police, DEMO_USERS.find((u) => u.email.startsWith('police.officer@'))!.email)
  await police.goto(new URL('/partnership/requests', police.url()).href)
  await police.locator('[data-qa=my-returns] a', { hasText: 'Browser audit' }).click()
  await answerAll(police, ['3'])
  const policeReturn = police.url().split('?')[0]!

  // The business unit challenges standard 3; the police answer; ratings and an action are agreed.
  await unit.goto(cycleUrl)
  await unit.locator('[data-qa=return-row] a', { hasText: 'Demoshire Police' }).click()
  await unit.locator('#standardCode').selectOption('3')
  await unit.getByLabel('Your challenge').fill('Which posts lack checks?')
  await navigateBy(unit, unit.getByRole('button', { name: 'Send the challenge' }))
  await unit.locator('[data-qa=answer-3]', { hasText: 'Waiting for the agency' }).waitFor()

  await police.goto(policeReturn)
  await police.getByLabel('Your answer').fill('Two volunteer roles; checks booked')
  await navigateBy(police, police.getByRole('button', { name: 'Send the answer' }))
  await police.locator('[data-qa=answer-3]', { hasText: 'Two volunteer roles' }).waitFor()
  await app.expectAccessible(police, 'challenge answered')

  await unit.goto(policeReturn)
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the ratings' }))
  await unit.locator('[data-qa=return-summary]', { hasText: 'Agreed' }).waitFor()
  await unit.locator('#action-standardCode').selectOption('3')
  await unit.getByLabel('Action', { exact: true }).fill('Complete checks for volunteer roles')
  await unit.getByLabel('Owner at the agency').selectOption({ label: 'Paul Officer (demo) – Demoshire Police' })
  await fillDate(unit, 'actionDueOn', isoOn(20))
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the action' }))
  await unit.locator('[data-qa=actions] a', { hasText: 'Complete checks' }).waitFor()
  assert.match(await unit.locator('[data-qa=comparison] caption').innerText(), /Compared with Section 11 audit \(demo\)/)
  assert.match(await unit.locator('[data-qa=comparison]').innerText(), /No change/)
  await app.expectAccessible(unit, 'agreed self-assessment with comparison')

  // The police give evidence; the business unit closes the action.
  await police.goto(policeReturn)
  await police.locator('[data-qa=actions] a').first().click()
  await police.getByLabel('Evidence that the action is complete').fill('All checks done (fictional)')
  await fillDate(police, 'completedOn', isoOn(0))
  await navigateBy(police, police.getByRole('button', { name: 'Send the evidence' }))
  await police.locator('[data-qa=action-summary]', { hasText: 'Evidence given' }).waitFor()
  await app.expectAccessible(police, 'section 11 action with evidence')
  await unit.locator('[data-qa=actions] a').first().click()
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the evidence and close the action' }))
  await unit.locator('[data-qa=action-summary]', { hasText: 'Closed' }).waitFor()
  await app.expectAccessible(unit, 'closed section 11 action')

  // The school cannot open the police's self-assessment.
  const refused = await school.goto(policeReturn)
  assert.equal(refused?.status(), 403)
})

test('the section 11 pages reached were scanned', () => {
  app.assertScanned([
    '/partnership/section-11',
    '/partnership/section-11/templates/:id',
    '/partnership/section-11/templates/new',
    '/partnership/section-11/cycles/new',
    '/partnership/section-11/cycles/:id',
    '/partnership/section-11/returns/:id',
    '/partnership/section-11/actions/:id',
    '/partnership/requests',
  ])
})
