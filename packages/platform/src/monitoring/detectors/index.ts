export { Adwin } from './adwin.js'
export type { AdwinOptions } from './adwin.js'
export { Ddm } from './ddm.js'
export type { DdmOptions } from './ddm.js'
export { detect } from './drift-detector.js'
export type { Detections, DriftDetector } from './drift-detector.js'
export { Eddm } from './eddm.js'
export type { EddmOptions } from './eddm.js'
export { Kswin } from './kswin.js'
export type { KswinOptions } from './kswin.js'
export { PageHinkley } from './page-hinkley.js'
export type { PageHinkleyMode, PageHinkleyOptions } from './page-hinkley.js'
export { PythonRandom } from './python-random.js'
export { createDetector, restoreDetector } from './detector-state.js'
export type { DetectorByName, DetectorOptionsByName } from './detector-state.js'
export { DETECTOR_NAMES, DETECTOR_STATE_VERSION } from './detector-state-format.js'
export type {
  AdwinState,
  DdmState,
  DetectorName,
  DetectorState,
  EddmState,
  KswinState,
  PageHinkleyState,
  PythonRandomState,
  StateNumber,
} from './detector-state-format.js'
