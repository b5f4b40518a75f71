import { createHash, createHmac } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { AwsError } from './aws-error.js'

export interface SignedBy {
  accessKeyId: string
  region: string
  service: string
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/

/** Reads who signed a request, from its Authorization header. */
export function parseAuthorization(headers: IncomingHttpHeaders): SignedBy & { date: string; signedHeaders: string[]; signature: string } {
  const match = AUTH.exec(String(headers.authorization ?? ''))
  if (!match) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature }
}

/**
 * Checks a Signature Version 4 signature the way AWS does, for the RPC-style requests these
 * services get (POST to a path with no query): a wrong secret key or a tampered body fails.
 */
export function verifySignature(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, secretAccessKey: string): void {
  const auth = parseAuthorization(headers)
  const amzDate = String(headers['x-amz-date'] ?? '')
  const [pathname, query = ''] = path.split('?')
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((p) => p.split('='))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&')
  const canonicalHeaders = auth.signedHeaders
    .map(
      (h) =>
        `${h}:${String(headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`
    )
    .join('')
  const payloadHash = String(headers['x-amz-content-sha256'] ?? createHash('sha256').update(body).digest('hex'))
  const canonicalRequest = [method, pathname || '/', canonicalQuery, canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n')
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n')
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(auth.date).digest()
  for (const part of [auth.region, auth.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest()
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  if (expected !== auth.signature) {
    throw new AwsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 403)
  }
}
