export * from './pipelines/pipeline-types.js'
