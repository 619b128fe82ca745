// The instructor's drill routes on the admin server: the page, the shipped drills, start and stop, and the report.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { describeIssue, drillPaths, StartDrill } from '../../src-shared/drill.ts';
import { type DriveAnswer, drivePaths } from '../../src-shared/drive.ts';
import { LinkConditions } from '../../src-shared/conditions.ts';
import { paths } from '../../src-shared/protocol.ts';
import type { ConditionPlayer } from './condition-player.ts';
import type { DrillSession } from './drill-session.ts';
import { describeShipped } from './shipped-drills.ts';
import { INSTRUCTOR_CSS, INSTRUCTOR_HTML, instructorScript, PAGE_PATHS } from './instructor-page.ts';
import { sendError } from '../protocol/error-reply.ts';

/**
 * Only the page's own files, only from the admin server itself; no inline script or style, no framing, no forms
 * posting elsewhere. The page builds its DOM with textContent, so switch data never becomes markup.
 */
export const INSTRUCTOR_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The drawing opened on its own: it needs nothing, and may run nothing. */
const DRAWING_CSP = "default-src 'none'; frame-ancestors 'none'";

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * The admin server answers only requests addressed to loopback by name, so a web page that rebinds its own
 * hostname to 127.0.0.1 (DNS rebinding) cannot reach the conditions or the drills from the instructor's browser.
 */
export function refuseForeignHosts(admin: FastifyInstance): void {
  admin.addHook('onRequest', async (request, reply) => {
    if (!LOOPBACK_HOST.test(request.headers.host ?? '')) return sendError(reply, 421, 'foreign_host', 'The drill admin server answers loopback addresses only');
  });
}

function page(reply: FastifyReply, type: string, body: string) {
  return reply
    .type(type)
    .header('Content-Security-Policy', INSTRUCTOR_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .send(body);
}

export function registerDrillAdmin(admin: FastifyInstance, session: DrillSession): void {
  const script = instructorScript();
  admin.get(PAGE_PATHS.page, async (_request, reply) => page(reply, 'text/html; charset=utf-8', INSTRUCTOR_HTML));
  admin.get(PAGE_PATHS.script, async (_request, reply) => page(reply, 'text/javascript; charset=utf-8', script));
  admin.get(PAGE_PATHS.style, async (_request, reply) => page(reply, 'text/css; charset=utf-8', INSTRUCTOR_CSS));
  // Browsers ask for it unbidden; an empty answer keeps a 404 out of the instructor's console.
  admin.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  admin.get(drillPaths.adminDrills, async () => describeShipped(session.shipped));
  admin.get(drillPaths.adminDrill, async () => session.status());
  admin.post(drillPaths.adminDrill, async (request, reply) => {
    const parsed = StartDrill.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid_drill_request', describeIssue(parsed.error, 'request'));
    const started = await session.startShipped(parsed.data.id);
    if (!started.ok) return sendError(reply, started.code === 'unknown_drill' ? 404 : 409, started.code, started.error);
    return started.value;
  });
  admin.delete(drillPaths.adminDrill, async () => {
    await session.stop();
    return session.status();
  });
  admin.get(drillPaths.adminReport, async () => session.report());
  // The page draws the route, the coverage and the car from this itself: no map tiles, nothing from elsewhere.
  admin.get(drivePaths.adminDrive, async (): Promise<DriveAnswer> => ({ drive: session.driveView() }));
  // Behind the admin token like the JSON: the page fetches it with the token and puts it in as parsed SVG.
  admin.get(drillPaths.adminReportDrawing, async (_request, reply) =>
    reply
      .type('image/svg+xml; charset=utf-8')
      .header('Content-Security-Policy', DRAWING_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', 'inline; filename="drill-report.svg"')
      .send(await session.drawing()),
  );
}

/** The link conditions the instructor sets by hand (a drill sets them by its steps): read, and replaced whole. */
export function registerConditionsAdmin(admin: FastifyInstance, conditions: ConditionPlayer): void {
  admin.get(paths.adminConditions, async () => conditions.current);
  admin.put(paths.adminConditions, async (request, reply) => {
    const parsed = LinkConditions.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(reply, 400, 'invalid_conditions', `${issue.path.join('.') || 'conditions'}: ${issue.message}`, issue.path.join('.'));
    }
    await conditions.set(parsed.data);
    return conditions.current;
  });
}
