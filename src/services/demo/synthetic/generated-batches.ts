/**
 * Synthetic children generated on a worker thread, as an async sequence of COPY-ready batches in
 * order. Generation is deterministic, so the worker's generator gives exactly the rows the
 * same settings give on the main thread.
 */
import { Worker } from 'node:worker_threads'
import type { EncodedBatch } from './copy-writer.ts'
import type { SyntheticGeneration } from './generation.ts'

export interface GenerationRequest {
  settings: SyntheticGeneration
  batchChildren: number
  /** How many batches the worker may have generated that are not written yet. */
  ahead: number
}

export type GenerationMessage =
  | { kind: 'batch'; to: number; encoded: EncodedBatch }
  | { kind: 'done' }
  | { kind: 'error'; message: string }

/** Batches of generated children; `to` is how many children are generated once the batch is written. */
export async function* generatedBatches(request: GenerationRequest): AsyncGenerator<{ to: number; encoded: EncodedBatch }> {
  const worker = new Worker(new URL('./generation-worker.js', import.meta.url), { workerData: request })
  const queue: GenerationMessage[] = []
  let wake: (() => void) | null = null
  let failure: Error | null = null
  const arrive = () => {
    wake?.()
    wake = null
  }
  worker.on('message', (m: GenerationMessage) => {
    queue.push(m)
    arrive()
  })
  worker.on('error', (err) => {
    failure = err
    arrive()
  })
  worker.on('exit', (code) => {
    // Only read once the queue is empty, so a normal exit after 'done' is never an error.
    failure ??= new Error(`the synthetic generation worker stopped before it finished (exit code ${code})`)
    arrive()
  })
  try {
    for (;;) {
      if (queue.length === 0) {
        if (failure) throw failure
        await new Promise<void>((r) => (wake = r))
        continue
      }
      const m = queue.shift()!
      if (m.kind === 'done') return
      if (m.kind === 'error') throw new Error(`generating synthetic children failed: ${m.message}`)
      yield m
      worker.postMessage('written')
    }
  } finally {
    await worker.terminate()
  }
}
