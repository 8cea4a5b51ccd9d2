// Benchmark: the server's memory while a 50 MB document is uploaded and downloaded (issue 18,
// Speed: under 64 MB of server memory for a 50 MB upload). Loads the demo partnership into a
// throwaway embedded data directory (or the PostgreSQL of --url), starts the real server as
// `npm start` runs it (its own process, so its memory is read apart from this one's), signs in as the
// demo social worker and uploads through the JSON API, sampling the server's resident memory every
// few milliseconds. The figure is the peak during the transfer above the resident memory just before
// it; baseline in the same run: the same for a 1 MB file. The download is checked byte for byte
// (SHA-256). Prints one JSON object; exits 1 if the target is missed.
//   node --import tsx bench/document-upload.ts [--mb 50] [--url postgres://…]
import { createHash } from 'node:crypto'
import { createWriteStream, openAsBlob } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { and, eq } from 'drizzle-orm'
import { openDatabase } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { childCase, person } from '../src/db/schema/index.ts'
import { londonDate } from '../src/domain/timescales/calendar/london-time.ts'
import { DEMO_USERS, seedDemo } from '../src/services/demo/demo-seed.ts'
import { createThrowawayDatabase, rssMiB, signIn, startServer, stopServer } from './server-harness.ts'
import { machine } from './timed-command.ts'

const { values: args } = parseArgs({ options: { mb: { type: 'string', default: '50' }, url: { type: 'string' } } })
const MB = Number(args.mb)
const TARGET_MIB = 64
const PASSWORD = 'bench-demo-password-1'
const log = (message: string) => process.stderr.write(`${message}\n`)

/** A PDF-headed file of `mb` MiB of pseudo-random bytes, written in 1 MiB pieces. */
async function makeFile(path: string, mb: number): Promise<string> {
  const hash = createHash('sha256')
  async function* pieces() {
    let seed = 1
    for (let i = 0; i < mb; i++) {
      const piece = Buffer.alloc(1024 * 1024)
      for (let j = 0; j < piece.length; j += 4) piece.writeUInt32LE((seed = (seed * 1103515245 + 12345) >>> 0), j)
      if (i === 0) piece.write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 0, 'latin1')
      if (i === mb - 1) piece.write('\n%%EOF\n', piece.length - 7, 'latin1')
      hash.update(piece)
      yield piece
    }
  }
  await pipeline(Readable.from(pieces()), createWriteStream(path))
  return hash.digest('hex')
}

/** Samples the server's resident memory until stopped: the peak seen. */
function sampler(pid: number) {
  let peak = rssMiB(pid) ?? 0
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid) ?? 0)), 5)
  return { stop: () => (clearInterval(timer), Math.max(peak, rssMiB(pid) ?? 0)) }
}

const work = await mkdtemp(join(tmpdir(), 'together-bench-upload-'))
const throwaway = args.url ? await createThrowawayDatabase(args.url) : null
const database = throwaway ? throwaway.url : { dataDir: join(work, 'data') }
let server: Awaited<ReturnType<typeof startServer>> | null = null
try {
  log('loading the demo partnership…')
  const db = await openDatabase(typeof database === 'string' ? { kind: 'postgres', url: database } : { kind: 'pglite', dataDir: database.dataDir })
  let caseId: string
  try {
    await runMigrations(db)
    await seedDemo(db.db, PASSWORD, londonDate(new Date()), new Date())
    const [row] = await db.db
      .select({ id: childCase.id })
      .from(childCase)
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(and(eq(person.givenName, 'Eve'), eq(person.familyName, 'Pretendson')))
    caseId = row!.id
  } finally {
    await db.close()
  }
  server = await startServer(database)
  const pid = server.child.pid!
  const worker = DEMO_USERS.find((u) => u.role === 'social-worker')!
  const cookie = await signIn(server.base, worker.email, PASSWORD, '198.51.100.1')
  const me = (await (await fetch(`${server.base}/api/v1/me`, { headers: { cookie } })).json()) as { csrfToken: string }
  const headers = { cookie, 'x-csrf-token': me.csrfToken, 'x-forwarded-for': '198.51.100.1' }

  async function transfer(mb: number) {
    const file = join(work, `report-${mb}.pdf`)
    const sha256 = await makeFile(file, mb)
    const form = new FormData()
    for (const [k, v] of Object.entries({ title: `A ${mb} MB report (fictional)`, kind: 'report-from-partner', datedOn: '', receivedFrom: '' })) form.append(k, v)
    form.append('files', await openAsBlob(file, { type: 'application/pdf' }), `report-${mb}.pdf`)
    // Settle, then read the memory the transfer starts from.
    await new Promise((r) => setTimeout(r, 500))
    const before = rssMiB(pid)!
    const up = sampler(pid)
    const started = performance.now()
    const res = await fetch(`${server!.base}/api/v1/cases/${caseId}/documents`, { method: 'POST', headers, body: form })
    const body = (await res.json()) as { documents?: { id: string; versions: { id: string; sha256: string }[] }[] }
    const uploadMs = Math.round(performance.now() - started)
    const uploadPeak = up.stop()
    if (res.status !== 201) throw new Error(`the upload answered ${res.status}: ${JSON.stringify(body)}`)
    const doc = body.documents![0]!
    if (doc.versions[0]!.sha256 !== sha256) throw new Error('the stored SHA-256 differs from the file sent')

    await new Promise((r) => setTimeout(r, 500))
    const beforeDownload = rssMiB(pid)!
    const down = sampler(pid)
    const t = performance.now()
    const got = await fetch(`${server!.base}/api/v1/cases/${caseId}/documents/${doc.id}/versions/${doc.versions[0]!.id}`, { headers })
    const hash = createHash('sha256')
    for await (const chunk of got.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk)
    const downloadMs = Math.round(performance.now() - t)
    const downloadPeak = down.stop()
    if (got.status !== 200 || hash.digest('hex') !== sha256) throw new Error(`the download (${got.status}) is not the file uploaded`)
    await rm(file, { force: true })
    return {
      mb,
      upload: { ms: uploadMs, rssBeforeMiB: Math.round(before), peakMiB: Math.round(uploadPeak), aboveMiB: Math.round(uploadPeak - before) },
      download: { ms: downloadMs, rssBeforeMiB: Math.round(beforeDownload), peakMiB: Math.round(downloadPeak), aboveMiB: Math.round(downloadPeak - beforeDownload) },
    }
  }

  log('warming up with a 1 MB file…')
  await transfer(1)
  const baseline = await transfer(1)
  log(`uploading ${MB} MB…`)
  const large = await transfer(MB)
  const worst = Math.max(large.upload.aboveMiB, large.download.aboveMiB)
  const result = {
    benchmark: 'document-upload',
    engine: throwaway ? 'postgres' : 'pglite',
    target: { aboveMiB: TARGET_MIB },
    met: worst < TARGET_MIB,
    large,
    baseline,
    machine: machine(),
  }
  console.log(JSON.stringify(result, null, 2))
  process.exitCode = result.met ? 0 : 1
} finally {
  if (server) await stopServer(server)
  await throwaway?.drop()
  await rm(work, { recursive: true, force: true })
}
