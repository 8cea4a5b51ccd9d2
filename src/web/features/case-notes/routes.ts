import { Router } from 'express'
import type { AppDeps } from '../../deps.ts'

export function caseNoteRoutes(_deps: AppDeps): Router {
  const router = Router()
  return router
}
