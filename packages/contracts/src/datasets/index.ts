export * from './dataset-wire.js'
