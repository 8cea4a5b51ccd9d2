/** Placement type, provider, URN and postcode (29, less the 7 that need Ofsted's provider lists). */
import type { ChildRecord, Episode } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { dayOf } from '../dates.ts'
import { episodeRule } from './episodes.ts'
import { ADOPTION_PLACEMENTS, FOSTER_PLACEMENTS, OTHER_PLACEMENTS, TEMPORARY, isShortBreak } from './helpers.ts'

/** Placement types that have no Ofsted URN (rules 218 and 222). */
const NO_URN = new Set(['P1', 'P3', 'R1', 'R2', 'R5', ...TEMPORARY, ...OTHER_PLACEMENTS])
const OUTSIDE_ENGLAND = new Set(['WAL', 'SCO', 'NIR'])
const NOT_KNOWN_URN = 'XXXXXXX'

/** Unaccompanied asylum-seeking now or before: in the UASC table this year or last. */
export const everUasc = (child: ChildRecord): boolean => child.uasc.length > 0 || (child.last?.uasc.length ?? 0) > 0

const hasDistance = (e: Episode) => !Number.isNaN(e.plDistance)
/** Postcodes without their spaces, each worked out once (a return repeats a few thousand postcodes). */
const compacted = new Map<string, string>()
function compact(postcode: string): string {
  let key = compacted.get(postcode)
  if (key === undefined) {
    key = postcode.replace(/\s+/g, '')
    if (compacted.size >= 100_000) compacted.clear()
    compacted.set(postcode, key)
  }
  return key
}
const postcodeUnknown = (postcode: string, ctx: Context) => postcode !== '' && !ctx.postcodes.has(compact(postcode))

function providerRule(code: string, provider: string, places: readonly string[], message: string): ChildRule {
  const set = new Set(places)
  return episodeRule({ code, type: 'error', field: 'PLACE_PROVIDER', message, fails: (e) => e.PLACE_PROVIDER === provider && set.has(e.PLACE) })
}

export const PLACEMENT_RULES: ChildRule[] = [
  episodeRule({
    code: '164', type: 'query', field: 'PL_POST', needs: ['Episodes', 'UASC'],
    message: 'The distance between home and placement is not between 0 and 999.9 miles.',
    fails: (e, _ctx, child) => hasDistance(e) && !everUasc(child) && (e.plDistance < 0 || e.plDistance > 999.9),
  }),
  episodeRule({
    code: '169', type: 'error', field: 'PL_POST',
    message: 'The placement postcode does not give a local authority of placement.',
    fails: (e) => !isShortBreak(e) && e.plLa === '',
  }),
  episodeRule({
    code: '179', type: 'error', field: 'PL_POST',
    message: 'The placement postcode does not say whether the placement is inside or outside the authority.',
    fails: (e) => !isShortBreak(e) && e.plLocation === '',
  }),
  episodeRule({
    code: '213', type: 'error', field: 'PLACE_PROVIDER',
    message: 'Temporary (T0-T4) and other (Z11-Z14) placements must have no placement provider.',
    fails: (e) => e.PLACE_PROVIDER !== '' && (TEMPORARY.has(e.PLACE) || OTHER_PLACEMENTS.has(e.PLACE)),
  }),
  episodeRule({
    code: '214', type: 'error', field: 'PL_POST',
    message: 'A short break (V3/V4) must have no placement postcode or URN.',
    fails: (e) => isShortBreak(e) && (e.PL_POST !== '' || e.URN !== ''),
  }),
  episodeRule({
    code: '217', type: 'error', field: 'RNE',
    message: 'Placed for adoption with current foster carers (A3/A5) from 1 April 2015 needs reason for new episode S, T or U.',
    fails: (e) => (e.PLACE === 'A3' || e.PLACE === 'A5') && e.decom >= dayOf(2015, 4, 1) && !['S', 'T', 'U'].includes(e.RNE),
  }),
  episodeRule({
    code: '218', type: 'error', field: 'URN',
    message: 'A URN is needed for this placement (or XXXXXXX when not known).',
    // Defect 15: the public validator also asks short breaks (V3/V4) for a URN, which 214 forbids;
    // short breaks carry no URN, so we do not ask.
    fails: (e) => e.URN === '' && !isShortBreak(e) && !NO_URN.has(e.PLACE) && !OUTSIDE_ENGLAND.has(e.plLa),
  }),
  episodeRule({
    code: '222', type: 'error', field: 'URN',
    message: 'No URN for placements with parents, in residential employment, R1, R2, R5, temporary or Z11-Z14 (XXXXXXX is allowed).',
    fails: (e) => e.URN !== '' && e.URN !== NOT_KNOWN_URN && NO_URN.has(e.PLACE),
  }),
  episodeRule({
    code: '336', type: 'error', field: 'PLACE',
    message: 'Placement for adoption with current foster carers (A3/A5) must follow a foster or adoption placement.',
    // Defect 8: the public validator tests A3/A4 where the rule (and its own comment) means A3/A5.
    fails: (e, _ctx, _c, previous) =>
      (e.PLACE === 'A3' || e.PLACE === 'A5') && previous !== undefined && previous.REC === 'X1' && previous.dec === e.decom &&
      !FOSTER_PLACEMENTS.has(previous.PLACE) && !ADOPTION_PLACEMENTS.has(previous.PLACE),
  }),
  episodeRule({
    code: '390', type: 'error', field: 'REC',
    message: 'A child can only be adopted (E11/E12) from a placement for adoption (A3-A6).',
    fails: (e) => (e.REC === 'E11' || e.REC === 'E12') && !ADOPTION_PLACEMENTS.has(e.PLACE),
  }),
  episodeRule({
    code: '392a', type: 'error', field: 'PL_POST', needs: ['Episodes', 'UASC'],
    message: 'No distance between home and placement could be worked out (the postcodes are missing or unknown).',
    fails: (e, _ctx, child) => !isShortBreak(e) && !everUasc(child) && !hasDistance(e),
  }),
  {
    code: '392b', type: 'error', table: 'Episodes', field: 'HOME_POST', needs: ['Episodes', 'UASC'],
    message: 'Home and placement postcodes are required (home postcode blank only for an unaccompanied asylum-seeking child).',
    check(child, _ctx, report) {
      const uasc = everUasc(child)
      for (const e of child.episodes) {
        if (isShortBreak(e)) continue
        if (e.HOME_POST === '' && !uasc) report('HOME_POST')
        if (e.PL_POST === '') report('PL_POST')
      }
    },
  },
  {
    code: '392c', type: 'error', table: 'Episodes', field: 'HOME_POST', needs: ['Episodes'],
    message: 'The postcode is not in the postcode lookup.',
    check(child, ctx, report) {
      for (const e of child.episodes) {
        if (postcodeUnknown(e.HOME_POST, ctx)) report('HOME_POST')
        if (postcodeUnknown(e.PL_POST, ctx)) report('PL_POST')
      }
    },
  },
  episodeRule({
    code: '392d', type: 'error', field: 'PL_POST',
    message: 'Home and placement postcodes must differ unless the child is placed with parents (P1).',
    fails: (e) => e.HOME_POST !== '' && compact(e.HOME_POST) === compact(e.PL_POST) && e.PLACE !== 'P1',
  }),
  episodeRule({
    code: '398', type: 'error', field: 'HOME_POST',
    message: 'A short break (V3/V4) must have no home or placement postcode.',
    fails: (e) => isShortBreak(e) && (e.HOME_POST !== '' || e.PL_POST !== ''),
  }),
  episodeRule({
    code: '406', type: 'error', field: 'HOME_POST', needs: ['Episodes', 'UASC'],
    message: 'An unaccompanied asylum-seeking child (now or formerly) must have no home postcode, so no distance.',
    fails: (e, _ctx, child) => everUasc(child) && hasDistance(e),
  }),
  episodeRule({ code: '408', type: 'error', field: 'LS', message: 'Placed for adoption under a placement order (A5/A6) needs legal status E1.', fails: (e) => (e.PLACE === 'A5' || e.PLACE === 'A6') && e.LS !== 'E1' }),
  episodeRule({ code: '420', type: 'error', field: 'PL_POST', message: 'A short break (V3/V4) must have no local authority of placement.', fails: (e) => isShortBreak(e) && e.plLa !== '' }),
  episodeRule({ code: '454', type: 'query', field: 'PL_POST', message: 'The placement is more than 350 miles from home.', fails: (e) => e.plDistance > 350 }),
  episodeRule({
    code: '516', type: 'error', field: 'REC',
    message: 'A special guardianship order to former foster carers (E45/E46) needs a foster placement (U1-U6).',
    fails: (e) => (e.REC === 'E45' || e.REC === 'E46') && !FOSTER_PLACEMENTS.has(e.PLACE),
  }),
  episodeRule({
    code: '526', type: 'error', field: 'PLACE_PROVIDER',
    message: 'A placement provider is needed except for temporary (T0-T4) and other (Z11-Z14) placements.',
    fails: (e) => e.PLACE_PROVIDER === '' && e.PLACE !== '' && !TEMPORARY.has(e.PLACE) && !OTHER_PLACEMENTS.has(e.PLACE),
  }),
  providerRule('527', 'PR1', ['P1', 'R2', 'R5'], "The authority's own provision (PR1) cannot be with parents (P1), NHS (R2) or youth custody (R5)."),
  providerRule('528', 'PR2', ['P1', 'R2', 'R5'], "Another authority's provision (PR2) cannot be with parents (P1), NHS (R2) or youth custody (R5)."),
  providerRule('529', 'PR3', ['P1', 'A3', 'A4', 'A5', 'A6', 'K1', 'K2', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6'], 'Other public provision (PR3) cannot be with parents, for adoption, a children\'s home or foster care.'),
  providerRule('530', 'PR4', ['P1'], 'Private provision (PR4) cannot be with parents (P1).'),
  providerRule('531', 'PR5', ['P1'], 'Voluntary provision (PR5) cannot be with parents (P1).'),
  episodeRule({ code: '550', type: 'error', field: 'PLACE_PROVIDER', message: 'Provider PR0 (parents) is only for placements with parents (P1).', fails: (e) => e.PLACE_PROVIDER === 'PR0' && e.PLACE !== 'P1' }),
  episodeRule({
    code: '1015', type: 'error', field: 'PL_POST',
    message: "The authority's own provision (PR1), other than foster or adoption placements, must be inside the authority.",
    fails: (e, ctx) =>
      e.PLACE_PROVIDER === 'PR1' && !isShortBreak(e) && !FOSTER_PLACEMENTS.has(e.PLACE) && !ADOPTION_PLACEMENTS.has(e.PLACE) &&
      e.plLa !== '' && e.plLa !== ctx.la,
  }),
]
