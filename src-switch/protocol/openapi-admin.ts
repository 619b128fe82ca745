// The admin server's operations (its own loopback port, its own token): counters, drill conditions, BOLOs, the
// hotlist, and the drills an instructor plays.
import { paths } from '../../src-shared/protocol.ts';
import { hotlistPaths } from '../../src-shared/hotlist.ts';
import { drillPaths } from '../../src-shared/drill.ts';
import { drivePaths } from '../../src-shared/drive.ts';
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
    ...drillOperations(),
  };
}

/** The code each training officer's authenticator shows now (drill switch only: codes of published training secrets). */
const drillCode = {
  type: 'object',
  required: ['officerId', 'code', 'secondsLeft'],
  properties: {
    officerId: { type: 'string' },
    code: { type: 'string', pattern: '^\\d{6}$' },
    secondsLeft: { type: 'integer', minimum: 1, maximum: 30, description: 'Until the next code replaces this one' },
  },
};

function drillOperations() {
  return {
    [drillPaths.adminDrills]: {
      get: { operationId: 'listDrills', summary: 'The drills shipped with the switch (admin port)', responses: { 200: { description: 'Shipped drills', content: arrayOf(ref('ShippedDrill')) } } },
    },
    [drillPaths.adminDrill]: {
      get: { operationId: 'getDrill', summary: 'The drill playing, or the last one played (admin port)', responses: { 200: { description: 'Its status', content: json('DrillStatus') } } },
      post: {
        operationId: 'startDrill',
        summary: 'Play a shipped drill (admin port)',
        requestBody: { required: true, content: json('StartDrill') },
        responses: {
          200: { description: 'Started', content: json('DrillStatus') },
          400: error('invalid_drill_request, or a body that is not JSON'),
          404: error('unknown_drill: no shipped drill has this id'),
          409: error("drive_unplayable: the drill's drive route file is missing or has no valid fix"),
        },
      },
      delete: { operationId: 'stopDrill', summary: 'Stop the drill playing and restore a clean link (admin port)', responses: { 200: { description: 'Stopped', content: json('DrillStatus') } } },
    },
    [drillPaths.adminReport]: {
      get: { operationId: 'getDrillReport', summary: "The drill report so far, or the last drill's final one (admin port)", responses: { 200: { description: 'The report', content: json('DrillReport') } } },
    },
    [drillPaths.adminReportDrawing]: {
      get: {
        operationId: 'getDrillReportDrawing',
        summary: 'The same report drawn as a standalone SVG document: link conditions and each query on one time axis (admin port)',
        responses: { 200: { description: 'The drawing', content: { 'image/svg+xml': { schema: { type: 'string' } } } } },
      },
    },
    [drivePaths.adminDrive]: {
      get: {
        operationId: 'getDrive',
        summary: "The drive of the drill playing or last played: its route, coverage polygons and the car's last position; null without a drive (admin port)",
        responses: { 200: { description: 'The drive', content: json('DriveAnswer') } },
      },
    },
    [drillPaths.adminDrillCodes]: {
      get: {
        operationId: 'getDrillCodes',
        summary: "Each training officer's current one-time code (admin port; a drill switch only: a switch of real officers has no such route)",
        responses: { 200: { description: 'Codes', content: arrayOf(drillCode) } },
      },
    },
  };
}
