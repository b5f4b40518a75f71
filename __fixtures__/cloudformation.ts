import { readFileSync } from 'node:fs'
import { parse, type Tags } from 'yaml'
import { z } from 'zod'

// Reads a CloudFormation template (short-form intrinsic functions as YAML tags), checks its shape,
// and resolves it for given parameters the way CloudFormation would, for the functions it uses.

export const TEMPLATE = 'examples/aws/secret-rollout-role.yaml'

type Intrinsic = { fn: string; args: unknown }
const isIntrinsic = (value: unknown): value is Intrinsic =>
  typeof value === 'object' && value !== null && 'fn' in value && 'args' in value && Object.keys(value).length === 2

const FUNCTIONS = ['Ref', 'Sub', 'If', 'Equals', 'Not', 'GetAtt', 'Join', 'Split', 'Select']
const customTags: Tags = FUNCTIONS.flatMap((fn) =>
  (['scalar', 'seq'] as const).map((collection) => ({
    tag: `!${fn}`,
    collection: collection === 'seq' ? ('seq' as const) : undefined,
    resolve: (value: unknown) => ({
      fn,
      args: typeof value === 'object' && value && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value
    })
  }))
)

const TemplateSchema = z.strictObject({
  AWSTemplateFormatVersion: z.literal('2010-09-09'),
  Description: z.string().max(1024),
  Parameters: z.record(
    z.string().regex(/^[A-Za-z0-9]+$/),
    z.strictObject({
      Type: z.enum(['String', 'Number', 'CommaDelimitedList']),
      Default: z.string().optional(),
      AllowedValues: z.array(z.string()).optional(),
      AllowedPattern: z.string().optional(),
      Description: z.string().max(4000)
    })
  ),
  Conditions: z.record(z.string(), z.unknown()),
  Resources: z.record(
    z.string().regex(/^[A-Za-z0-9]+$/),
    z.strictObject({
      Type: z.enum(['AWS::IAM::OIDCProvider', 'AWS::IAM::Role']),
      Condition: z.string().optional(),
      Properties: z.record(z.string(), z.unknown())
    })
  ),
  Outputs: z.record(z.string(), z.strictObject({ Description: z.string(), Value: z.unknown() }))
})

export type Template = z.infer<typeof TemplateSchema>

export function loadTemplate(path = TEMPLATE): Template {
  return TemplateSchema.parse(parse(readFileSync(path, 'utf8'), { customTags }))
}

export const PSEUDO = ['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'AWS::NoValue', 'AWS::StackName']

/** Every name a !Ref, !GetAtt, ${} in !Sub, !If or Condition uses that the template does not define. */
export function undefinedNames(template: Template): string[] {
  const defined = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), ...PSEUDO])
  const conditions = new Set(Object.keys(template.Conditions))
  const missing: string[] = []
  const visit = (node: unknown): void => {
    if (isIntrinsic(node)) {
      const { fn, args } = node
      if (fn === 'Ref' && !defined.has(args as string)) missing.push(`Ref ${String(args)}`)
      if (fn === 'GetAtt' && !defined.has(String(args).split('.')[0])) missing.push(`GetAtt ${String(args)}`)
      if (fn === 'If' && !conditions.has((args as unknown[])[0] as string)) missing.push(`If ${String((args as unknown[])[0])}`)
      if (fn === 'Sub') {
        const [text, vars] = typeof args === 'string' ? [args, {}] : (args as [string, Record<string, unknown>])
        for (const [, name] of text.matchAll(/\$\{([^}!]+)\}/g)) if (!defined.has(name) && !(name in vars)) missing.push(`Sub ${name}`)
      }
      visit(args)
    } else if (Array.isArray(node)) node.forEach(visit)
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Condition' && typeof value === 'string' && !conditions.has(value)) missing.push(`Condition ${value}`)
        visit(value)
      }
    }
  }
  visit(template.Resources)
  visit(template.Outputs)
  visit(template.Conditions)
  return missing
}

export interface Place {
  partition: string
  region: string
  account: string
}

const NO_VALUE = Symbol('NoValue')

/** The template's value at `node` for these parameters (defaults filled in), as CloudFormation would deploy it. */
export function resolve(template: Template, parameters: Record<string, string>, place: Place, node: unknown): unknown {
  const params = Object.fromEntries(
    Object.entries(template.Parameters).map(([name, p]) => {
      const value = parameters[name] ?? p.Default
      if (value === undefined) throw new Error(`parameter ${name} has no value`)
      return [name, p.Type === 'CommaDelimitedList' ? value.split(',') : value]
    })
  )
  const resourceRefs: Record<string, string> = {
    GitHubOidcProvider: `arn:${place.partition}:iam::${place.account}:oidc-provider/token.actions.githubusercontent.com`
  }
  const ref = (name: string): unknown => {
    if (name === 'AWS::Partition') return place.partition
    if (name === 'AWS::Region') return place.region
    if (name === 'AWS::AccountId') return place.account
    if (name === 'AWS::NoValue') return NO_VALUE
    if (name in params) return params[name]
    if (name in resourceRefs) return resourceRefs[name]
    throw new Error(`cannot resolve Ref ${name}`)
  }
  const condition = (name: string): boolean => Boolean(value(template.Conditions[name]))
  const value = (n: unknown): unknown => {
    if (isIntrinsic(n)) {
      const args = n.args as unknown[]
      switch (n.fn) {
        case 'Ref':
          return ref(n.args as string)
        case 'Sub':
          return (n.args as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => String(ref(name)))
        case 'If':
          return value(condition(args[0] as string) ? args[1] : args[2])
        case 'Equals':
          return value(args[0]) === value(args[1])
        case 'Not':
          return !value(args[0])
        default:
          throw new Error(`cannot resolve ${n.fn}`)
      }
    }
    if (Array.isArray(n)) return n.map(value).filter((v) => v !== NO_VALUE)
    if (typeof n === 'object' && n !== null) {
      return Object.fromEntries(
        Object.entries(n)
          .map(([k, v]) => [k, value(v)])
          .filter(([, v]) => v !== NO_VALUE)
      )
    }
    return n
  }
  return value(node)
}
