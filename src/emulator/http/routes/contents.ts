/**
 * `/v1/contents/{id}`: the file of a message, for the members of its space. `GET` sends the
 * bytes; `HEAD` only the headers (name in `Content-Disposition`, `Content-Type`,
 * `Content-Length`), which is how Webex lets a client learn a file's name and size first.
 */
import { contentHeaders } from '../../service/contents.js';
import { readContent } from '../../service/messages.js';
import { callerOf, type ApiRequest, type ApiResponse, type Route } from '../router.js';

function serve(req: ApiRequest): ApiResponse {
  const record = readContent(req.core, callerOf(req), req.params['id'] ?? '');
  return { status: 200, raw: record.bytes, headers: contentHeaders(record) };
}

/** Read a file, or its headers. */
export const contentRoutes: Route[] = [
  { method: 'GET', template: '/v1/contents/{id}', handle: serve },
  { method: 'HEAD', template: '/v1/contents/{id}', handle: serve },
];
