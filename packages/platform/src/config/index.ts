export { CONFIG_SCHEMA, type ConfigInput } from './config-schema.js'
export {
  loadConfig,
  isLoopbackHost,
  ENV_KEYS,
  type Config,
  type LoadConfigOptions,
} from './load-config.js'
