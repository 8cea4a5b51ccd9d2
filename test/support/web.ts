/**
 * The real application on a test database, driven over HTTP with supertest. Forms are submitted
 * the way a browser would: the CSRF token is read from the page first.
 */
import { Writable } from 'node:stream'
import * as cheerio from 'cheerio'
import supertest from 'supertest'
import { loadConfig, type Config } from '../../src/config.ts'
import { createLogger } from '../../src/logger.ts'
import { sessionSecret } from '../../src/services/access/instance.ts'
import type { Express } from 'express'
import { createApp } from '../../src/web/app.ts'
import { createOidcSignIn } from '../../src/web/access/auth/oidc.ts'
import type { AppDeps } from '../../src/web/deps.ts'
import type { TestDatabase } from './database.ts'
import { openTestWorld, type World } from './fixtures.ts'

export class LogCapture extends Writable {
  text = ''
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString()
    cb()
  }
}

export interface TestApp {
  deps: AppDeps
  app: Express
  logs: LogCapture
  agent(): supertest.Agent
  /** Moves the application's clock. */
  setNow(date: Date): void
}

export async function createTestApp(
  database: TestDatabase,
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
): Promise<TestApp> {
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...env })
  const logs = new LogCapture()
  let now = new Date()
  const deps: AppDeps = {
    database,
    config,
    logger: createLogger('info', logs),
    now: () => now,
    oidc: config.oidc ? createOidcSignIn(config.oidc) : null,
    isDemo: false,
    sessionSecret: await sessionSecret(database.db, undefined),
    ...overrides,
  }
  const app = createApp(deps)
  return {
    deps,
    app,
    logs,
    agent: () => supertest.agent(app),
    setNow: (date) => {
      now = date
    },
  }
}

export function csrfFrom(html: string): string {
  const token = cheerio.load(html)('input[name=_csrf]').first().val()
  if (typeof token !== 'string' || token.length === 0) throw new Error('no CSRF token on the page')
  return token
}

/** GETs a page, then submits its form with the token it carried. */
export async function submitForm(agent: supertest.Agent, pagePath: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(pagePath)
  return agent.post(action).type('form').send({ ...fields, _csrf: csrfFrom(page.text) })
}

export async function signIn(agent: supertest.Agent, email: string, password: string) {
  const res = await submitForm(agent, '/sign-in', '/sign-in', { email, password })
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`)
  return res
}

export const $ = (html: string) => cheerio.load(html)

/** A GOV.UK date input's three fields holding `iso` ('YYYY-MM-DD'), for a posted form. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! }
}

/** An agent signed in as `user` with the test password. */
export async function signedInAgent(app: TestApp, user: { email: string }, password: string): Promise<supertest.Agent> {
  const agent = app.agent()
  await signIn(agent, user.email, password)
  return agent
}

/** A test file's database, a World on it and the application (its clock at `now`, if given). */
export async function openTestApp(now?: Date): Promise<{ database: TestDatabase; world: World; app: TestApp }> {
  const { database, world } = await openTestWorld()
  const app = await createTestApp(database)
  if (now) app.setNow(now)
  return { database, world, app }
}

/** A JSON API client signed in as `user` with a session: it sends the CSRF token from GET /api/v1/me on every change. */
export async function apiClient(app: TestApp, user: { email: string }, password: string) {
  const agent = await signedInAgent(app, user, password)
  const csrf = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) => agent[method](`/api/v1${path}`).set('x-csrf-token', csrf).send(body as object)
  return {
    get: (path: string) => agent.get(`/api/v1${path}`),
    post: (path: string, body: unknown) => send('post', path, body),
    put: (path: string, body: unknown) => send('put', path, body),
    patch: (path: string, body: unknown) => send('patch', path, body),
  }
}

/** The body of an answer that must be a problem document with `status`. */
export function problemOf(res: supertest.Response, status: number): { title?: string; detail?: string; errors?: Record<string, string> } {
  if (res.status !== status) throw new Error(`expected a ${status} problem, got ${res.status}: ${res.text}`)
  if (!/application\/problem\+json/.test(String(res.headers['content-type']))) throw new Error(`not a problem document: ${String(res.headers['content-type'])}`)
  return res.body as { title?: string; detail?: string; errors?: Record<string, string> }
}
