import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { describeDuration, EDITIONS, listRules } from '../../../domain/timescales/index.ts'
import { AccessDenied } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { getLocalRules } from '../../../services/timescales/local-rules.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const STRENGTH: Record<string, string> = {
  must: 'Must (the law or statutory guidance requires it)',
  should: 'Should (statutory guidance expects it)',
  local: 'Set by the partnership',
}

/**
 * A rule's or edition's note for the people who read the page: the project's own working notes
 * (what is unverified, open questions such as "(Q3)", "project convention", "to be confirmed")
 * are left out, so only what a practitioner can act on remains; null when nothing does.
 */
export function plainNote(note: string | undefined): string | null {
  if (!note) return null
  const kept = note
    .split(/(?<=[.!?])\s+/)
    .filter((s) => !/unverified|to be confirmed|project convention|not established/i.test(s))
    .map((s) => s.replace(/\s*\(Q\d+\)/g, ''))
    .join(' ')
    .trim()
  return kept || null
}

/** A rule's source without the research table's row id ("WT T01: …") or working notes in brackets about what is unverified. */
export function plainSource(source: string): string {
  return source
    .replace(/^WT T\d+\s*/, '')
    .replace(/^\(([^)]*)\)/, (_, inside: string) => (/unverified/i.test(inside) ? '' : inside))
    .replace(/^[:\s]+/, '')
    .trim()
}

/** The statutory timescales table, so practitioners can see which rule and edition a clock uses. */
export function timescaleRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/timescales', requireSignIn, async (req, res) => {
    const d = decideGeneral(actorOf(res), 'rules:read')
    if (!d.allowed) throw new AccessDenied(d.reason)
    const { settings } = await getLocalRules(serviceContext(deps, req, res))
    const rules = listRules().map((r) => ({
      ...r,
      limitText: describeDuration(r.local ? settings[r.local] : r),
      defaultText: r.local ? describeDuration(r) : null,
      applies: r.editions ? r.editions.join(', ') : `From ${formatDate(r.inForceFrom)} (regulations)`,
      strengthText: STRENGTH[r.strength] ?? r.strength,
      notes: plainNote(r.notes),
      source: plainSource(r.source),
    }))
    const editions = EDITIONS.map((e) => ({ ...e, note: plainNote(e.note) }))
    res.render('timescales/index.njk', { rules, editions })
  })
  return router
}
