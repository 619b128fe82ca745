// The admin server's operations (its own loopback port, its own token): counters, drill conditions, BOLOs, the hotlist.
import { paths } from '../src-shared/protocol.ts';
import { hotlistPaths } from '../src-shared/hotlist.ts';
import { arrayOf, error, json, ref } from './openapi-schemas.ts';

/** Where admin operations are served: not the protocol port, so a drilled outage cannot lock the instructor out. */
export const ADMIN_SERVER = {
  url: 'http://127.0.0.1:{adminPort}',
  description: 'The admin server: loopback only, its own port (--admin-port N; a free one by default), printed at start with the path of its token file',
  variables: { adminPort: { default: '8788', description: 'The admin port the switch printed' } },
};

export function adminOperations() {
  return {
    [paths.adminStats]: {
      get: { operationId: 'getStats', summary: 'Executions per key (admin port, loopback)', responses: { 200: { description: 'Counters', content: json('ExecutionStats') } } },
    },
    [paths.adminConditions]: {
      get: { operationId: 'getConditions', summary: 'Current drill link conditions (admin port)', responses: { 200: { description: 'Conditions', content: json('LinkConditions') } } },
      put: {
        operationId: 'setConditions',
        summary: 'Change drill link conditions (admin port): the whole set, {} for a clean link',
        requestBody: { required: true, content: json('LinkConditions') },
        responses: { 200: { description: 'Applied', content: json('LinkConditions') }, 400: error('invalid_conditions (field names the value), or a body that is not JSON') },
      },
    },
    [paths.adminBolos]: {
      get: { operationId: 'listBolos', summary: 'BOLOs issued (admin port)', responses: { 200: { description: 'Every BOLO', content: arrayOf(ref('Bolo')) } } },
      post: {
        operationId: 'issueBolo',
        summary: 'Issue a BOLO to every terminal (admin port)',
        requestBody: { required: true, content: json('BoloRequest') },
        responses: { 201: { description: 'Issued', content: json('Bolo') }, 400: error('invalid_bolo (field names the value), or a body that is not JSON') },
      },
    },
    [hotlistPaths.adminHotlist]: {
      get: { operationId: 'getHotlistStatus', summary: "The hotlist's version, when it was made and how many plates (admin port)", responses: { 200: { description: 'Status', content: json('HotlistStatus') } } },
      post: {
        operationId: 'changeHotlist',
        summary: 'Add stolen plates to the hotlist and clear recovered ones: one new version, none if nothing changed (admin port)',
        requestBody: { required: true, content: json('HotlistChange') },
        responses: { 200: { description: 'The list after the change', content: json('HotlistStatus') }, 400: error('invalid_hotlist_change (field names the value), or a body that is not JSON') },
      },
    },
  };
}
