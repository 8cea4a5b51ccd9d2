/**
 * Browser (issue 19): a social worker adds a carer on the partnership's carers page (an error
 * first, nothing typed lost) and sees it listed; a team manager corrects it. The list, new and
 * edit pages scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { demoUser, errorSummaryLinks, mainText, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

test('a social worker adds a carer; a team manager corrects it', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto('/care/carers')
  await app.expectAccessible(page, 'the partnership’s carers')
  await navigateBy(page, page.locator('[data-qa=add-carer]'))
  await app.expectAccessible(page, 'add a carer form')
  await page.getByLabel('Name of the household or setting').fill('Quince household (fictional)')
  await page.getByLabel('Ofsted URN (optional)').fill('SC-12')
  await navigateBy(page, page.locator('[data-qa=save-carer]'))
  assert.deepEqual((await errorSummaryLinks(page)).map((l) => l[1]), ['#kind', '#urn'])
  assert.equal(await page.getByLabel('Name of the household or setting').inputValue(), 'Quince household (fictional)', 'nothing typed is lost')
  await app.expectAccessible(page, 'add a carer form with errors')
  await page.getByLabel('What kind of carer or setting it is').selectOption('foster')
  await page.getByLabel('Ofsted URN (optional)').fill('SC800010')
  await navigateBy(page, page.locator('[data-qa=save-carer]'))
  assert.match(await page.locator('[data-qa=carer-details]').innerText(), /Foster carer.*SC800010.*Children placed now\s+0/s)
  assert.equal(await page.locator('[data-qa=carer-form]').count(), 0, 'a social worker does not correct carers')
  const carerPath = new URL(page.url()).pathname
  await page.goto('/care/carers')
  assert.match(await page.locator('[data-qa=carers]').innerText(), /Quince household \(fictional\)\s+Foster carer/)

  const manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await manager.goto(carerPath)
  await app.expectAccessible(manager, 'a carer with the form to correct it')
  await manager.getByLabel('Name of the household or setting').fill('')
  await navigateBy(manager, manager.locator('[data-qa=save-carer]'))
  assert.deepEqual((await errorSummaryLinks(manager)).map((l) => l[1]), ['#name'])
  await app.expectAccessible(manager, 'a carer’s form with an error')
  await manager.getByLabel('Name of the household or setting').fill('Quince Lane household (fictional)')
  await manager.getByLabel('Ofsted URN (optional)').fill('XXXXXXX')
  await navigateBy(manager, manager.locator('[data-qa=save-carer]'))
  assert.match(await mainText(manager), /Your changes to the carer were saved/)
  assert.match(await manager.locator('[data-qa=carer-details]').innerText(), /XXXXXXX/)
  assert.equal(await manager.locator('h1').innerText(), 'Quince Lane household (fictional)')
})
