/**
 * Static assets: the stylesheet is compiled from Sass with GOV.UK Frontend (Arial, no crown) on
 * first start and whenever its source is newer; GOV.UK Frontend's script and images are served
 * from node_modules.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { Router } from 'express'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const assetsDir = here('./assets')
const scssSource = here('./assets/application.scss')
/** The newest change to any Sass source (application.scss and its partials). */
const newestScss = () =>
  Math.max(...readdirSync(assetsDir).filter((f) => f.endsWith('.scss')).map((f) => statSync(`${assetsDir}/${f}`).mtimeMs))
export const compiledCss = here('../../public/application.css')

export async function ensureStylesheet(): Promise<string> {
  const fresh = existsSync(compiledCss) && statSync(compiledCss).mtimeMs >= newestScss()
  if (fresh) return compiledCss
  // Loaded only when the stylesheet must be compiled: sass is large, and most starts need none.
  const sass = await import('sass')
  const result = await sass.compileAsync(scssSource, {
    importers: [new sass.NodePackageImporter(here('../..'))],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  })
  mkdirSync(dirname(compiledCss), { recursive: true })
  writeFileSync(compiledCss, result.css)
  return compiledCss
}

export function assetRoutes(): Router {
  const router = Router()
  const options = { maxAge: '1h', fallthrough: false, index: false } as const
  router.get('/assets/application.css', (_req, res) => res.sendFile(compiledCss))
  router.get('/assets/app.js', (_req, res) => res.type('text/javascript').sendFile(here('./assets/app.js')))
  router.get('/assets/drafts.js', (_req, res) => res.type('text/javascript').sendFile(here('./assets/drafts.js')))
  router.get('/assets/govuk-frontend.min.js', (_req, res) =>
    res.type('text/javascript').sendFile(here('../../node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js')),
  )
  // No icon of our own yet: answer browsers' automatic request without a 404 in the logs.
  router.get('/favicon.ico', (_req, res) => res.status(204).end())
  router.use('/assets/govuk', express.static(here('../../node_modules/govuk-frontend/dist/govuk/assets'), options))
  return router
}
