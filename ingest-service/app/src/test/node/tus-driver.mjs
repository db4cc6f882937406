// Drives the real tus-js-client against ingest-service for TusJsClientIntegrationTest.
// Usage: node tus-driver.mjs '<json options>'
//   options: endpoint, token, file, chunkSize, metadata, retryDelays, uploadUrl (to resume), stopAfterBytes
// Prints one JSON event per line on stdout: request, response, progress, stopped, aborted, success, error.
// Reads commands on stdin, one per line: "abort" stops the upload, "start" resumes it (HEAD, then PATCH).
import fs from 'node:fs'
import readline from 'node:readline'
import { Upload } from 'tus-js-client'

const options = JSON.parse(process.argv[2])
const size = fs.statSync(options.file).size
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const progressStep = options.progressStep ?? 16 * 1024 * 1024
let nextProgress = 0
let stopped = false

const upload = new Upload(fs.createReadStream(options.file), {
  endpoint: options.endpoint,
  uploadUrl: options.uploadUrl ?? null,
  uploadSize: size,
  chunkSize: options.chunkSize ?? Infinity,
  retryDelays: options.retryDelays ?? [0, 1000, 3000, 5000],
  metadata: options.metadata ?? {},
  headers: { Authorization: `Bearer ${options.token}` },
  storeFingerprintForResuming: false,
  onBeforeRequest (req) {
    emit({ event: 'request', method: req.getMethod(), offset: req.getHeader('Upload-Offset') ?? null })
  },
  onAfterResponse (req, res) {
    emit({
      event: 'response',
      method: req.getMethod(),
      status: res.getStatus(),
      offset: res.getHeader('Upload-Offset') ?? null
    })
  },
  onProgress (bytes, total) {
    if (bytes >= nextProgress || bytes === total) {
      emit({ event: 'progress', bytes, total })
      nextProgress = bytes + progressStep
    }
    if (options.stopAfterBytes != null && !stopped && bytes >= options.stopAfterBytes) {
      stopped = true
      upload.abort().then(() => {
        emit({ event: 'stopped', bytes, url: upload.url })
        process.exit(0)
      })
    }
  },
  onSuccess ({ lastResponse }) {
    emit({
      event: 'success',
      url: upload.url,
      jobId: lastResponse.getHeader('Spool-Job-Id') ?? null,
      statusUrl: lastResponse.getHeader('Spool-Status-Url') ?? null
    })
    process.exit(0)
  },
  onError (error) {
    const response = error.originalResponse
    emit({
      event: 'error',
      status: response ? response.getStatus() : 0,
      body: response ? response.getBody() : null,
      message: String(error.message)
    })
    process.exit(0)
  }
})

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() === 'abort') {
    await upload.abort()
    emit({ event: 'aborted' })
  } else if (line.trim() === 'start') {
    upload.start()
  }
})

upload.start()
