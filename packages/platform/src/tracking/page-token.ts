import { InvalidParameterError } from '@ballast/contracts'

/**
 * Page tokens are opaque to clients: base64url JSON of where the next page starts. Anything that
 * does not decode to the expected shape is refused, naming the parameter.
 */
export function encodePageToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')
}

export function decodePageToken<T>(
  token: string,
  isValid: (value: unknown) => value is T,
  field = 'page_token',
): T {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch (cause) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': not a page token of this server`,
      {
        cause,
      },
    )
  }
  if (!isValid(value)) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': not a page token of this server`,
    )
  }
  return value
}
