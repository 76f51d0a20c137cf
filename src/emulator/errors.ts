/**
 * Errors raised by the emulator's rules. The REST layer turns them into Webex's error body;
 * the in-process API throws them as they are, and the control API answers them as `{ error }`.
 */

/** Webex's standard messages for the statuses the emulator answers. */
export const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The request was invalid or cannot be otherwise served.',
  401: 'The request requires a valid access token set in the Authorization request header.',
  403: 'The server understood the request, but refused to fulfill it.',
  404: 'The requested resource could not be found.',
  405: 'The request was made to a resource using an HTTP request method that is not supported.',
  409: 'The request could not be processed because it conflicts with some established rule of the system.',
  413: 'The request is larger than the server is willing or able to process.',
  415: 'The request was made to a resource without specifying a media type or used a media type that is not supported.',
  423: 'The requested resource is temporarily unavailable.',
  429: 'Too many requests have been sent in a given amount of time and the request has been rate limited.',
  500: 'Something went wrong on the server.',
  502: 'The server received an invalid response from an upstream server while processing the request.',
  503: 'Server is overloaded with requests. Try again later.',
  504: 'An upstream server failed to respond on time.',
};

/**
 * A Webex API error: an HTTP status and the message Webex would put in its error body.
 *
 * @example
 * throw new ApiError(400, 'parentId must be the id of a thread root message');
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly statusCode: number;

  constructor(statusCode: number, message?: string) {
    super(message ?? STATUS_MESSAGES[statusCode] ?? `HTTP ${statusCode}`);
    this.statusCode = statusCode;
  }
}

/** 400 Bad Request with a specific reason. */
export const badRequest = (message: string): ApiError => new ApiError(400, message);
/** 404 Not Found (unknown id, or a space the caller is not in). */
export const notFound = (message?: string): ApiError => new ApiError(404, message);
/** 403 Forbidden with a specific reason. */
export const forbidden = (message: string): ApiError => new ApiError(403, message);

/** Webex's error body: `{ message, errors: [{ description }], trackingId }`. */
export function errorBody(
  message: string,
  trackingId: string,
): { message: string; errors: Array<{ description: string }>; trackingId: string } {
  return { message, errors: [{ description: message }], trackingId };
}
