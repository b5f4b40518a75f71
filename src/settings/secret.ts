import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser'
import { isRegion, partitionProblem } from '../aws/place.js'
import { Inputs, MAX_SECRET_BYTES, type Mode } from '../constants.js'
import { readBoolean, readDuration, readEnum, readInteger, type Reader } from './readers.js'
import type { SettingsIO, ValueSource } from './types.js'

// Secrets Manager's rule (CreateSecretRequest.Name): ASCII letters, digits and /_+=.@-, at most 512.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/
const SECRET_NAME_RULE = 'a secret name is 1-512 ASCII letters, digits and /_+=.@- (no spaces, backticks, | or line breaks)'

/** `secret-id` (a name or an ARN) and the region it is in: the ARN's, else `aws-region`. */
export function readSecretId(r: Reader, region: string): { secretId?: string; secretRegion: string } {
  const secretId = r.input(Inputs.SecretId) || undefined
  if (!secretId) return { secretId, secretRegion: region }
  if (!secretId.startsWith('arn:')) {
    if (!SECRET_NAME.test(secretId)) r.bad(Inputs.SecretId, SECRET_NAME_RULE)
    return { secretId, secretRegion: region }
  }
  const arn = isArn(secretId) ? parseArn(secretId) : undefined
  if (!arn || arn.service !== 'secretsmanager' || !arn.resource.startsWith('secret:') || !isRegion(arn.region)) {
    r.bad(Inputs.SecretId, 'not a valid Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)')
  } else if (!SECRET_NAME.test(arn.resource.slice('secret:'.length))) {
    // The name ends up in the tracking issue's title and hidden marker: nothing else may be in it.
    r.bad(Inputs.SecretId, `the name in the ARN is not a secret name: ${SECRET_NAME_RULE}`)
  } else {
    const wrongPartition = partitionProblem(arn.partition, arn.region)
    if (!wrongPartition) return { secretId, secretRegion: arn.region }
    r.bad(Inputs.SecretId, wrongPartition)
  }
  return { secretId, secretRegion: region }
}

/** What the rules between inputs look at for the value (see rules.ts). */
export interface ValueInputs {
  /** The value sources set, of secret-string, secret-file and generate-password. */
  sources: string[]
  generate: boolean
  excludePunctuation: boolean
  /** The first password option set (password-length, exclude-characters, exclude-punctuation: true). */
  passwordOption?: string
}

/** The inputs that say where a put's value comes from, before the rules between them. */
export function readValueInputs(r: Reader, io: Pick<SettingsIO, 'getInput'>): ValueInputs {
  const secretString = io.getInput(Inputs.SecretString)
  const secretFile = r.input(Inputs.SecretFile)
  const generate = readBoolean(r, Inputs.GeneratePassword, false)
  const excludePunctuation = readBoolean(r, Inputs.ExcludePunctuation, false)
  // The first one set names the problem when generate-password is not.
  const passwordOption = r.input(Inputs.PasswordLength)
    ? Inputs.PasswordLength
    : r.input(Inputs.ExcludeCharacters)
      ? Inputs.ExcludeCharacters
      : excludePunctuation
        ? Inputs.ExcludePunctuation
        : undefined
  const sources: string[] = []
  if (secretString) sources.push(Inputs.SecretString)
  if (secretFile) sources.push(Inputs.SecretFile)
  if (generate) sources.push(Inputs.GeneratePassword)
  return { sources, generate, excludePunctuation, passwordOption }
}

/**
 * put's value, once the rules have said exactly one source is set: the text as given (a
 * trailing newline, YAML's `|`, is part of it), the file's content exactly, or a password to
 * generate. Undefined when it cannot be had (the problem is recorded).
 */
export function readValue(r: Reader, io: Pick<SettingsIO, 'getInput' | 'readFile'>, given: ValueInputs): ValueSource | undefined {
  const source = given.sources[0]
  const value = source === Inputs.SecretString ? secretString(r, io) : source === Inputs.SecretFile ? secretFile(r, io) : undefined
  if (value) {
    const bytes = Buffer.byteLength(value.value, 'utf8')
    if (bytes > MAX_SECRET_BYTES) {
      r.bad(
        value.from,
        `the value is ${bytes} bytes, above Secrets Manager's limit of ${MAX_SECRET_BYTES} bytes (UTF-8) for a secret value`
      )
    }
    return value
  }
  if (source !== Inputs.GeneratePassword) return undefined
  return {
    kind: 'generate',
    length: readInteger(r, Inputs.PasswordLength, 32, 1, 4096),
    excludeCharacters: r.input(Inputs.ExcludeCharacters) || undefined,
    excludePunctuation: given.excludePunctuation
  }
}

type Given = Extract<ValueSource, { kind: 'given' }>

function secretString(r: Reader, io: Pick<SettingsIO, 'getInput'>): Given | undefined {
  const text = io.getInput(Inputs.SecretString)
  if (!text.trim()) {
    r.bad(Inputs.SecretString, 'is only whitespace: give the value, or use secret-file for a value read exactly from a file')
    return undefined
  }
  return { kind: 'given', value: text, from: 'secret-string' }
}

function secretFile(r: Reader, io: Pick<SettingsIO, 'readFile'>): Given | undefined {
  const path = r.input(Inputs.SecretFile)
  let bytes: Uint8Array | string
  try {
    bytes = io.readFile(path)
  } catch (error) {
    r.bad(Inputs.SecretFile, `cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    return undefined
  }
  const content = utf8Text(bytes)
  if (content === undefined) {
    r.bad(Inputs.SecretFile, `"${path}" is not UTF-8 text (a binary file?): SecretString holds text; base64-encode binary data first`)
    return undefined
  }
  if (content.includes('\u0000')) {
    r.bad(Inputs.SecretFile, `"${path}" holds NUL bytes (a binary file?): SecretString holds text; base64-encode binary data first`)
    return undefined
  }
  if (!content) {
    r.bad(Inputs.SecretFile, `"${path}" is empty`)
    return undefined
  }
  return { kind: 'given', value: content, from: 'secret-file' }
}

/** Decodes UTF-8 strictly: undefined for bytes that are not UTF-8 (which a lenient decoder makes `�`). */
function utf8Text(content: Uint8Array | string): string | undefined {
  if (typeof content === 'string') return content
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content)
  } catch {
    return undefined
  }
}

/** The rotation inputs: each is checked in every mode; rules.ts says in which modes they apply. */
export function readRotation(r: Reader, mode: Mode | undefined) {
  const rotationLambdaArn = r.input(Inputs.RotationLambdaArn) || undefined
  // In another mode the rule "only applies to mode rotate" is the one problem with it.
  if (rotationLambdaArn && mode === 'rotate' && !isLambdaArn(rotationLambdaArn)) {
    r.bad(Inputs.RotationLambdaArn, 'not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)')
  }
  return {
    rotationLambdaArn,
    rotationTimeoutSeconds: readDuration(r, Inputs.RotationTimeout, '10m'),
    ifRotationInProgress: readEnum(r, Inputs.IfRotationInProgress, ['fail', 'wait'] as const),
    ifRotationDisabled: readEnum(r, Inputs.IfRotationDisabled, ['fail', 'enable'] as const)
  }
}

function isLambdaArn(text: string): boolean {
  if (!isArn(text)) return false
  const arn = parseArn(text)
  return arn.service === 'lambda' && isRegion(arn.region) && /^function:[\w-]{1,64}(:[\w$-]+)?$/.test(arn.resource)
}
