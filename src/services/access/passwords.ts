import { hash, verify } from '@node-rs/argon2'
import { createRequire } from 'node:module'
import type { ZxcvbnFactory } from '@zxcvbn-ts/core'

/** argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export const MIN_PASSWORD_LENGTH = 12

/** zxcvbn's score (0–4) a password must reach: 3 is "safely unguessable" (about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password)
}

/** A hash of nothing anyone knows, verified when no account matches so timing does not tell. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`)
  return decoy
}

let estimator: ZxcvbnFactory | undefined
/** zxcvbn with its dictionaries, loaded on the first check (they take a while, and most processes never set a password). */
function strength() {
  if (estimator) return estimator
  const require = createRequire(import.meta.url)
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core')
  const zxcvbnCommon = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')
  const zxcvbnEn = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en')
  estimator = new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  })
  return estimator
}

/**
 * Why a password a person is setting is not good enough, or null when it is: at least 12
 * characters, not all spaces, and judged hard to guess by zxcvbn (common passwords, dictionary
 * words, repeats, sequences, keyboard patterns, dates, and the person's own name or email, given
 * as `personal`). Seeded demo and test accounts are made without this check.
 */
export function passwordProblem(password: string, personal: readonly string[] = []): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters`
  if (password.trim() === '') return 'The password must not be only spaces'
  // zxcvbn's cost grows with length; a long password is judged on its first 100 characters.
  const result = strength().check(password.slice(0, 100), personal.filter((p) => p.length > 0).flatMap(personalWords))
  if (result.score >= MIN_PASSWORD_SCORE) return null
  const warning = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : ''
  return `The password is too easy to guess${warning}. Use a longer one, such as three or four unrelated words`
}

/** A name or email address as the words zxcvbn should treat as easy to guess. */
function personalWords(value: string): string[] {
  const lower = value.toLowerCase()
  const words = lower.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3)
  return [lower, words.join(''), ...words]
}
