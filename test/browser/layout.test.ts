/**
 * Browser: the page frame as a new user sees it. At 1280 × 800 the header names the service once
 * and every role's menu is one row; on a child's case the skip link leads to the content before
 * the eighteen links to the case's sections; at 390 × 844 (a phone) no page is wider than the screen
 * (a wide table scrolls sideways in its own focusable, named region) and the scorecard's charts use
 * the service's font and give each agency's full name. Every page is scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { roleIds, type Role } from '../../src/domain/access/roles.ts'
import { DEMO_USERS } from '../../src/services/demo/demo-seed.ts'
import { demoUser, isFocused, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

async function signedIn(role: Role, viewport: { width: number; height: number }): Promise<Page> {
  const page = await app.newPage()
  await page.setViewportSize(viewport)
  await app.signIn(page, demoUser(role).email)
  return page
}

/** The distinct vertical positions of the menu's items (one value: one row). */
async function menuRows(page: Page): Promise<number[]> {
  const tops = (await page.evaluate(
    `Array.from(document.querySelectorAll('nav[aria-label="Menu"] .govuk-service-navigation__item')).map((item) => item.offsetTop)`,
  )) as number[]
  return [...new Set(tops)]
}

/** How much wider than the screen the document is (0 when nothing overflows sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number
}

// One demo user per role, three at a time, each in its own browser context.
describe('at 1280 px the header names Together once and the menu is one row', { concurrency: 3 }, () => {
  for (const role of roleIds) {
    test(role, async () => {
      const user = DEMO_USERS.find((u) => u.role === role)!
      const page = await signedIn(role, DESKTOP)
      const header = (await page.locator('header').innerText()).replace(/\s+/g, ' ')
      assert.equal(header.match(/Together/g)?.length, 1, `${role}'s header: ${header}`)
      assert.ok(header.includes(user.displayName), 'the header names who is signed in')
      const items = await page.locator('nav[aria-label="Menu"] .govuk-service-navigation__item').allInnerTexts()
      assert.ok(items.length >= 2, `${role}'s menu: ${items.join(', ')}`)
      assert.equal((await menuRows(page)).length, 1, `${role}'s menu wraps: ${items.join(', ')}`)
      if (role === 'team-manager') await app.expectAccessible(page, 'home page at 1280 px (team manager)')
      await page.context().close()
    })
  }
})

test('every destination taken out of the menu is still one link away: notifications, reports, agencies and timescales', async () => {
  const page = await signedIn('team-manager', DESKTOP)
  const header = page.getByRole('banner')
  assert.equal(await header.getByRole('link', { name: /^Notifications/ }).count(), 1, 'notifications are in the header')
  const footer = page.getByRole('contentinfo')
  assert.equal(await footer.getByRole('link', { name: 'Agencies and teams' }).getAttribute('href'), '/directory')
  assert.equal(await footer.getByRole('link', { name: 'Timescales' }).getAttribute('href'), '/timescales')

  await navigateBy(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reports' }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'Reports')
  const menu = page.getByRole('navigation', { name: 'Menu' })
  assert.equal(await menu.getByRole('link', { name: 'Reports' }).getAttribute('aria-current'), 'true')
  await app.expectAccessible(page, 'reports')
  await navigateBy(page, page.locator('main').getByRole('link', { name: 'Request response times' }))
  assert.equal(new URL(page.url()).pathname, '/information-requests/dashboard')
  await page.goBack()
  await navigateBy(page, page.locator('main').getByRole('link', { name: 'Sharing report' }))
  assert.equal(new URL(page.url()).pathname, '/information-sharing')

  // A role with no reports has no such item, and the page says there is nothing for them.
  const worker = await signedIn('social-worker', DESKTOP)
  assert.equal(await worker.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reports' }).count(), 0)
  await worker.goto('/reports')
  assert.match(await worker.locator('main').innerText(), /no reports/i)
})

test('on a child’s case the skip link leads to the content before the case’s sections', async () => {
  const page = await signedIn('team-manager', DESKTOP)
  await navigateBy(page, page.locator('main').getByRole('link', { name: 'Bea Fictional' }).first())
  assert.match(new URL(page.url()).pathname, /^\/cases\/[0-9a-f-]{36}$/)
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page, '.govuk-skip-link'), 'Tab first reaches the skip link')
  await page.keyboard.press('Enter')
  assert.ok(await isFocused(page, '#main-content'), 'the skip link moves the focus to the main content')
  await page.keyboard.press('Tab')
  const landed = (await page.evaluate(
    `(() => { const el = document.activeElement; return { inSections: !!el.closest('nav[aria-label="Sections of this case"]'), inMain: !!el.closest('main'), text: el.textContent.trim() } })()`,
  )) as { inSections: boolean; inMain: boolean; text: string }
  assert.deepEqual({ inSections: landed.inSections, inMain: landed.inMain }, { inSections: false, inMain: true }, `the first Tab reached "${landed.text}"`)
  // The content comes before the sections in the document, which still offers all eighteen.
  const contentFirst = await page.evaluate(
    `!!(document.querySelector('main h2').compareDocumentPosition(document.querySelector('nav[aria-label="Sections of this case"]')) & Node.DOCUMENT_POSITION_FOLLOWING)`,
  )
  assert.equal(contentFirst, true, 'the content comes before the sections of the case')
  assert.equal(await page.getByRole('navigation', { name: 'Sections of this case' }).getByRole('link').count(), 18)
  // At 1280 px the sections are still beside the content, on the left.
  const [sectionsBox, contentBox] = await Promise.all([
    page.getByRole('navigation', { name: 'Sections of this case' }).boundingBox(),
    page.locator('main h2').first().boundingBox(),
  ])
  assert.ok(sectionsBox && contentBox && sectionsBox.x < contentBox.x && sectionsBox.y < contentBox.y + contentBox.height, 'the sections are on the left')
  await app.expectAccessible(page, 'case overview at 1280 px')
})

test('at 390 px no page is wider than the screen: wide tables scroll in a focusable, named region', async () => {
  const page = await signedIn('team-manager', PHONE)
  assert.equal(await sidewaysOverflow(page), 0, 'the home page (a table of cases) fits')
  const region = (await page.evaluate(
    `(() => { const box = document.querySelector('main table').closest('[role=region]'); return box ? { name: box.getAttribute('aria-label') || (document.getElementById(box.getAttribute('aria-labelledby') || '') || { textContent: '' }).textContent.trim(), tabindex: box.getAttribute('tabindex'), scrolls: box.scrollWidth > box.clientWidth } : null })()`,
  )) as { name: string; tabindex: string | null; scrolls: boolean } | null
  assert.ok(region, 'the table is in a region')
  assert.equal(region.scrolls, true, 'the table is wider than the phone, so its region scrolls')
  assert.equal(region.tabindex, '0', 'the scrolling region can be reached with the keyboard')
  assert.match(region.name, /cases/i, 'the region is named by the table’s caption')
  await app.expectAccessible(page, 'home page at 390 px')

  await navigateBy(page, page.locator('main').getByRole('link', { name: 'Bea Fictional' }).first())
  assert.equal(await sidewaysOverflow(page), 0, 'the case overview fits')
  await app.expectAccessible(page, 'case overview at 390 px')
  for (const path of ['/timescales', '/team']) {
    await page.goto(path)
    assert.equal(await sidewaysOverflow(page), 0, `${path} fits`)
    await app.expectAccessible(page, `${path} at 390 px`)
  }
})

test('the scorecard’s charts use the service’s font and each agency’s full name, at 1280 and 390 px', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await signedIn('business-unit', viewport)
    await page.goto('/partnership/scorecard')
    await page.locator('[data-qa=by-source]').waitFor()
    const font = (await page.evaluate(`getComputedStyle(document.querySelector('svg[data-qa=chart-by-source] text')).fontFamily`)) as string
    assert.match(font, /^arial/i, `the chart's font: ${font}`)
    const agencies = (await page.locator('table[data-qa=by-source] tbody th').allInnerTexts()).map((t) => t.trim())
    assert.ok(agencies.includes('Oakfield Primary School (demo)'), agencies.join(', '))
    // Every agency's full name is in the chart, whole, and inside the chart's area.
    const labels = (await page.evaluate(
      `(() => { const svg = document.querySelector('svg[data-qa=chart-by-source]'); const box = svg.getBoundingClientRect(); return Array.from(svg.querySelectorAll('[data-qa=chart-label]')).map((l) => { const r = l.getBoundingClientRect(); return { text: l.textContent.replace(/\\s+/g, ' ').trim(), inside: r.left >= box.left - 1 && r.right <= box.right + 1 } }) })()`,
    )) as { text: string; inside: boolean }[]
    assert.deepEqual(
      labels.map((l) => l.text),
      agencies,
      'the chart labels each bar with the full agency name',
    )
    assert.deepEqual(labels.filter((l) => !l.inside), [], 'no label runs outside the chart')
    if (viewport === PHONE) assert.equal(await sidewaysOverflow(page), 0, 'the scorecard fits the phone')
    await app.expectAccessible(page, `scorecard at ${viewport.width} px`)
    await page.context().close()
  }
})
