/** What the document services' tests share: files written to a temporary directory, a small PDF, reading a download back. */
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServiceContext } from '../../src/services/common/context.ts'
import { downloadDocumentVersion, type UploadedFile } from '../../src/services/records/documents.ts'

/** Writes each file it is given into `dir()` under a name of its own, as an upload would leave it. */
export function fileWriter(dir: () => string): (name: string, bytes: Buffer | string) => Promise<UploadedFile> {
  let n = 0
  return async (name, bytes) => {
    const path = join(dir(), `f${n++}`)
    await writeFile(path, bytes)
    return { name, path }
  }
}

/** A small PDF (enough for the type to be detected), its body varying with `body`. */
export const PDF = (body = '') => Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n${body}\n%%EOF\n`)

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Downloads a version through the service and reads all its bytes. */
export async function downloadBytes(ctx: ServiceContext, caseId: string, documentId: string, versionId: string) {
  const d = await downloadDocumentVersion(ctx, caseId, documentId, versionId)
  const parts: Buffer[] = []
  for await (const c of d.chunks()) parts.push(c)
  return { ...d, bytes: Buffer.concat(parts) }
}
