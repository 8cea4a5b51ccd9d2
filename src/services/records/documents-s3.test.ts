/**
 * Documents kept in an S3-compatible object store (docs/documents.md, "Storage"): the document
 * services against s3rver, an S3 server started in this process on a loopback port and a temporary
 * directory. Uploads stream up as a multipart upload with server-side encryption and come back byte
 * for byte; each version records where it is, so a version kept in the database stays readable
 * with the object store on; a failed upload leaves no object; erasure deletes the object; the
 * rescan job reads pending versions from the store. And TOGETHER_S3_* is checked at start.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { downloadBytes, fileWriter, PDF, sha256 } from '../../../test/support/documents.ts'
import { documentChunk, documentVersion } from '../../db/schema/index.ts'
import { ConfigError, loadConfig } from '../../config.ts'
import type { ServiceContext } from '../common/context.ts'
import { ScannerUnavailable, type VirusScanner } from './clamd.ts'
import { objectStoreFor, s3Store, StoreNotConfigured, type DocumentStore, type ObjectStoreSettings } from './document-store.ts'
import { documentDetails } from './documents-input.ts'
import { addDocumentVersion, rescanPendingVersions, uploadDocuments } from './documents.ts'
import { eraseDocument } from './erasure-scrub.ts'

const BUCKET = 'together-documents'
let database: TestDatabase
let world: World
let dir: string
let s3rver: S3rver
let settings: ObjectStoreSettings
let store: DocumentStore
let client: S3Client
/** The headers of every request s3rver was sent. */
const requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = []

before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'documents-s3-test-'))
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: BUCKET, configs: [] }] })
  const { port } = await s3rver.run()
  s3rver.httpServer.prependListener('request', (req) => requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers }))
  settings = { bucket: BUCKET, region: 'eu-west-2', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
  store = s3Store(settings)
  client = new S3Client({ region: settings.region, endpoint: settings.endpoint, forcePathStyle: true, credentials: settings.credentials })
})
after(async () => {
  client?.destroy()
  await s3rver?.close()
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const file = fileWriter(() => dir)
const details = () => documentDetails.parse({ title: 'Report from the fictional school', kind: 'report-from-partner', datedOn: '2026-11-01', receivedFrom: 'Hill Primary' })

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const ctx = world.ctx(worker)
  return { worker, caseId, ctx, s3: { ...ctx, objectStore: store } satisfies ServiceContext }
}

const download = downloadBytes

async function objectExists(key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))
    return true
  } catch (err) {
    if ((err as { name?: string }).name === 'NotFound') return false
    throw err
  }
}

async function versionRow(id: string) {
  const [v] = await database.db.select().from(documentVersion).where(eq(documentVersion.id, id))
  return v!
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

describe('documents in the object store', () => {
  test('a 12 MB file streams up as an encrypted multipart upload under a key of ids, none in the database, and comes back byte for byte', async () => {
    const { caseId, s3 } = await allocatedCase()
    const bytes = Buffer.concat([PDF(), randomBytes(12 * 1024 * 1024 + 12_345)])
    const seen = requests.length
    const [doc] = await uploadDocuments(s3, caseId, details(), [await file('big.pdf', bytes)])
    const v = await versionRow(doc!.versions[0]!.id)
    assert.deepEqual([v.storage, v.sizeBytes, v.sha256], ['s3', bytes.length, sha256(bytes)])
    assert.equal(v.objectKey, `${world.partnershipId}/${v.id}`)
    assert.match(v.objectKey!, new RegExp(`^${UUID}/${UUID}$`), 'ids only: no name, no title')
    assert.equal((await database.db.select().from(documentChunk).where(eq(documentChunk.versionId, v.id))).length, 0)
    assert.ok(await objectExists(v.objectKey!))
    const sent = requests.slice(seen)
    const start = sent.find((r) => r.method === 'POST' && r.url.includes('uploads'))
    assert.ok(start, `a multipart upload: ${sent.map((r) => `${r.method} ${r.url}`).join(', ')}`)
    assert.equal(start.headers['x-amz-server-side-encryption'], 'AES256')
    assert.ok(sent.filter((r) => r.method === 'PUT' && r.url.includes('partNumber=')).length >= 3, 'in parts of 5 MiB')

    const got = await download(s3, caseId, doc!.id, v.id)
    assert.ok(got.bytes.equals(bytes), 'the same bytes')
    assert.equal(sha256(got.bytes), got.sha256)
    assert.deepEqual([got.fileName, got.contentType, got.sizeBytes], ['big.pdf', 'application/pdf', bytes.length])
  })

  test('a small file is one encrypted put; a new version is stored beside it and both read back', async () => {
    const { caseId, s3 } = await allocatedCase()
    const seen = requests.length
    const [doc] = await uploadDocuments(s3, caseId, details(), [await file('one.pdf', PDF('first'))])
    const put = requests.slice(seen).find((r) => r.method === 'PUT')
    assert.equal(put?.headers['x-amz-server-side-encryption'], 'AES256')
    const after = await addDocumentVersion(s3, caseId, doc!.id, { version: doc!.version }, await file('two.pdf', PDF('second')))
    assert.deepEqual(after.versions.map((v) => [v.number, v.storage]), [[2, 's3'], [1, 's3']])
    assert.ok((await download(s3, caseId, doc!.id, after.versions[0]!.id)).bytes.equals(PDF('second')))
    assert.ok((await download(s3, caseId, doc!.id, after.versions[1]!.id)).bytes.equals(PDF('first')))
  })

  test('a version kept in the database still reads with the object store on; one in the store cannot be read without it', async () => {
    const { caseId, ctx, s3 } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('old.pdf', PDF('kept in the database'))])
    assert.equal(doc!.versions[0]!.storage, 'database')
    const after = await addDocumentVersion(s3, caseId, doc!.id, { version: doc!.version }, await file('new.pdf', PDF('kept in the bucket')))
    const [v2, v1] = after.versions
    assert.deepEqual([v2!.storage, v1!.storage], ['s3', 'database'])
    assert.ok((await download(s3, caseId, doc!.id, v1!.id)).bytes.equals(PDF('kept in the database')))
    assert.ok((await download(s3, caseId, doc!.id, v2!.id)).bytes.equals(PDF('kept in the bucket')))
    await assert.rejects(download(ctx, caseId, doc!.id, v2!.id), StoreNotConfigured)
  })

  test('an upload that fails after a file was put leaves no object behind', async () => {
    const { caseId, s3 } = await allocatedCase()
    let writes = 0
    const failing: DocumentStore = {
      ...store,
      async write(tx, at, bytes) {
        await store.write(tx, at, bytes)
        if (++writes === 2) throw new Error('the connection dropped')
      },
    }
    const before = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${world.partnershipId}/` }))
    await assert.rejects(uploadDocuments({ ...s3, objectStore: failing }, caseId, details(), [await file('a.pdf', PDF('a')), await file('b.pdf', PDF('b'))]), /connection dropped/)
    const afterwards = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${world.partnershipId}/` }))
    assert.equal(afterwards.KeyCount, before.KeyCount, 'both objects removed again')
  })

  test('erasure deletes the objects and the chunks; without the store configured it refuses, leaving everything', async () => {
    const { caseId, ctx, s3 } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('old.pdf', PDF('one'))])
    const after = await addDocumentVersion(s3, caseId, doc!.id, { version: doc!.version }, await file('new.pdf', PDF('two')))
    const key = (await versionRow(after.versions[0]!.id)).objectKey!
    await assert.rejects(database.db.transaction((tx) => eraseDocument(tx, world.partnershipId, doc!.id, null)), StoreNotConfigured)
    assert.ok(await objectExists(key))
    assert.equal((await database.db.select().from(documentChunk).where(eq(documentChunk.versionId, after.versions[1]!.id))).length, 1)

    const erased = await database.db.transaction((tx) => eraseDocument(tx, world.partnershipId, doc!.id, store))
    assert.deepEqual(erased, { documents: 1, documentVersions: 2, documentChunks: 1, documentObjects: 1 })
    assert.equal(await objectExists(key), false)
    assert.equal((await database.db.select().from(documentChunk).where(eq(documentChunk.versionId, after.versions[1]!.id))).length, 0)
  })

  test('the rescan job reads a pending version from the store; a process without the store leaves it pending', async () => {
    const { caseId, s3 } = await allocatedCase()
    const unavailable: VirusScanner = {
      description: 'a scanner that never answers',
      ping: async () => undefined,
      scan: async () => {
        throw new ScannerUnavailable('clamd did not answer')
      },
    }
    const bytes = PDF('scanned later')
    const [doc] = await uploadDocuments({ ...s3, scanner: unavailable }, caseId, details(), [await file('later.pdf', bytes)])
    const id = doc!.versions[0]!.id
    assert.equal((await versionRow(id)).scanStatus, 'pending')
    let scanned: Buffer | null = null
    const scanner: VirusScanner = {
      description: 'a scanner that finds nothing',
      ping: async () => undefined,
      scan: async (stream) => {
        const parts: Buffer[] = []
        for await (const p of stream) parts.push(Buffer.from(p))
        scanned = Buffer.concat(parts)
        return { infected: false }
      },
    }
    await rescanPendingVersions(database.db, scanner, new Date(), null, 1000)
    assert.equal((await versionRow(id)).scanStatus, 'pending', 'not picked without the store')
    await rescanPendingVersions(database.db, scanner, new Date(), store, 1000)
    assert.equal((await versionRow(id)).scanStatus, 'clean')
    assert.ok(scanned && (scanned as Buffer).equals(bytes), 'scanned from the object')
  })
})

describe('TOGETHER_S3_* settings', () => {
  const base = { TOGETHER_S3_BUCKET: 'together-documents', TOGETHER_S3_REGION: 'eu-west-2' }
  test('the bucket turns the store on; endpoint, path style and keys are taken', () => {
    assert.equal(loadConfig({}).objectStore, null)
    const config = loadConfig({ ...base, TOGETHER_S3_ENDPOINT: 'http://127.0.0.1:9000', TOGETHER_S3_FORCE_PATH_STYLE: '1', TOGETHER_S3_ACCESS_KEY_ID: 'fictional-key', TOGETHER_S3_SECRET_ACCESS_KEY: 'fictional-secret' })
    assert.deepEqual(config.objectStore, {
      bucket: 'together-documents',
      region: 'eu-west-2',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'fictional-key', secretAccessKey: 'fictional-secret' },
    })
    assert.equal(loadConfig(base).objectStore!.credentials, undefined, 'the default credential chain')
    assert.equal(objectStoreFor(config.objectStore)?.kind, 's3')
    assert.equal(objectStoreFor(config.objectStore), objectStoreFor(config.objectStore), 'one client per configuration')
  })

  test('an incomplete setting is a clear error at start', () => {
    const refused = (env: NodeJS.ProcessEnv, message: RegExp) => assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message))
    refused({ TOGETHER_S3_BUCKET: 'together-documents' }, /TOGETHER_S3_REGION must be set/)
    refused({ TOGETHER_S3_ENDPOINT: 'http://127.0.0.1:9000', TOGETHER_S3_REGION: 'eu-west-2' }, /TOGETHER_S3_ENDPOINT, TOGETHER_S3_REGION are set, so TOGETHER_S3_BUCKET must be set/)
    refused({ ...base, TOGETHER_S3_ACCESS_KEY_ID: 'fictional-key' }, /both TOGETHER_S3_ACCESS_KEY_ID and TOGETHER_S3_SECRET_ACCESS_KEY/)
    refused({ ...base, TOGETHER_S3_ENDPOINT: 'not a url' }, /TOGETHER_S3_ENDPOINT/)
  })
})
