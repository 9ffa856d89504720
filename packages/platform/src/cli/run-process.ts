// Workers run commands for pipeline steps too, so the code lives in the runtime.
export * from '../runtime/process/run-process.js'
