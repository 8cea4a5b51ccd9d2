import { Router } from 'express'
import type { AppDeps } from '../../deps.ts'

export function chronologyRoutes(_deps: AppDeps): Router {
  const router = Router()
  return router
}
