/**
 * Nunjucks without the work it repeats on every render, and without changing what any template
 * renders (nunjucks-runtime.test.ts checks each change against nunjucks' own behaviour). GOV.UK
 * Frontend's macros are where the time goes: each macro call includes the component's template,
 * which imports the macro files of the components it uses, so one date input is some thirty
 * includes and imports, each resolving a relative name and running a macro file. Measured on the
 * chronology page (three date inputs, fifteen checkboxes): 1.5 ms a render before, 1.0 ms after.
 *
 * - A macro file imported without context (`{% from "x" import y %}`, `{% import "x" as y %}`) is
 *   run once for each compiled template, not on every import. Without context it runs on an empty
 *   context of its own, so what it exports depends on nothing of the render that imports it; its
 *   macros write to frames of their own (a macro's frame is never top level), and what they
 *   include renders on a copy of that context, so nothing one render does reaches another. With
 *   `noCache` (development) templates are compiled afresh, and with them what they export.
 * - A relative template name ("../hint/macro.njk") is resolved once for each template naming it.
 * - `Frame.set` splits a dotted name ("loop.index", seven of them for each turn of a loop) once.
 * - `indent` is linear (`setUpNunjucks` installs it, as it does `trim`).
 */
import nunjucks from 'nunjucks'

interface NunjucksTemplate {
  getExported(ctx: unknown, parentFrame?: unknown, cb?: unknown): void
}
interface NunjucksFrame {
  variables: Record<string, unknown>
  resolve(name: string, forWrite: boolean): NunjucksFrame | undefined
  set(name: string, value: unknown, resolveUp?: boolean): void
}
type Callback = (err: unknown, exported?: Record<string, unknown>) => void

const internals = nunjucks as unknown as {
  Template: { prototype: NunjucksTemplate }
  runtime: { Frame: { prototype: NunjucksFrame }; copySafeness(from: unknown, to: string): unknown }
  lib: { repeat(text: string, times: number): string }
}

const exportedOnce = new WeakMap<NunjucksTemplate, Record<string, unknown>>()
const nunjucksGetExported = internals.Template.prototype.getExported

function getExported(this: NunjucksTemplate, ctx: unknown, parentFrame?: unknown, cb?: unknown): void {
  // Called with the callback alone: an import without context (nunjucks' compiler passes the
  // importing render's variables and frame for `with context`, and those are run every time).
  if (typeof ctx !== 'function' || parentFrame !== undefined || cb !== undefined) return nunjucksGetExported.call(this, ctx, parentFrame, cb)
  const done = ctx as Callback
  const exported = exportedOnce.get(this)
  if (exported) return done(null, exported)
  nunjucksGetExported.call(this, (err: unknown, made?: Record<string, unknown>) => {
    if (!err && made) exportedOnce.set(this, made)
    done(err, made)
  })
}

const dottedNames = new Map<string, string[]>()
/** Names are the compiled templates' own, so few; the bound only guards against surprises. */
const DOTTED_NAMES_KEPT = 10_000

/** nunjucks' Frame.set, with each name split once. */
function frameSet(this: NunjucksFrame, name: string, value: unknown, resolveUp?: boolean): void {
  let parts = dottedNames.get(name)
  if (!parts) {
    parts = name.split('.')
    if (dottedNames.size < DOTTED_NAMES_KEPT) dottedNames.set(name, parts)
  }
  if (resolveUp) {
    const frame = this.resolve(parts[0]!, true)
    if (frame) {
      frame.set(name, value)
      return
    }
  }
  let target = this.variables
  for (let i = 0; i < parts.length - 1; i++) {
    const id = parts[i]!
    if (!target[id]) target[id] = {}
    target = target[id] as Record<string, unknown>
  }
  target[parts[parts.length - 1]!] = value
}

let installed = false

/** Installs the runtime changes (once for the process) and resolves this environment's relative names once each. */
export function speedUpNunjucks(env: nunjucks.Environment): void {
  if (!installed) {
    internals.Template.prototype.getExported = getExported
    internals.runtime.Frame.prototype.set = frameSet
    installed = true
  }
  const e = env as unknown as { resolveTemplate(loader: object, parentName: string | null, filename: string): string }
  const resolveTemplate = e.resolveTemplate.bind(env)
  const resolved = new WeakMap<object, Map<string, string>>()
  e.resolveTemplate = (loader, parentName, filename) => {
    if (!parentName) return resolveTemplate(loader, parentName, filename)
    let byName = resolved.get(loader)
    if (!byName) resolved.set(loader, (byName = new Map()))
    const key = `${parentName}\u0000${filename}`
    let name = byName.get(key)
    if (name === undefined) byName.set(key, (name = resolveTemplate(loader, parentName, filename)))
    return name
  }
}

/**
 * nunjucks' `indent` filter in linear time: every line but the first (and the first too with
 * `indentFirst`) gets `width` spaces, 4 by default, as nunjucks does; nunjucks splits and joins,
 * which GOV.UK's nested macros make a large share of a page's rendering.
 */
export function indent(value: unknown, width?: number, indentFirst?: boolean): unknown {
  const text = value === null || value === undefined || value === false ? '' : value
  if (text === '') return ''
  const spaces = internals.lib.repeat(' ', width || 4)
  const indented = (indentFirst ? spaces : '') + String(text).replace(/\n/g, `\n${spaces}`)
  return internals.runtime.copySafeness(text, indented)
}
