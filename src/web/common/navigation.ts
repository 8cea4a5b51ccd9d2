import type { Actor } from '../../services/common/context.ts'
import type { Role } from '../../domain/access/roles.ts'

interface NavItem {
  href: string
  text: string
  roles: Role[] | 'all'
}

export interface Report extends NavItem {
  /** What the report answers, shown under its link on the Reports page. */
  description: string
}

/** The reports, listed on the Reports page for the roles that can open them. */
const REPORTS: Report[] = [
  {
    href: '/information-requests/dashboard',
    text: 'Request response times',
    description: 'How quickly each agency answers the information requests sent to it, and which are overdue.',
    roles: ['front-door-practitioner', 'team-manager'],
  },
  {
    href: '/information-sharing',
    text: 'Sharing report',
    description: 'Decisions to share, or not to share, information about a child, with their lawful basis.',
    roles: ['team-manager', 'auditor'],
  },
  {
    href: '/subject-access',
    text: 'Subject access requests',
    description: 'Requests for the information held about a person: their one-month clocks, bundles, reviews and approvals.',
    roles: ['team-manager', 'auditor'],
  },
]

const can = (actor: Actor, roles: Role[] | 'all') => roles === 'all' || roles.some((r) => actor.roles.includes(r))

/**
 * The menu: each role's daily work, one row at 1280 px for every role. What is not daily work is
 * one link away elsewhere: notifications and the account in the header beside the user's name,
 * the reference pages (agencies and teams, timescales) in the footer and on the home page, and the
 * reports under "Reports".
 */
const ITEMS: NavItem[] = [
  { href: '/', text: 'Home', roles: 'all' },
  { href: '/front-door', text: 'Front door', roles: ['front-door-practitioner', 'team-manager'] },
  { href: '/contacts/new', text: 'Record a contact', roles: ['front-door-practitioner', 'social-worker', 'team-manager'] },
  { href: '/caseload', text: 'My caseload', roles: ['social-worker'] },
  { href: '/team', text: 'My team', roles: ['team-manager'] },
  { href: '/person-review', text: 'Possible duplicates', roles: ['front-door-practitioner', 'team-manager'] },
  { href: '/my-conferences', text: 'My conferences', roles: ['conference-chair'] },
  { href: '/iro', text: 'Children I review', roles: ['independent-reviewing-officer'] },
  { href: '/tasks', text: 'Tasks', roles: ['front-door-practitioner', 'social-worker', 'team-manager', 'conference-chair', 'partner-practitioner'] },
  { href: '/referrals', text: 'My referrals', roles: ['partner-practitioner'] },
  { href: '/cp-status', text: 'Check a child', roles: ['unscheduled-care'] },
  { href: '/information-requests', text: 'Information requests', roles: ['partner-practitioner'] },
  { href: '/my-agency-actions', text: 'My agency’s actions', roles: ['partner-practitioner'] },
  { href: '/shared-documents', text: 'Shared documents', roles: ['partner-practitioner'] },
  { href: '/admin/agencies', text: 'Manage agencies', roles: ['administrator'] },
  { href: '/admin/teams', text: 'Manage teams', roles: ['administrator'] },
  { href: '/admin/users', text: 'Manage users', roles: ['administrator'] },
  { href: '/admin/local-rules', text: 'Local timescales', roles: ['administrator'] },
  { href: '/admin/letter-templates', text: 'Letter templates', roles: ['administrator'] },
  { href: '/admin/document-kinds', text: 'Kinds of document', roles: ['administrator'] },
  { href: '/audit', text: 'Access log', roles: ['auditor'] },
  { href: '/retention', text: 'Retention', roles: ['auditor'] },
  { href: '/subject-access', text: 'Subject access', roles: ['auditor'] },
  { href: '/returns', text: 'Statutory returns', roles: ['performance-analyst'] },
  { href: '/reports', text: 'Reports', roles: [...new Set(REPORTS.flatMap((r) => (r.roles === 'all' ? [] : r.roles)))] },
  { href: '/partnership', text: 'Partnership work', roles: ['business-unit', 'designated-officer', 'partner-practitioner', 'performance-analyst', 'team-manager'] },
]

/** The service navigation for a user: only what their roles can use. */
export function navigationFor(actor: Actor | undefined, path: string) {
  if (!actor) return []
  return ITEMS.filter((i) => can(actor, i.roles)).map((i) => ({
    href: i.href,
    text: i.text,
    active: i.href === '/' ? path === '/' : path === i.href || path.startsWith(`${i.href}/`),
  }))
}

/** The reports this user's roles can open. */
export function reportsFor(actor: Actor): Report[] {
  return REPORTS.filter((r) => can(actor, r.roles))
}
