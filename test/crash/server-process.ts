/**
 * `together serve` and other `together` commands as child processes, on a throwaway embedded data
 * directory or a throwaway PostgreSQL database, for the crash-safety tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createThrowawayPostgres } from '../support/database.ts'
import { postgresTarget } from '../../src/config.ts'
import { openDatabase, type DatabaseTarget } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { provisionUser } from '../../src/services/organisation/provisioning.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')

export interface Engine {
  name: 'PGlite' | 'PostgreSQL'
  target: DatabaseTarget
  env: Record<string, string>
  /** Runs a query on the database (with no server running, on the embedded engine). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>
  cleanup(): Promise<void>
}

export function pgliteEngine(): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'together-crash-'))
  return {
    name: 'PGlite',
    target: { kind: 'pglite', dataDir: dir },
    env: { TOGETHER_DATA_DIR: dir },
    async query<T>(text: string, params: unknown[] = []) {
      const db = await PGlite.create(dir)
      try {
        return (await db.query<T>(text, params)).rows
      } finally {
        await db.close()
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

export async function postgresEngine(serverUrl: string): Promise<Engine> {
  const throwaway = await createThrowawayPostgres(serverUrl, 'together_crash')
  return {
    name: 'PostgreSQL',
    target: postgresTarget(throwaway.url),
    env: { DATABASE_URL: throwaway.url },
    async query<T>(text: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: throwaway.url })
      await c.connect()
      try {
        return (await c.query(text, params)).rows as T[]
      } finally {
        await c.end()
      }
    },
    cleanup: throwaway.drop,
  }
}

function baseEnv(engine: Engine, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, TOGETHER_DATA_DIR: _alsoIgnored, ...base } = process.env
  return { ...base, LOG_LEVEL: 'silent', TOGETHER_DEMO: '0', TOGETHER_JOBS_INTERVAL_SECONDS: '0', ...engine.env, ...extra }
}

/** Runs one `together` command to its end. */
export function together(engine: Engine, args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { env: baseEnv(engine), input, encoding: 'utf8', timeout: 240_000 })
  return { code: r.status ?? r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** Runs one `together` command to its end without blocking this process (a write load goes on meanwhile). */
export function togetherAsync(engine: Engine, args: string[]): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: baseEnv(engine), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code: code ?? signal, stdout, stderr }))
  })
}

export interface Served {
  child: ChildProcess
  url: string
  /** Everything the process wrote to stderr so far. */
  stderr(): string
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>
}

/** Starts `together serve` on a free port and resolves once it listens. */
export async function serve(engine: Engine, extra: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env: baseEnv(engine, { LOG_LEVEL: 'error', ...extra }), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Together is running at (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    void exited.then((code) => reject(new Error(`together serve ended (${code}) before listening: ${err}`)))
  })
  return { child, url, stderr: () => err, exited }
}

export const WRITER_EMAIL = 'front.door@crash.together.invalid'

/**
 * Sets up, in this process (quicker than two commands), a partnership with a front-door
 * practitioner and an API token acting as them.
 */
export async function partnershipWithToken(engine: Engine): Promise<string> {
  const database = await openDatabase(engine.target)
  try {
    await runMigrations(database)
    const now = new Date()
    await provisionUser(
      database.db,
      {
        agencyName: 'Crashshire Council',
        agencyType: 'la-childrens-social-care',
        partnershipName: 'Crashshire Partnership',
        user: { displayName: 'Crash Tester', email: WRITER_EMAIL, roles: ['front-door-practitioner'], active: true, password: undefined },
      },
      now,
    )
    return (await createApiToken(database.db, { email: WRITER_EMAIL, name: 'crash test', now })).token
  } finally {
    await database.close()
  }
}

export type Outcome = { kind: 'acknowledged'; id: string } | { kind: 'refused'; status: number } | { kind: 'no answer'; error: string }

/** Records one person through the JSON API. */
export async function writePerson(url: string, token: string, n: number): Promise<Outcome> {
  try {
    const res = await fetch(`${url}/api/v1/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ givenName: 'Crash', familyName: `Writer${n}`, dateOfBirth: '2015-03-14', sex: 'U' }),
      signal: AbortSignal.timeout(20_000),
    })
    const body = await res.text()
    if (res.status >= 200 && res.status < 300) return { kind: 'acknowledged', id: (JSON.parse(body) as { id: string }).id }
    return { kind: 'refused', status: res.status }
  } catch (err) {
    return { kind: 'no answer', error: (err as Error).message }
  }
}

/**
 * `writers` loops writing people until `stop()`; every outcome is kept, in order of answer.
 */
export function writeLoad(url: string, token: string, writers: number) {
  const outcomes: Outcome[] = []
  let stopped = false
  let n = 0
  const loops = Array.from({ length: writers }, async () => {
    while (!stopped) outcomes.push(await writePerson(url, token, n++))
  })
  return {
    outcomes,
    acknowledged: () => outcomes.flatMap((o) => (o.kind === 'acknowledged' ? [o.id] : [])),
    /** Resolves once at least `count` writes have been acknowledged. */
    async until(count: number, timeoutMs = 120_000): Promise<void> {
      const started = Date.now()
      while (outcomes.filter((o) => o.kind === 'acknowledged').length < count) {
        if (Date.now() - started > timeoutMs) throw new Error(`fewer than ${count} writes acknowledged in ${timeoutMs} ms: ${JSON.stringify(outcomes.slice(-3))}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop(): Promise<void> {
      stopped = true
      await Promise.all(loops)
    },
  }
}
