/**
 * Admission: at most `limit` requests are worked on at once, the rest start in the order they
 * came as earlier ones finish, and a request whose client left while it waited is never started.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express from 'express'
import { admission } from './admission.ts'

const LIMIT = 2
const gate = admission(LIMIT)
/** The requests' numbers, in the order their handlers started. */
const started: number[] = []
/** Handlers waiting to answer, by request number. */
const answer = new Map<number, () => void>()
let maxActive = 0
let server: Server
let base: string

before(async () => {
  const app = express()
  app.use(gate.handler)
  app.get('/work/:n', (req, res) => {
    const n = Number(req.params.n)
    started.push(n)
    maxActive = Math.max(maxActive, gate.state().active)
    answer.set(n, () => res.send(`done ${n}`))
  })
  server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise((resolve) => server.close(resolve)))

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(check(), 'timed out waiting')
}

test('works on at most the limit at once, starts the others first come first served, and skips a request whose client left', async () => {
  const replies: Promise<string>[] = []
  const send = (n: number) => replies.push(fetch(`${base}/work/${n}`).then((r) => r.text()))
  // 1 and 2 start; 3, 4 and 5 wait, in that order.
  for (const n of [1, 2]) send(n)
  await until(() => started.length === 2)
  const leaving = new AbortController()
  send(3)
  await until(() => gate.state().waiting === 1)
  const abandoned = fetch(`${base}/work/4`, { signal: leaving.signal }).catch(() => 'aborted')
  await until(() => gate.state().waiting === 2)
  send(5)
  await until(() => gate.state().waiting === 3)
  assert.deepEqual(gate.state(), { active: 2, waiting: 3 })
  leaving.abort()
  assert.equal(await abandoned, 'aborted')
  await new Promise((resolve) => setTimeout(resolve, 50))

  answer.get(2)!()
  await until(() => started.length === 3)
  assert.deepEqual(started, [1, 2, 3])
  answer.get(1)!()
  // 4's client has gone: 5 starts in its place.
  await until(() => started.length === 4)
  assert.deepEqual(started, [1, 2, 3, 5])
  answer.get(3)!()
  answer.get(5)!()
  assert.deepEqual(await Promise.all(replies), ['done 1', 'done 2', 'done 3', 'done 5'])
  assert.equal(maxActive, LIMIT)
  await until(() => gate.state().active === 0)
  assert.deepEqual(gate.state(), { active: 0, waiting: 0 })
})
