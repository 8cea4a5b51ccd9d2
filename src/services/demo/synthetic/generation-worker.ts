/**
 * The synthetic seed's generation worker: generates children in batches and turns each batch into
 * COPY text, so the main thread only sends text to the database and the two run on separate cores.
 * It stays at most `ahead` batches in front of the loader, which acknowledges each batch it has written.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { encodeBatch } from './copy-writer.ts'
import { generateRange, syntheticGenerator } from './seed.ts'
import type { GenerationRequest, GenerationMessage } from './generated-batches.ts'

const port = parentPort!
const { settings, batchChildren, ahead } = workerData as GenerationRequest
const { plan, generator } = syntheticGenerator(settings)

let credit = ahead
let resume: (() => void) | null = null
port.on('message', () => {
  credit++
  resume?.()
  resume = null
})

async function run(): Promise<void> {
  for (let from = 0; from < plan.children; from += batchChildren) {
    if (credit === 0) await new Promise<void>((r) => (resume = r))
    credit--
    const to = Math.min(plan.children, from + batchChildren)
    const encoded = encodeBatch(generateRange(generator, from, to))
    const message: GenerationMessage = { kind: 'batch', to, encoded }
    port.postMessage(message, encoded.tables.map((t) => t.data.buffer as ArrayBuffer))
  }
  port.postMessage({ kind: 'done' } satisfies GenerationMessage)
}

run().catch((err: Error) => port.postMessage({ kind: 'error', message: err.stack ?? err.message } satisfies GenerationMessage))
