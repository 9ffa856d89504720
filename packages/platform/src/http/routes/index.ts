import type { AnyRoute } from '../route.js'

/** Every route Ballast serves, one list per context. */
export const ALL_ROUTES: readonly AnyRoute[] = []
