// Shared set-up of the benchmarks that drive the real server over HTTP (journey.ts, load.ts): a
// throwaway PostgreSQL database, the server started as a child process (`node bin/together.js
// serve`, so its memory is measured apart from the load generator), its memory read from /proc,
// and signing in through the sign-in form as a browser does.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const root = fileURLToPath(new URL('..', import.meta.url))
/** One audit key for every server this process starts (production requires one), so each can verify the chain the last wrote. */
const AUDIT_KEY = randomBytes(32).toString('hex')
/** One session secret for every server this process starts, so servers on one database (behind one address) share sessions. */
const SESSION_SECRET = randomBytes(32).toString('hex')

// ---- the throwaway database

export async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export async function createThrowawayDatabase(serverUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `together_bench_${randomBytes(5).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.href, name, drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) }
}

// ---- the server, in its own process

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The database the server opens: a PostgreSQL URL, or an embedded (PGlite) data directory. */
export type ServerDatabase = string | { dataDir: string }

/**
 * The options `npm start` (package.json's start script, what an authority runs) gives node, such as
 * its heap limit, so the benchmark measures the server as it is run; BENCH_NODE_ARGS adds to them.
 */
export function startNodeArgs(): string[] {
  const start = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start
  const words = start.split(/\s+/)
  const script = words.indexOf('bin/together.js')
  if (words[0] !== 'node' || script < 0) throw new Error(`package.json's start script is not "node … bin/together.js serve": ${start}`)
  return words.slice(1, script)
}

/** The server's node options: `npm start`'s, then BENCH_NODE_ARGS (e.g. `--cpu-prof`). */
export const serverNodeArgs = (): string[] => [...startNodeArgs(), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]

/** More environment for the server, e.g. DATABASE_REPLICA_URL. */
export async function startServer(database: ServerDatabase, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    TOGETHER_DEMO: '0',
    TOGETHER_SESSION_SECRET: SESSION_SECRET,
    TOGETHER_AUDIT_KEY: process.env.TOGETHER_AUDIT_KEY ?? AUDIT_KEY,
    TOGETHER_BASE_URL: base,
    // The virtual users sign in from different (forwarded) addresses, as behind a proxy, so the
    // sign-in rate limit counts them apart.
    TOGETHER_TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  }
  if (typeof database === 'string') env.DATABASE_URL = database
  else {
    delete env.DATABASE_URL
    env.TOGETHER_DATA_DIR = database.dataDir
  }
  const child = spawn(process.execPath, [...serverNodeArgs(), 'bin/together.js', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Together is running at')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited (${code}):\n${output}`))
    })
  })
  child.stdout!.resume()
  return { child, base }
}

/** Stops a server started by startServer and waits for it to exit. */
export async function stopServer(server: { child: ChildProcess }): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.kill('SIGTERM')
  await exited
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)
    return kb ? Number(kb[1]) / 1024 : null
  } catch {
    return null
  }
}

/**
 * CPU seconds the process has used so far, user and system (/proc/<pid>/stat, Linux): the
 * difference over a run, divided by its requests, is the server's CPU per request, a figure that
 * varies far less than latency on a machine shared with other work.
 */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may hold spaces) in parentheses: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return null
  }
}

/**
 * The server's processes: `pid`, and with several workers (`together serve --workers`) its children
 * running `together` (from /proc: each child's parent and command line; Linux).
 */
export function serverProcesses(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('together.js')) children.push(Number(entry))
    } catch {
      // ended meanwhile
    }
  }
  return [pid, ...children]
}

/** Adds up a figure over processes; null when any could not be read. */
export function summed(pids: number[], figure: (pid: number) => number | null): number | null {
  let total = 0
  for (const pid of pids) {
    const v = figure(pid)
    if (v === null) return null
    total += v
  }
  return total
}

/** The kernel's clock ticks per second for /proc times (USER_HZ: 100 on Linux's usual builds). */
const CLOCK_TICKS = 100

/** The server's resident memory, from /proc (Linux). */
export const rssMiB = (pid: number): number | null => statusField(pid, 'VmRSS')

/** The most the server has ever had resident (the kernel's high-water mark), from /proc (Linux). */
export const peakRssMiB = (pid: number): number | null => statusField(pid, 'VmHWM')

// ---- signing in through the form, as a browser does

export function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const at = pair!.indexOf('=')
    jar.set(pair!.slice(0, at), pair!.slice(at + 1))
  }
}

export const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')

/** Signs in through the form from `address` (x-forwarded-for): the session's cookie header. */
export async function signIn(base: string, email: string, password: string, address: string): Promise<string> {
  const jar = new Map<string, string>()
  const headers = { 'x-forwarded-for': address }
  const form = await fetch(`${base}/sign-in`, { headers, redirect: 'manual' })
  cookiesOf(form, jar)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (!csrf) throw new Error('no CSRF token on the sign-in page')
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  })
  await res.text()
  if (res.status !== 302) throw new Error(`sign-in of ${email} answered ${res.status}`)
  cookiesOf(res, jar)
  return cookieHeader(jar)
}
