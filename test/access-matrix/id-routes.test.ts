/**
 * Every GET route that takes an id is either covered by an access matrix or listed, with its
 * reason, as showing no child's details (id-routes.ts): a new id route fails here until it is one
 * or the other.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import { openTestApp, type TestApp } from '../support/web.ts'
import { familyOf, FAMILIES, idRoutes, NO_CHILD, routeKey, type IdRoute } from './id-routes.ts'

let database: TestDatabase
let app: TestApp
let routes: IdRoute[]

before(async () => {
  ;({ database, app } = await openTestApp(FIXED_NOW))
  routes = await idRoutes(app.app, () => app.agent())
})
after(() => database?.close())

describe('the access matrix (every route that takes an id)', () => {
  test('every GET route with an id, page or API, is covered by a matrix or listed as showing no child', () => {
    assert.ok(routes.length >= 60, `only ${routes.length} id routes found`)
    const neither = routes.filter((r) => !familyOf(r) && !(routeKey(r) in NO_CHILD)).map(routeKey)
    assert.deepEqual(neither, [], 'id routes no matrix covers and not listed as showing no child (test/access-matrix/id-routes.ts)')
    const both = routes.filter((r) => familyOf(r) && routeKey(r) in NO_CHILD).map(routeKey)
    assert.deepEqual(both, [], 'routes both covered and listed as showing no child')
  })

  test('the list of routes that show no child names only routes that exist, and every family has routes', () => {
    const keys = new Set(routes.map(routeKey))
    assert.deepEqual(Object.keys(NO_CHILD).filter((k) => !keys.has(k)), [], 'listed routes that no longer exist')
    for (const [name, f] of Object.entries(FAMILIES)) {
      const of = routes.filter((r) => familyOf(r) === name)
      if ('page' in f) assert.ok(of.some((r) => r.kind === 'page'), `the ${name} family has no page`)
      if ('api' in f) assert.ok(of.some((r) => r.kind === 'api'), `the ${name} family has no operation`)
    }
  })
})
