/**
 * Letters (issue 18 §2): the kinds of letter a partnership keeps templates for, the merge fields a
 * template may use (GOV.UK Notify's `((field))` placeholder syntax), merging, the recipient's
 * address as GOV.UK Notify takes it, and the page geometry of a precompiled letter. No I/O: the
 * services read the record and make the PDF.
 */
import type { Code } from '../journey/dfe-codes.ts'

export const LETTER_KIND = [
  { code: 'conference-invitation', label: 'Invitation to a child protection conference' },
  { code: 'conference-outcome', label: 'Conference outcome to parents' },
  { code: 'referrer-feedback', label: 'Feedback to a referrer' },
  { code: 'letter-before-proceedings', label: 'Letter before proceedings' },
  { code: 'other', label: 'Other letter' },
] as const satisfies readonly Code[]

export type LetterKind = (typeof LETTER_KIND)[number]['code']

export const LETTER_LANGUAGE = [
  { code: 'en', label: 'English' },
  { code: 'cy', label: 'Welsh (Cymraeg)' },
] as const satisfies readonly Code[]

export type LetterLanguage = (typeof LETTER_LANGUAGE)[number]['code']

/** The record a letter of each kind is about, besides the case: a conference, a contact, or none. */
export const LETTER_KIND_RECORD: Record<LetterKind, 'conference' | 'contact' | null> = {
  'conference-invitation': 'conference',
  'conference-outcome': 'conference',
  'referrer-feedback': 'contact',
  'letter-before-proceedings': null,
  other: null,
}

/** The fields a template may name, with what each is filled with. */
export const MERGE_FIELDS = [
  { code: 'child name', label: 'The child’s full name' },
  { code: 'child first name', label: 'The child’s first name' },
  { code: 'family name', label: 'The child’s family name (surname)' },
  { code: 'parent names', label: 'The names of the child’s parents and carers with parental responsibility, “ and ” between the last two' },
  { code: 'recipient name', label: 'The name of the person the letter is to' },
  { code: 'address', label: 'The recipient’s address, on one line' },
  { code: 'meeting date', label: 'The conference’s date (“Tuesday 3 March 2026”)' },
  { code: 'meeting time', label: 'The conference’s start time (“10:30am”)' },
  { code: 'meeting venue', label: 'Where the conference meets' },
  { code: 'worker name', label: 'The allocated social worker’s name (or yours, when none is allocated)' },
  { code: 'team name', label: 'The worker’s team' },
  { code: 'today', label: 'Today’s date' },
  { code: 'authority name', label: 'The local authority’s (partnership’s) name' },
] as const satisfies readonly Code[]

export type MergeField = (typeof MERGE_FIELDS)[number]['code']

export type MergeValues = Partial<Record<MergeField, string | null>>

const PLACEHOLDER = /\(\(([^()]*)\)\)/g

/** How a placeholder's name is compared: lower case, spaces collapsed ("Child  Name" is "child name"). */
export const normaliseField = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

/** The placeholders a text names, each once, in the order first named, as written. */
export function placeholdersOf(text: string): string[] {
  const seen = new Map<string, string>()
  for (const m of text.matchAll(PLACEHOLDER)) {
    const key = normaliseField(m[1]!)
    if (!seen.has(key)) seen.set(key, m[1]!.trim())
  }
  return [...seen.values()]
}

const KNOWN = new Set<string>(MERGE_FIELDS.map((f) => f.code))

/** The placeholders a template names that are not merge fields, as written. */
export function unknownPlaceholders(text: string): string[] {
  return placeholdersOf(text).filter((p) => !KNOWN.has(normaliseField(p)))
}

/** A field error naming every unknown placeholder, or null. */
export function placeholderProblem(text: string): string | null {
  const unknown = unknownPlaceholders(text)
  if (unknown.length === 0) return null
  const names = unknown.map((p) => `((${p}))`).join(', ')
  return `${unknown.length === 1 ? 'This placeholder is' : 'These placeholders are'} not a field Together can fill in: ${names}. Use only the fields listed`
}

/**
 * Fills the placeholders with the values; a field with no value (a conference with no venue
 * recorded) is left as its placeholder, for the worker to write in before the letter is made.
 */
export function mergeLetter(text: string, values: MergeValues): { text: string; unfilled: string[] } {
  const unfilled = new Set<string>()
  const merged = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[normaliseField(name) as MergeField]
    if (value === undefined || value === null || value.trim() === '') {
      unfilled.add(name.trim())
      return whole
    }
    return value
  })
  return { text: merged, unfilled: [...unfilled] }
}

/** "Ann, Bob and Cath". */
export function namesList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** GOV.UK Notify: an address has 3 to 7 lines (the name first); the last is a UK postcode or a country. */
export const ADDRESS_MIN_LINES = 3
export const ADDRESS_MAX_LINES = 7
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i

/** The lines of an address as typed (one a line, or commas), blank lines dropped. */
export function addressLines(text: string): string[] {
  return text
    .split(/\r?\n|,/)
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '')
}

/** Why an address (with the recipient's name as its first line) cannot go in the post, or null. */
export function addressProblem(lines: readonly string[]): string | null {
  if (lines.length < ADDRESS_MIN_LINES) return `Enter the name and address on at least ${ADDRESS_MIN_LINES} lines (the name, the street, the postcode)`
  if (lines.length > ADDRESS_MAX_LINES) return `The name and address must fit on ${ADDRESS_MAX_LINES} lines; it has ${lines.length}`
  const last = lines.at(-1)!
  if (!UK_POSTCODE.test(last) && /\d/.test(last)) return `The last line of the address must be a UK postcode or a country: “${last}” is neither`
  return null
}

/** A person's address as held (one line with commas, the postcode apart) as letter lines. */
export function addressAsLines(name: string, address: string | null, postcode: string | null): string[] {
  const lines = [name, ...addressLines(address ?? '')]
  if (postcode && !lines.some((l) => l.replace(/\s/g, '').toUpperCase() === postcode.replace(/\s/g, '').toUpperCase())) lines.push(postcode)
  return lines
}

/** Millimetres to PDF points. */
export const mm = (n: number) => (n * 72) / 25.4

/**
 * A precompiled letter's page (GOV.UK Notify's letter specification): A4 portrait; the address
 * inside the envelope window; nothing in the 15 mm side borders or 5 mm top and bottom; the body
 * from 95 mm down. Figures in millimetres from the page's top left corner.
 */
export const LETTER_PAGE = {
  widthMm: 210,
  heightMm: 297,
  address: { left: 24.6, right: 120, top: 40, bottom: 66.2 },
  sender: { left: 125, right: 195, top: 40, bottom: 95 },
  body: { left: 20, right: 190, top: 95, bottom: 277 },
  continuation: { top: 20 },
  border: { side: 15, topBottom: 5 },
} as const

/** Letter statuses: made, then printed or posted; a post that failed can be tried again. */
export const LETTER_STATUS = [
  { code: 'produced', label: 'Made, not sent yet' },
  { code: 'printed', label: 'Printed to send by hand or post' },
  { code: 'sending', label: 'Being sent by post' },
  { code: 'sent', label: 'Sent by post through GOV.UK Notify' },
  { code: 'failed', label: 'Sending failed' },
] as const satisfies readonly Code[]

export type LetterStatus = (typeof LETTER_STATUS)[number]['code']

export const LETTER_POSTAGE = [
  { code: 'second', label: 'Second class' },
  { code: 'first', label: 'First class' },
] as const satisfies readonly Code[]

/** The templates a partnership starts with, in plain English (an administrator changes them). */
export const DEFAULT_LETTER_TEMPLATES: readonly { kind: LetterKind; language: LetterLanguage; title: string; body: string }[] = [
  {
    kind: 'conference-invitation',
    language: 'en',
    title: 'Invitation to a child protection conference',
    body: `Dear ((recipient name))

We are inviting you to a meeting about ((child name)). The meeting is called a child protection conference.

When: ((meeting date)) at ((meeting time))
Where: ((meeting venue))

Why we are meeting
We are worried about ((child first name))’s safety. At the meeting, you, the people who work with your family and we will talk about what is happening for ((child first name)) and decide together whether ((child first name)) needs a child protection plan to keep them safe.

What you can do
You can bring a friend, relative or someone to support you, such as an advocate or solicitor. You can tell us what you think before the meeting, in writing or by phone, if you would rather not come or cannot come. If you need an interpreter, or help to get to the meeting, please tell us as soon as you can.

Before the meeting I will show you the report I will give to the conference.

If you have any questions, please contact me.

Yours sincerely

((worker name))
((team name))
((authority name))`,
  },
  {
    kind: 'conference-outcome',
    language: 'en',
    title: 'What the child protection conference decided',
    body: `Dear ((recipient name))

Thank you for taking part in the child protection conference about ((child name)) on ((meeting date)).

This letter tells you what the conference decided. [Write the decision here: whether ((child first name)) needs a child protection plan and, if so, the category of concern.]

What happens next
[Write the next steps here: the first core group meeting, who is in the core group, and when the plan will be reviewed.]

You will get a copy of the conference’s record. If you think something in it is wrong, please tell me and I will make sure your view is recorded.

If you are unhappy with the decision or how the conference was run, you can ask me how to complain.

Yours sincerely

((worker name))
((team name))
((authority name))`,
  },
  {
    kind: 'referrer-feedback',
    language: 'en',
    title: 'What happened after your referral',
    body: `Dear ((recipient name))

Thank you for telling us about your concerns for ((child name)).

We have looked at what you told us. [Write here what was decided and what will happen next, as far as you can share it.]

If you have new worries about ((child first name)), please contact us straight away. If you think a child is in immediate danger, call 999.

Yours sincerely

((worker name))
((team name))
((authority name))`,
  },
  {
    kind: 'letter-before-proceedings',
    language: 'en',
    title: 'Letter before proceedings: we are worried about your child’s safety',
    body: `Dear ((recipient name))

IMPORTANT: PLEASE TAKE THIS LETTER TO A SOLICITOR. YOU CAN GET FREE LEGAL ADVICE.

We are writing because we are very worried about ((child name)). We are thinking about asking the family court to decide what should happen to ((child first name)).

Why we are worried
[Write here, in plain words, what has happened and why we are worried.]

What we have done to help
[Write here the help we have offered and what happened.]

What needs to change
[Write here what needs to change, and by when.]

We want to meet you to talk about this
We have arranged a meeting. Please bring your solicitor. Your solicitor will have free legal aid for this meeting if you show them this letter.

If things do not change, we may ask the court to make an order about ((child first name)).

Yours sincerely

((worker name))
((team name))
((authority name))`,
  },
]

/** '2026-03-03' → 'Tuesday 3 March 2026' (or in Welsh, 'Dydd Mawrth 3 Mawrth 2026'). */
export function letterDate(day: string, language: LetterLanguage, weekday = true): string {
  const format = new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', {
    weekday: weekday ? 'long' : undefined,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
  return format.format(new Date(`${day}T00:00:00Z`)).replace(',', '')
}

/** '10:30' → '10:30am', '14:00' → '2pm'. */
export function letterTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`
}
