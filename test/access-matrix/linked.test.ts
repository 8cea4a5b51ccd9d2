/**
 * The access matrix for children reached through the partnership's own records (serious incidents,
 * practice reviews, allegations) and through break-glass (see linked.ts), on its own world so that
 * it runs beside the case pages' matrix.
 */
import { after, before, describe, test } from 'node:test'
import type { TestDatabase } from '../support/database.ts'
import type { TestApp } from '../support/web.ts'
import { linkedMatrix } from './linked.ts'
import { openMatrixApp, type MatrixWorld } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
})
after(() => database?.close())

describe('the access matrix (records of the partnership, break-glass)', () => {
  const linked = () => linkedMatrix({ database, app, m })
  test('a serious incident, its rapid review chronology, its practice review and an allegation (LADO) show the child as the policy decides, each read audited once with its ground', () =>
    linked().linkedPages())
  test("a review member's list of incidents (page and API) names each child as the policy decides, each audited once", () => linked().incidentList())
  // Last: it gives the users it breaks the glass for a grant.
  test('breaking the glass answers as the policy decides, flags the grant and every read under it, and the grant ends', () =>
    linked().breakGlassRoute())
})
