import { InvalidParameterError } from '@ballast/contracts'
import { Adwin, type AdwinOptions } from './adwin.js'
import { Ddm, type DdmOptions } from './ddm.js'
import { DETECTOR_NAMES, type DetectorName } from './detector-state-format.js'
import type { DriftDetector } from './drift-detector.js'
import { Eddm, type EddmOptions } from './eddm.js'
import { Kswin, type KswinOptions } from './kswin.js'
import { PageHinkley, type PageHinkleyOptions } from './page-hinkley.js'

export interface DetectorOptionsByName {
  adwin: AdwinOptions
  ddm: DdmOptions
  eddm: EddmOptions
  'page-hinkley': PageHinkleyOptions
  kswin: KswinOptions
}

export interface DetectorByName {
  adwin: Adwin
  ddm: Ddm
  eddm: Eddm
  'page-hinkley': PageHinkley
  kswin: Kswin
}

function checkName(name: unknown, field: string): DetectorName {
  if (!DETECTOR_NAMES.includes(name as DetectorName)) {
    throw new InvalidParameterError(
      `${field} must be one of ${DETECTOR_NAMES.join(', ')}, got ${JSON.stringify(name) ?? 'nothing'}`,
    )
  }
  return name as DetectorName
}

/** A fresh detector by its lower-case name, with River's defaults for the options not given. */
export function createDetector<N extends DetectorName>(
  name: N,
  options?: DetectorOptionsByName[N],
): DetectorByName[N] {
  const make = (): DriftDetector => {
    switch (checkName(name, 'detector name')) {
      case 'adwin':
        return new Adwin(options as AdwinOptions | undefined)
      case 'ddm':
        return new Ddm(options as DdmOptions | undefined)
      case 'eddm':
        return new Eddm(options as EddmOptions | undefined)
      case 'page-hinkley':
        return new PageHinkley(options as PageHinkleyOptions | undefined)
      case 'kswin':
        return new Kswin(options as KswinOptions | undefined)
    }
  }
  return make() as DetectorByName[N]
}

/**
 * The detector a stored `toState()` describes (typically after a JSON round trip), ready to
 * continue where it stopped. A malformed state is an InvalidParameterError naming the field.
 */
export function restoreDetector(state: unknown): DriftDetector {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new InvalidParameterError(
      `detector state must be an object, got ${JSON.stringify(state) ?? 'nothing'}`,
    )
  }
  switch (checkName((state as { name?: unknown }).name, "detector state field 'name'")) {
    case 'adwin':
      return Adwin.fromState(state)
    case 'ddm':
      return Ddm.fromState(state)
    case 'eddm':
      return Eddm.fromState(state)
    case 'page-hinkley':
      return PageHinkley.fromState(state)
    case 'kswin':
      return Kswin.fromState(state)
  }
}
