export { checkDataQuality, type DataQualityInput } from './data-quality.js'
