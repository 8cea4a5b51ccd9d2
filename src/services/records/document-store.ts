/**
 * Where a document version's bytes live (docs/documents.md, "Storage"): one interface, two stores.
 *
 * - `database`: 256 KiB chunks in document_chunk, in the same transaction as the version (the
 *   default: backups and both engines just work).
 * - `s3`: one object per version in an S3-compatible bucket (TOGETHER_S3_*), streamed up with
 *   lib-storage's multipart Upload (at most partSize × queueSize bytes in memory) and streamed
 *   down from the object's body; put with server-side encryption (AES256). The key is
 *   `<partnership id>/<version id>`: no personal data.
 *
 * New versions go to the configured store; each version records where its bytes went
 * (document_version.storage, object_key), and is read from there, so switching the setting never
 * loses a file: versions kept in the database stay readable with S3 on.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { documentChunk, documentVersion } from '../../db/schema/index.ts'
import { DOCUMENT_CHUNK_BYTES } from '../../domain/records/documents.ts'

export type StorageKind = 'database' | 's3'

/** Where one version's bytes are, as its row records it. */
export interface StoredVersion {
  id: string
  partnershipId: string
  storage: string
  objectKey: string | null
}

export interface DocumentStore {
  readonly kind: StorageKind
  /** The object key a new version will have in this store (null in the database). */
  keyFor(partnershipId: string, versionId: string): string | null
  /** Writes the version's bytes in order (its row already inserted in `tx`), never holding them all at once. */
  write(tx: Db, at: StoredVersion, bytes: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void>
  /** The version's bytes, piece by piece. */
  read(db: Db, at: StoredVersion): AsyncGenerator<Buffer>
  /** Removes the version's bytes; answers how many chunks or objects went. */
  remove(db: Db, at: StoredVersion): Promise<number>
}

/** The S3-compatible object store's settings (src/config.ts, TOGETHER_S3_*). */
export interface ObjectStoreSettings {
  bucket: string
  region: string
  endpoint: string | undefined
  forcePathStyle: boolean
  /** Both or neither: without them the SDK's default credential chain (e.g. an instance role) is used. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined
}

/** A version is stored in one place or another; a store of the other kind cannot read it. */
export class StoreNotConfigured extends Error {
  override name = 'StoreNotConfigured'
}

export const databaseStore: DocumentStore = {
  kind: 'database',
  keyFor: () => null,
  async write(tx, at, bytes) {
    let seq = 0
    let pending: Buffer[] = []
    let pendingBytes = 0
    const flush = async (size: number) => {
      const all = Buffer.concat(pending, pendingBytes)
      await tx.insert(documentChunk).values({ partnershipId: at.partnershipId, versionId: at.id, seq: seq++, data: all.subarray(0, size) })
      const rest = all.subarray(size)
      pending = rest.length > 0 ? [rest] : []
      pendingBytes = rest.length
    }
    for await (const piece of bytes) {
      pending.push(piece)
      pendingBytes += piece.length
      while (pendingBytes >= DOCUMENT_CHUNK_BYTES) await flush(DOCUMENT_CHUNK_BYTES)
    }
    if (pendingBytes > 0) await flush(pendingBytes)
  },
  async *read(db, at) {
    for (let seq = 0; ; seq++) {
      const [chunk] = await db
        .select({ data: documentChunk.data })
        .from(documentChunk)
        .where(and(eq(documentChunk.versionId, at.id), eq(documentChunk.seq, seq)))
      if (!chunk) return
      yield chunk.data
    }
  },
  async remove(db, at) {
    const gone = await db.delete(documentChunk).where(and(eq(documentChunk.partnershipId, at.partnershipId), eq(documentChunk.versionId, at.id))).returning({ seq: documentChunk.seq })
    return gone.length
  },
}

/** The part size of a multipart upload (S3's minimum) and how many parts are in flight: at most 10 MiB held. */
const PART_BYTES = 5 * 1024 * 1024
const PARTS_IN_FLIGHT = 2

/** The AWS SDK, loaded on the first use of the store (it is large; most processes never need it). */
const awsSdk = () => Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')])

export function s3Store(settings: ObjectStoreSettings): DocumentStore {
  let made: Promise<S3Client> | undefined
  const s3 = () =>
    (made ??= awsSdk().then(
      ([{ S3Client }]) =>
        new S3Client({
          region: settings.region,
          endpoint: settings.endpoint,
          forcePathStyle: settings.forcePathStyle,
          credentials: settings.credentials,
          // Checksums only where S3 requires them: other S3-compatible stores do not all take the newer trailers.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
    ))
  const keyOf = (at: StoredVersion) => {
    if (!at.objectKey) throw new Error(`document version ${at.id} has no object key`)
    return at.objectKey
  }
  return {
    kind: 's3',
    keyFor: (partnershipId, versionId) => `${partnershipId}/${versionId}`,
    async write(_tx, at, bytes) {
      const [, { Upload }] = await awsSdk()
      const upload = new Upload({
        client: await s3(),
        params: { Bucket: settings.bucket, Key: keyOf(at), Body: Readable.from(bytes), ServerSideEncryption: 'AES256', ContentType: 'application/octet-stream' },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      })
      await upload.done()
    },
    async *read(_db, at) {
      const [{ GetObjectCommand }] = await awsSdk()
      const got = await (await s3()).send(new GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(at) }))
      for await (const piece of got.Body as AsyncIterable<Uint8Array>) yield Buffer.isBuffer(piece) ? piece : Buffer.from(piece)
    },
    async remove(_db, at) {
      // Deleting a key that is already gone succeeds, so an erasure tried again completes.
      const [{ DeleteObjectCommand }] = await awsSdk()
      await (await s3()).send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: keyOf(at) }))
      return 1
    },
  }
}

const stores = new WeakMap<ObjectStoreSettings, DocumentStore>()

/** The object store of a configuration (one client per configuration), or null when none is configured. */
export function objectStoreFor(settings: ObjectStoreSettings | null): DocumentStore | null {
  if (!settings) return null
  let store = stores.get(settings)
  if (!store) stores.set(settings, (store = s3Store(settings)))
  return store
}

/** Where new versions go: the object store when one is configured, otherwise the database. */
export function storeForNew(objectStore: DocumentStore | null | undefined): DocumentStore {
  return objectStore ?? databaseStore
}

/** The store a version's bytes are in, as its row says; an S3 version without the object store configured cannot be reached. */
export function storeOf(objectStore: DocumentStore | null | undefined, at: StoredVersion): DocumentStore {
  if (at.storage === 'database') return databaseStore
  if (at.storage === 's3' && objectStore?.kind === 's3') return objectStore
  throw new StoreNotConfigured(`document version ${at.id} is kept in the object store, and TOGETHER_S3_BUCKET is not set`)
}

/** A version's bytes, read from wherever its row says they are. */
export function bytesOf(db: Db, objectStore: DocumentStore | null | undefined, at: StoredVersion): AsyncGenerator<Buffer> {
  return storeOf(objectStore, at).read(db, at)
}

/**
 * Inserts a version's row (its id chosen here, so its object key is known) and writes its bytes to
 * the store new versions go to; the placement is pushed onto `stored` (removingObjectsOnFailure).
 */
export async function insertVersion(
  tx: Db,
  objectStore: DocumentStore | null | undefined,
  values: Omit<typeof documentVersion.$inferInsert, 'id' | 'storage' | 'objectKey'> & { partnershipId: string },
  bytes: AsyncIterable<Buffer> | Iterable<Buffer>,
  stored: StoredVersion[],
): Promise<typeof documentVersion.$inferSelect> {
  const store = storeForNew(objectStore)
  const id = randomUUID()
  const [row] = await tx
    .insert(documentVersion)
    .values({ ...values, id, storage: store.kind, objectKey: store.keyFor(values.partnershipId, id) })
    .returning()
  stored.push(row!)
  await store.write(tx, row!, bytes)
  return row!
}

/**
 * Runs `work`, which stores versions (each placement pushed onto the list it is given); when it
 * fails, the objects already put are removed again, so a refused or rolled-back upload leaves no
 * file in the bucket (chunks in the database go with the transaction).
 */
export async function removingObjectsOnFailure<T>(db: Db, objectStore: DocumentStore | null | undefined, work: (stored: StoredVersion[]) => Promise<T>): Promise<T> {
  const stored: StoredVersion[] = []
  try {
    return await work(stored)
  } catch (err) {
    for (const at of stored) {
      if (at.storage === 's3' && objectStore) await objectStore.remove(db, at).catch(() => undefined)
    }
    throw err
  }
}
