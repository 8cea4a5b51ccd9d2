/**
 * Uploads are read only by the routes that take them, after sign-in and the CSRF token, streamed
 * to disk; a multipart body anywhere else is refused unread; broken bodies are 400s.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import supertest from 'supertest'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, type TestApp } from '../../../../test/support/web.ts'
import { caseNote } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
let server: Server
let port: number
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  server = app.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  port = (server.address() as AddressInfo).port
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await database.close()
})

/** Signs in over HTTP; returns the session cookie and the page's CSRF token. */
async function session(email: string): Promise<{ cookie: string; token: string }> {
  const agent = supertest.agent(app.app)
  const form = await agent.get('/sign-in')
  await agent.post('/sign-in').type('form').send({ email, password: PASSWORD, _csrf: csrfFrom(form.text) }).expect(302)
  const page = await agent.get('/returns')
  const cookie = agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).toValueString()
  return { cookie, token: csrfFrom(page.text) }
}

const BOUNDARY = '----together-test-boundary'
const MB = 1024 * 1024

/**
 * POSTs a multipart body of `head` then `fileBytes` of file content, streamed 1 MB at a time with
 * a Content-Length for the whole, until the server answers or the body is sent. Returns the status
 * and how much of the body had been written when the answer came.
 */
function streamingPost(path: string, cookie: string, head: string, fileBytes: number, declaredLength?: number): Promise<{ status: number; written: number; text: string }> {
  const opening = Buffer.from(`${head}--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.xml"\r\nContent-Type: text/xml\r\n\r\n`)
  const closing = Buffer.from(`\r\n--${BOUNDARY}--\r\n`)
  const total = opening.length + fileBytes + closing.length
  return new Promise((resolve, reject) => {
    let written = 0
    let answered = false
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: {
      cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(declaredLength ?? total),
    } }, (res) => {
      answered = true
      const at = written
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode!, written: at, text }))
    })
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    const chunk = Buffer.alloc(MB, 'a')
    const send = async () => {
      const write = (b: Buffer) => new Promise<void>((ok) => (req.write(b) ? ok() : req.once('drain', ok)))
      await write(opening)
      written += opening.length
      for (let left = fileBytes; left > 0 && !answered && !req.destroyed; left -= MB) {
        const piece = left >= MB ? chunk : chunk.subarray(0, left)
        await Promise.race([write(piece), new Promise((ok) => setTimeout(ok, 2000))])
        written += piece.length
      }
      if (!answered && !req.destroyed) req.end(closing)
    }
    send().catch(() => undefined)
  })
}

describe('uploads', () => {
  test('a large multipart post to a route that takes no upload is refused at once, unread, and the handler never sees it', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const { cookie, token } = await session(worker.email)
    const rssBefore = process.memoryUsage().rss
    const started = Date.now()
    const res = await streamingPost(`/cases/${caseId}/notes/new`, cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nUploaded\r\n`, 150 * MB)
    assert.equal(res.status, 415)
    assert.ok(res.written < 16 * MB, `answered after ${Math.round(res.written / MB)} MB of 150 MB`)
    assert.ok(Date.now() - started < 5000)
    assert.ok(process.memoryUsage().rss - rssBefore < 64 * MB, 'the body was not buffered')
    assert.deepEqual(await database.db.select().from(caseNote).where(eq(caseNote.caseId, caseId)), [], 'no note was made')
  })

  test('the upload route refuses a wrong token before it stores the file, and a body over its limit by its length', async () => {
    const analyst = await world.user(['performance-analyst'], { team: null })
    const { cookie, token } = await session(analyst.email)
    const wrongToken = await streamingPost('/returns/cin-census/check', cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nnot-${token}\r\n`, 100 * MB)
    assert.equal(wrongToken.status, 403)
    assert.ok(wrongToken.written < 16 * MB, `answered after ${Math.round(wrongToken.written / MB)} MB of 100 MB`)
    const tooLarge = await streamingPost('/returns/cin-census/check', cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`, 4 * MB, 300 * MB)
    assert.equal(tooLarge.status, 413)
    assert.ok(tooLarge.written < 16 * MB)
    // Someone who may not check census files is refused before the file is read.
    const worker = await world.user(['social-worker'])
    const other = await session(worker.email)
    const refused = await streamingPost('/returns/cin-census/check', other.cookie, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${other.token}\r\n`, 100 * MB)
    assert.equal(refused.status, 403)
    assert.ok(refused.written < 16 * MB)
  })

  test('the upload route still takes a file, streamed from disk', async () => {
    const analyst = await world.user(['performance-analyst'], { team: null })
    const { cookie, token } = await session(analyst.email)
    const xml = '<?xml version="1.0" encoding="UTF-8"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children></Children></Message>'
    const res = await supertest(app.app).post('/returns/cin-census/check').set('cookie', cookie)
      .field('_csrf', token).attach('file', Buffer.from(xml), 'empty.xml')
    assert.equal(res.status, 200, res.text.slice(0, 300))
    assert.match($(res.text)('[data-qa=census-summary]').text(), /Children\s+0/)
  })

  test('a truncated multipart body is a 400, on the upload route and as a problem document on the API', async () => {
    const analyst = await world.user(['performance-analyst'], { team: null })
    const { cookie, token } = await session(analyst.email)
    const truncated = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.xml"\r\nContent-Type: text/xml\r\n\r\n<Message><Hea`
    const page = await supertest(app.app).post('/returns/cin-census/check').set('cookie', cookie)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`).send(truncated)
    assert.equal(page.status, 400)
    assert.match($(page.text)('h1').text(), /could not be read/)
    const api = await supertest(app.app).post('/api/v1/people').set('cookie', cookie).set('x-csrf-token', token)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`).send(truncated)
    assert.equal(api.status, 415)
    assert.match(api.headers['content-type']!, /application\/problem\+json/)
  })
})
