// Workers keep command output for pipeline steps too, so the code lives in the runtime.
export * from '../runtime/process/output-tail.js'
