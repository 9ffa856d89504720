export { IntervalLoop } from './interval-loop.js'
