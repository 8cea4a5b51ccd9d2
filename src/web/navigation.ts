import type { Actor } from '../services/context.ts'
import type { Role } from '../domain/access/roles.ts'

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
  { href: '/tasks', text: 'Tasks', roles: ['front-door-practitioner', 'social-worker', 'team-manager', 'conference-chair'] },
  { href: '/directory', text: 'Agencies and teams', roles: 'all' },
  { href: '/timescales', text: 'Timescales', roles: 'all' },
  { href: '/admin/agencies', text: 'Manage agencies', roles: ['administrator'] },
  { href: '/admin/teams', text: 'Manage teams', roles: ['administrator'] },
  { href: '/admin/users', text: 'Manage users', roles: ['administrator'] },
  { href: '/admin/local-rules', text: 'Local timescales', roles: ['administrator'] },
  { href: '/audit', text: 'Access log', roles: ['auditor'] },
]

/** The service navigation for a user: only what their roles can use. */
export function navigationFor(actor: Actor | undefined, path: string) {
  if (!actor) return []
  return ITEMS.filter((i) => i.roles === 'all' || i.roles.some((r) => actor.roles.includes(r))).map((i) => ({
    href: i.href,
    text: i.text,
    active: i.href === '/' ? path === '/' : path === i.href || path.startsWith(`${i.href}/`),
  }))
}
