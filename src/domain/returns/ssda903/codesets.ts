/**
 * The 903 code sets of 2025-26 (codesets.json, copied from the shared reference: codes, short
 * labels and retired codes), as sets for the rules.
 */
import data from './codesets.json' with { type: 'json' }

type CodeSetName = keyof typeof data.codesets

const codesOf = (name: CodeSetName): ReadonlySet<string> => new Set(data.codesets[name].codes.map((c) => c.code))

export const SEX = codesOf('SEX')
export const ETHNIC = codesOf('ETHNIC')
export const UPN_UNKNOWN = codesOf('UPN_UNKNOWN')
export const RNE = codesOf('RNE')
export const LS = codesOf('LS')
export const CIN = codesOf('CIN')
export const PLACE = codesOf('PLACE')
export const PLACE_PROVIDER = codesOf('PLACE_PROVIDER')
export const REC = codesOf('REC')
export const REASON_PLACE_CHANGE = codesOf('REASON_PLACE_CHANGE')
export const REVIEW_CODE = codesOf('REVIEW_CODE')
export const MISSING = codesOf('MISSING')
export const SDQ_REASON = codesOf('SDQ_REASON')
export const IN_TOUCH = codesOf('IN_TOUCH')
export const ACTIV = codesOf('ACTIV')
export const ACCOM = codesOf('ACCOM')
export const SEX_ADOPTR = codesOf('SEX_ADOPTR')
export const LS_ADOPTR = codesOf('LS_ADOPTR')
export const REASON_PLACED_CEASED = codesOf('REASON_PLACED_CEASED')
export const PREV_PERM = codesOf('PREV_PERM')
export const SW_REASON = codesOf('SW_REASON')

/** LA_PERM's codes other than an English authority's 3-digit number. */
export const LA_PERM_OTHER = codesOf('LA_PERM')

