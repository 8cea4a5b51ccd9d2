/** Input schemas for documents on a case (pages and the JSON API); the files come beside them. */
import { z } from 'zod'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { DOCUMENT_KIND } from '../../domain/records/documents.ts'
import { optionalDate, optionalText, requiredText, version } from '../common/fields-input.ts'

/** What is said of each file uploaded together: one title, kind, date and source for them all. */
export const documentDetails = z.object({
  title: requiredText('a title', 200),
  kind: z.enum(codesOf(DOCUMENT_KIND), { error: 'Select what kind of document it is' }),
  datedOn: optionalDate('the date of the document').default(null),
  receivedFrom: optionalText('who it came from', 200).default(null),
})

/** A new version of a document names the version of the document read. */
export const documentNewVersion = z.object({ version })

export type DocumentDetails = z.infer<typeof documentDetails>
export type DocumentNewVersion = z.infer<typeof documentNewVersion>
