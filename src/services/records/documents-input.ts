/** Input schemas for documents on a case (pages and the JSON API); the files come beside them. */
import { z } from 'zod'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { DOCUMENT_MAX_BYTES, DOCUMENT_RECORD_KIND } from '../../domain/records/documents.ts'
import { optionalDate, optionalText, requiredText, version } from '../common/fields-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)

/**
 * What is said of each file uploaded together: one title, kind, date and source for them all, and
 * the record of the case they are about (none: the case as a whole). The kind is checked against
 * the partnership's kinds in use by the service.
 */
export const documentDetails = z
  .object({
    title: requiredText('a title', 200),
    kind: z.string({ error: 'Select what kind of document it is' }).trim().min(1, 'Select what kind of document it is'),
    datedOn: optionalDate('the date of the document').default(null),
    receivedFrom: optionalText('who it came from', 200).default(null),
    recordKind: z.preprocess(blankToNull, z.enum(codesOf(DOCUMENT_RECORD_KIND), { error: 'Select a record of this case' }).nullable()).default(null),
    recordId: z.preprocess(blankToNull, z.uuid({ error: 'Select a record of this case' }).nullable()).default(null),
  })
  .refine((d) => (d.recordKind === null) === (d.recordId === null), { path: ['recordId'], message: 'Give both the kind and the id of the record the document is about, or neither' })

/** What a document on a case is about, changed afterwards: a record of the case (both) or the case as a whole (neither), at the version read. */
export const documentAbout = z
  .object({
    recordKind: z.preprocess(blankToNull, z.enum(codesOf(DOCUMENT_RECORD_KIND), { error: 'Select a record of this case' }).nullable()).default(null),
    recordId: z.preprocess(blankToNull, z.uuid({ error: 'Select a record of this case' }).nullable()).default(null),
    version,
  })
  .refine((d) => (d.recordKind === null) === (d.recordId === null), { path: ['recordId'], message: 'Give both the kind and the id of the record the document is about, or neither' })

/** A new version of a document names the version of the document read. */
export const documentNewVersion = z.object({ version })

const MAX_MB = DOCUMENT_MAX_BYTES / (1024 * 1024)

/** The largest file of a kind, in whole megabytes (at most the upload's own limit). */
const maxMegabytes = z.coerce
  .number({ error: `Enter the largest file size in megabytes, from 1 to ${MAX_MB}` })
  .int(`Enter the largest file size as a whole number of megabytes, from 1 to ${MAX_MB}`)
  .min(1, `Enter the largest file size in megabytes, from 1 to ${MAX_MB}`)
  .max(MAX_MB, `The largest file size can be at most ${MAX_MB} MB`)

/** A kind of document the partnership adds. */
export const documentKindInput = z.object({
  label: requiredText('the name of the kind', 100),
  maxMegabytes,
})

/** A change to a kind: its name, its limit, whether it is in use, at the version read. */
export const documentKindChange = documentKindInput.extend({
  active: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'Select whether the kind is in use' })),
  version,
})

export type DocumentDetails = z.infer<typeof documentDetails>
export type DocumentNewVersion = z.infer<typeof documentNewVersion>
export type DocumentAbout = z.infer<typeof documentAbout>
export type DocumentKindInput = z.infer<typeof documentKindInput>
export type DocumentKindChange = z.infer<typeof documentKindChange>
