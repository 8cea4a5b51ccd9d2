import type { Actor } from '../../services/common/context.ts'
import type { Role } from '../../domain/access/roles.ts'

interface NavItem {
  href: string
  text: string
  roles: Role[] | 'all'
}

const ITEMS: NavItem[] = [
  { href: '/', text: 'Home', roles: 'all' },
  { href: '/front-door', text: 'Front door', roles: ['front-door-practitioner', 'team-manager'] },
  { href: '/contacts/new', text: 'Record a contact', roles: ['front-door-practitioner', 'social-worker', 'team-manager'] },
  { href: '/caseload', text: 'My caseload', roles: ['social-worker'] },
  { href: '/team', text: 'My team', roles: ['team-manager'] },
  { href: '/person-review', text: 'Possible duplicates', roles: ['front-door-practitioner', 'team-manager'] },
  { href: '/tasks', text: 'Tasks', roles: ['front-door-practitioner', 'social-worker', 'team-manager', 'conference-chair'] },
  { href: '/referrals', text: 'My referrals', roles: ['partner-practitioner'] },
  { href: '/cp-status', text: 'Check a child', roles: ['unscheduled-care'] },
  { href: '/information-requests', text: 'Information requests', roles: ['partner-practitioner'] },
  { href: '/my-agency-actions', text: 'My agency’s actions', roles: ['partner-practitioner'] },
  { href: '/information-requests/dashboard', text: 'Request response times', roles: ['front-door-practitioner', 'team-manager'] },
  { href: '/information-sharing', text: 'Sharing report', roles: ['team-manager', 'auditor'] },
  { href: '/notifications', text: 'Notifications', roles: 'all' },
  { href: '/directory', text: 'Agencies and teams', roles: 'all' },
  { href: '/timescales', text: 'Timescales', roles: 'all' },
  { href: '/admin/agencies', text: 'Manage agencies', roles: ['administrator'] },
  { href: '/admin/teams', text: 'Manage teams', roles: ['administrator'] },
  { href: '/admin/users', text: 'Manage users', roles: ['administrator'] },
  { href: '/admin/local-rules', text: 'Local timescales', roles: ['administrator'] },
  { href: '/audit', text: 'Access log', roles: ['auditor'] },
  { href: '/returns', text: 'Statutory returns', roles: ['performance-analyst'] },
  { href: '/partnership', text: 'Partnership work', roles: ['business-unit', 'designated-officer', 'partner-practitioner', 'performance-analyst', 'team-manager'] },
]

/** The service navigation for a user: only what their roles can use; Notifications shows the unread count. */
export function navigationFor(actor: Actor | undefined, path: string, unread = 0) {
  if (!actor) return []
  return ITEMS.filter((i) => i.roles === 'all' || i.roles.some((r) => actor.roles.includes(r))).map((i) => ({
    href: i.href,
    text: i.href === '/notifications' && unread > 0 ? `${i.text} (${unread} unread)` : i.text,
    active: i.href === '/' ? path === '/' : path === i.href || path.startsWith(`${i.href}/`),
  }))
}
