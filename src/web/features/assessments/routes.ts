import { Router } from 'express'
import type { AppDeps } from '../../deps.ts'

export function assessmentRoutes(_deps: AppDeps): Router {
  const router = Router()
  return router
}
