import { once } from 'node:events'

/** Writes lines to stdout in large chunks, waiting when the pipe is full. */
export class LineWriter {
  private buffer = ''
  private pending: Promise<void> = Promise.resolve()

  line(text: string): void {
    this.buffer += `${text}\n`
    if (this.buffer.length >= 1 << 16) this.flush()
  }

  private flush(): void {
    const text = this.buffer
    this.buffer = ''
    this.pending = this.pending.then(async () => {
      if (!process.stdout.write(text)) await once(process.stdout, 'drain')
    })
  }

  async end(): Promise<void> {
    this.flush()
    await this.pending
  }
}
