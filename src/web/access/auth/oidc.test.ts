/**
 * Council single sign-on end to end: a real OpenID Connect provider (oidc-provider) on loopback,
 * the real app's redirect, PKCE and token exchange through openid-client.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import Provider from 'oidc-provider'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, World } from '../../../../test/support/fixtures.ts'
import { $, createTestApp, type TestApp } from '../../../../test/support/web.ts'

const APP_URL = 'http://localhost:3999'
let database: TestDatabase
let world: World
let app: TestApp
let idp: Server
let issuer: string
const emails = new Map<string, string>()
/** Subjects whose email address the provider has not verified. */
const unverified = new Set<string>()

before(async () => {
  ({ database, world } = await openTestWorld())
  idp = createServer()
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'together',
        client_secret: 'a-test-client-secret',
        redirect_uris: [`${APP_URL}/sign-in/oidc/callback`],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: emails.get(sub), email_verified: !unverified.has(sub) }),
    }),
    pkce: { required: () => true },
  })
  idp.on('request', provider.callback())
  app = await createTestApp(
    database,
    {
      TOGETHER_BASE_URL: APP_URL,
      TOGETHER_OIDC_ISSUER: issuer,
      TOGETHER_OIDC_CLIENT_ID: 'together',
      TOGETHER_OIDC_CLIENT_SECRET: 'a-test-client-secret',
      TOGETHER_OIDC_ALLOW_HTTP: '1',
    },
  )
})
after(async () => {
  idp.closeAllConnections()
  await new Promise((resolve) => idp.close(resolve))
  await database.close()
})

/** A browser's cookie jar and redirect-following for the provider's pages. */
class ProviderBrowser {
  private cookies = new Map<string, string>()
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, v] = pair!.split('=')
      this.cookies.set(k!, v ?? '')
    }
    return res
  }
  /** Follows redirects until the app's callback URL or a page. */
  async follow(url: string, init?: RequestInit): Promise<{ callback?: URL; html?: string; url: string }> {
    let res = await this.request(url, init)
    let current = url
    while (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location')!, current).href
      if (current.startsWith(APP_URL)) return { callback: new URL(current), url: current }
      res = await this.request(current)
    }
    return { html: await res.text(), url: current }
  }
  async submit(pageUrl: string, html: string, fields: Record<string, string>) {
    const action = new URL($(html)('form').attr('action')!, pageUrl).href
    return this.follow(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
  }
}

async function signInThroughProvider(sub: string) {
  const agent = app.agent()
  const signInPage = await agent.get('/sign-in').expect(200)
  assert.match(signInPage.text, /Sign in with your council account/)
  const start = await agent.get('/sign-in/oidc').expect(302)
  const authUrl = new URL(start.headers.location!)
  assert.equal(authUrl.origin, issuer)
  assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256')
  const browser = new ProviderBrowser()
  const login = await browser.follow(authUrl.href)
  const consent = await browser.submit(login.url, login.html!, { prompt: 'login', login: sub, password: 'anything' })
  const done = consent.callback ? consent : await browser.submit(consent.url, consent.html!, { prompt: 'consent' })
  assert.ok(done.callback, 'the provider redirected back to Together')
  const callback = await agent.get(`${done.callback!.pathname}${done.callback!.search}`)
  return { agent, callback }
}

describe('single sign-on with OpenID Connect', () => {
  test('a user added by an administrator signs in with their council account', async () => {
    const user = await world.user(['social-worker'], { password: null })
    emails.set('council-user-1', user.email)
    const { agent, callback } = await signInThroughProvider('council-user-1')
    assert.equal(callback.status, 302, callback.text)
    assert.equal(callback.headers.location, '/')
    const home = await agent.get('/').expect(200)
    assert.match(home.text, new RegExp(`Hello, ${user.displayName}`))
  })

  test('an email address the provider has not verified does not bind the account it names (item 12)', async () => {
    const user = await world.user(['administrator'], { password: null })
    emails.set('self-asserted', user.email)
    unverified.add('self-asserted')
    const { agent, callback } = await signInThroughProvider('self-asserted')
    assert.equal(callback.status, 403)
    assert.match(callback.text, /has not been verified/)
    await agent.get('/').expect(302)
  })

  test('someone the council knows but Together does not is refused with an explanation', async () => {
    emails.set('unknown-person', 'nobody-here@council.example.invalid')
    const { agent, callback } = await signInThroughProvider('unknown-person')
    assert.equal(callback.status, 403)
    assert.match(callback.text, /you do not have a Together account yet/)
    await agent.get('/').expect(302)
  })

  test('a callback that did not start here is ignored', async () => {
    const res = await app.agent().get('/sign-in/oidc/callback?code=forged&state=forged').expect(302)
    assert.equal(res.headers.location, '/sign-in')
  })

  test('a callback with a state that does not match is refused', async () => {
    const agent = app.agent()
    await agent.get('/sign-in/oidc').expect(302)
    const res = await agent.get('/sign-in/oidc/callback?code=forged&state=not-the-one')
    assert.equal(res.status, 400)
    assert.match(res.text, /Single sign-on did not complete/)
    // Logged by class and stack frames (errorForLog), never by the client library's message.
    const line = app.logs.text.split('\n').find((l) => l.includes('single sign-on callback failed'))
    assert.ok(line, 'the failure is logged')
    const logged = JSON.parse(line) as { err: Record<string, unknown> }
    assert.notEqual(logged.err.type, 'object', 'the error itself, not a copy of its message')
    assert.match(String(logged.err.stack), / {4}at /)
    assert.doesNotMatch(line, /"message"|not-the-one/)
  })
})
