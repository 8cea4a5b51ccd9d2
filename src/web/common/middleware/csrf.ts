/**
 * The CSRF synchroniser token (csrf-sync): one per session, in every form's `_csrf` field or the
 * `x-csrf-token` header. A multipart request admitted to an upload route is checked by that
 * route's upload middleware instead, from the form's `_csrf` field before the file is stored
 * (`uploads.ts`); every other state-changing request is checked here.
 */
import { csrfSync } from 'csrf-sync'

export const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as { _csrf?: unknown } | undefined)?._csrf
    if (typeof fromBody === 'string') return fromBody
    const header = req.headers['x-csrf-token']
    return typeof header === 'string' ? header : undefined
  },
  skipCsrfProtection: (req) => req.uploadRoute !== undefined,
})
