/** The part of s3rver (an S3-compatible server for tests, without its own types) that the tests use. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net'
  import type { Server } from 'node:http'

  interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory: string
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[]
  }

  export default class S3rver {
    constructor(options: S3rverOptions)
    /** Creates the buckets and listens; the address it listens on. */
    run(): Promise<AddressInfo>
    close(): Promise<void>
    httpServer: Server
  }
}
