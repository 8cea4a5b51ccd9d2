import { Router } from 'express'
import type { AppDeps } from '../../deps.ts'

export function childProtectionRoutes(_deps: AppDeps): Router {
  const router = Router()
  return router
}
