/**
 * `/v1/attachment/actions`: card submissions.
 */
import { readAction, submitAction } from '../../service/attachment-actions.js';
import { callerOf, type Route } from '../router.js';

/** Create and get card submissions. */
export const attachmentActionRoutes: Route[] = [
  {
    method: 'POST',
    template: '/v1/attachment/actions',
    handle: (req) => ({ status: 200, body: submitAction(req.core, callerOf(req), req.body) }),
  },
  {
    method: 'GET',
    template: '/v1/attachment/actions/{id}',
    handle: (req) => ({ status: 200, body: readAction(req.core, callerOf(req), req.params['id'] ?? '') }),
  },
];
