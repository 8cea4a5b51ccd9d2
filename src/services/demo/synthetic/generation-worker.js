// Entry point of the synthetic generation worker. Worker threads do not inherit tsx's module hooks on
// Node 20, so the worker registers them before loading its TypeScript.
import { register } from 'tsx/esm/api'

register()
await import('./generation-worker.ts')
