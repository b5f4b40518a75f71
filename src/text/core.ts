import * as actionsCore from '@actions/core'
import { annotationTitle, logText } from './log.js'
import { printable } from './outside-text.js'

/**
 * `@actions/core` with its writers made safe for outside text: the only import of it in src/
 * (eslint refuses others). `info` goes through `logText`, since core writes it as is;
 * annotations and `setFailed` are escaped by core, and get printable text and a one-line title.
 */
export * from '@actions/core'

export function info(message: string): void {
  actionsCore.info(logText(message))
}

export function warning(message: string, properties: actionsCore.AnnotationProperties = {}): void {
  actionsCore.warning(printable(message), titled(properties))
}

export function error(message: string, properties: actionsCore.AnnotationProperties = {}): void {
  actionsCore.error(printable(message), titled(properties))
}

export function notice(message: string, properties: actionsCore.AnnotationProperties = {}): void {
  actionsCore.notice(printable(message), titled(properties))
}

export function setFailed(message: string): void {
  actionsCore.setFailed(printable(message))
}

function titled(properties: actionsCore.AnnotationProperties): actionsCore.AnnotationProperties {
  return properties.title === undefined ? properties : { ...properties, title: annotationTitle(properties.title) }
}
