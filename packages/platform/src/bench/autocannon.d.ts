// The part of autocannon's API the serving benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string
    method?: string
    connections?: number
    duration?: number
    workers?: number
    headers?: Record<string, string>
    body?: string
  }
  interface Histogram {
    p50: number
    p99: number
    average: number
  }
  interface AutocannonResult {
    latency: Histogram
    requests: Histogram
    errors: number
    timeouts: number
    non2xx: number
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>
  export default autocannon
}
