export * from './gbdt/index.js'
export * from './linear/index.js'
export * from './metrics/index.js'
export * from './onnx/index.js'
