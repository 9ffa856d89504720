export { parseSearchFilter, parseExperimentFilter } from './filter-parser.js'
export { parseOrderBy, parseExperimentOrderBy } from './order-by-parser.js'
export type {
  Comparator,
  Comparison,
  EntityType,
  ListComparator,
  NumericComparator,
  OrderClause,
  StringComparator,
} from './search-grammar.js'
export {
  SEARCH_MAX_RESULTS_DEFAULT,
  SEARCH_MAX_RESULTS_THRESHOLD,
  decodePageToken,
  encodePageToken,
  resolveMaxResults,
} from './page-token.js'
export type { ViewType } from './view-type.js'
export { searchRuns, type SearchRunsRequest, type SearchRunsResult } from './search-runs.js'
export {
  searchExperiments,
  type SearchExperimentsRequest,
  type SearchExperimentsResult,
} from './search-experiments.js'
