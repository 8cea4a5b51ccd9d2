/** Input schemas for letter templates and letters (pages and the JSON API). */
import { z } from 'zod'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { LETTER_KIND, LETTER_LANGUAGE, LETTER_POSTAGE } from '../../domain/records/letters.ts'
import { requiredText, version } from '../common/fields-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)

export const letterTemplateInput = z.object({
  kind: z.enum(codesOf(LETTER_KIND), { error: 'Select what kind of letter it is' }),
  language: z.enum(codesOf(LETTER_LANGUAGE), { error: 'Select the language of the letter' }),
  title: requiredText('a title', 200),
  body: requiredText('the words of the letter', 20_000),
})

export const letterTemplateChange = letterTemplateInput.extend({ version })

/** Which template, about which record, to whom: what the worker picks before the merged letter is shown. */
export const letterChoice = z.object({
  templateId: z.uuid({ error: 'Select a template' }),
  /** A conference or contact of the case, for the kinds that are about one. */
  aboutId: z.preprocess(blankToNull, z.uuid({ error: 'Select the record the letter is about' }).nullable()).default(null),
  /** 'person:<id>' (a person of the family network with an address), 'referrer:<contact id>', or 'other' (typed in). */
  recipient: z.string({ error: 'Select who the letter is to' }).trim().regex(/^(person:[0-9a-f-]{36}|referrer:[0-9a-f-]{36}|other)$/i, 'Select who the letter is to'),
})

/** The letter as the worker left it, to make into a PDF. */
export const letterProduce = letterChoice.extend({
  title: requiredText('a title', 200),
  body: requiredText('the words of the letter', 20_000),
  /** The name and address, one line each (or commas between). */
  address: requiredText('the name and address', 1000),
})

export const letterSend = z.object({
  postage: z.enum(codesOf(LETTER_POSTAGE), { error: 'Select first or second class' }).default('second'),
  /** A new key for each form shown: the same key twice is the same click. */
  idempotencyKey: z.uuid({ error: 'The form is out of date: open the letter again' }),
})

export const letterPrint = z.object({ version })

export type LetterTemplateInput = z.infer<typeof letterTemplateInput>
export type LetterTemplateChange = z.infer<typeof letterTemplateChange>
export type LetterChoice = z.infer<typeof letterChoice>
export type LetterProduce = z.infer<typeof letterProduce>
export type LetterSend = z.infer<typeof letterSend>
