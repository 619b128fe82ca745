// The instructor page the admin server serves at `/`: plain HTML, CSS and one script, no build step, nothing inline.
import { authPaths } from '../../src-shared/auth.ts';
import { paths } from '../../src-shared/protocol.ts';
import { drillPaths } from '../../src-shared/drill.ts';
import { drivePaths } from '../../src-shared/drive.ts';
import { INSTRUCTOR_DRIVE_SCRIPT } from './instructor-drive-script.ts';
import { INSTRUCTOR_SCRIPT_BODY } from './instructor-script.ts';

export const PAGE_PATHS = { page: '/', script: '/instructor.js', style: '/instructor.css' } as const;

/** A range slider for one numeric condition; the script reads `name` as the LinkConditions field. */
const slider = (name: string, label: string, max: number, step: number, unit: string) => `
        <label class="slider">${label}
          <input type="range" name="${name}" min="0" max="${max}" step="${step}" value="0">
          <output for="${name}" data-unit="${unit}">0 ${unit}</output>
        </label>`;

/** Slider ranges are what a class needs; a drill file may go further (the schema's limits), and the page shows it. */
const QUALITY_SLIDERS = [
  slider('latencyMs', 'Added latency', 30_000, 250, 'ms'),
  slider('jitterMs', 'Jitter (up to)', 10_000, 250, 'ms'),
  slider('lossPercent', 'Requests lost', 100, 5, '%'),
  slider('serverErrorPercent', 'Answered 503', 100, 5, '%'),
  slider('retryAfterSeconds', '429 with Retry-After', 120, 5, 's'),
  slider('truncatePercent', 'Answers cut off', 100, 5, '%'),
  slider('malformedPercent', 'Answers garbled', 100, 5, '%'),
  slider('lostAckPercent', 'Acknowledgements lost', 100, 5, '%'),
].join('');

export const INSTRUCTOR_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Outrider drill switch</title>
  <link rel="stylesheet" href="${PAGE_PATHS.style}">
  <script src="${PAGE_PATHS.script}" defer></script>
</head>
<body>
  <header>
    <h1>Outrider drill switch</h1>
    <p id="status" role="status">Connecting to the switch…</p>
  </header>
  <p id="message" aria-live="polite"></p>
  <form id="token-form" hidden>
    <label for="admin-token">Admin token</label>
    <input id="admin-token" type="password" autocomplete="off" spellcheck="false">
    <button type="submit">Use this token</button>
    <p id="token-message" role="alert"></p>
    <p>The switch printed the path of its admin token file when it started (<code>admin.token</code> in its data folder). This tab keeps the token until it is closed.</p>
  </form>
  <main>
    <section aria-labelledby="link-heading">
      <h2 id="link-heading">Link conditions</h2>
      <form id="conditions">
        <fieldset>
          <legend>Connection</legend>
          <label><input type="checkbox" name="outage"> Outage: connections refused</label>
          <label><input type="checkbox" name="blackHole"> Black hole: connections accepted, nothing answered</label>
        </fieldset>
        <fieldset>
          <legend>Quality</legend>${QUALITY_SLIDERS}
        </fieldset>
        <fieldset>
          <legend>One slow source</legend>
          <label>Source
            <select name="slowSource">
              <option value="">none</option>
              <option>DMV</option>
              <option>SVS</option>
              <option>WPS</option>
              <option>NCIC</option>
            </select>
          </label>${slider('slowExtraMs', 'Slower by', 30000, 500, 'ms')}
        </fieldset>
        <button type="button" id="normal">Back to a normal link</button>
      </form>
    </section>
    <section aria-labelledby="drill-heading">
      <h2 id="drill-heading">Drill</h2>
      <label>Shipped drill <select id="drill-list"></select></label>
      <p id="drill-description"></p>
      <button type="button" id="drill-start">Start drill</button>
      <button type="button" id="drill-stop">Stop drill</button>
      <p id="drill-status">No drill has played yet.</p>
      <p id="drill-restarts"></p>
    </section>
    <section id="drive-section" aria-labelledby="drive-heading" hidden>
      <h2 id="drive-heading">Drive</h2>
      <p id="drive-status" aria-live="off"></p>
      <div id="drive-map"></div>
    </section>
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">Report so far</h2>
      <dl id="report-counts"></dl>
      <table>
        <caption>Late answers, latest first</caption>
        <thead><tr><th scope="col">Idempotency key</th><th scope="col">First received</th><th scope="col">Delivered</th><th scope="col">Late by</th></tr></thead>
        <tbody id="late-answers"></tbody>
      </table>
    </section>
    <section aria-labelledby="drawing-heading">
      <h2 id="drawing-heading">Report drawing</h2>
      <p>The link conditions over time, and each query's life on the same axis: entered, sent, answered, alerted, acknowledged, late answers marked. The switch saves it beside the report file at the end of a drill.</p>
      <p id="drawing-status" aria-live="polite">Not drawn yet.</p>
      <div id="report-drawing"></div>
      <p><a id="drawing-download" hidden>Download the drawing (SVG)</a></p>
    </section>
    <section aria-labelledby="officers-heading">
      <h2 id="officers-heading">Training officers</h2>
      <p>Five failed sign-ins within 15 minutes lock an account until it is released here. Passwords: docs/drills.md. Each one-time code signs in once; the next comes when the seconds run out.</p>
      <table>
        <thead><tr><th scope="col">Officer ID</th><th scope="col">Name</th><th scope="col">Code now</th><th scope="col">Sign-in</th><th scope="col">Release</th></tr></thead>
        <tbody id="officers"></tbody>
      </table>
      <p id="officers-message" aria-live="polite"></p>
    </section>
    <section aria-labelledby="security-heading">
      <h2 id="security-heading">Security events</h2>
      <p id="security-none">None: no lockout, no replaced token used again, no audit trail restarted.</p>
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Details</th></tr></thead>
        <tbody id="security-events"></tbody>
      </table>
    </section>
  </main>
</body>
</html>
`;

export const INSTRUCTOR_CSS = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #111; background: #fafafa; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
h1 { font-size: 1.4rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
section { background: #fff; border: 1px solid #ccc; border-radius: 6px; padding: 0.5rem 1rem 1rem; margin-top: 1rem; }
fieldset { border: 1px solid #ddd; margin: 0.5rem 0; }
label { display: block; margin: 0.3rem 0; }
label.slider { display: grid; grid-template-columns: 14rem 1fr 6rem; align-items: center; gap: 0.5rem; }
output { font-variant-numeric: tabular-nums; text-align: right; }
button { font: inherit; padding: 0.3rem 0.8rem; margin: 0.3rem 0.3rem 0.3rem 0; }
#status.error, #message.error, #drill-status.error, #officers-message.error, #token-message.error, td.locked, tr.flag td { color: #a00; font-weight: 600; }
#token-form { background: #fff8e1; border: 1px solid #c90; border-radius: 6px; padding: 0.5rem 1rem; margin-top: 1rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { color: #444; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: #444; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.4rem; text-align: left; font-variant-numeric: tabular-nums; }
#report-drawing svg { display: block; width: 100%; height: auto; border: 1px solid #ccc; }
#drawing-status.error { color: #a00; font-weight: 600; }
#drive-map svg { display: block; width: 100%; height: auto; border: 1px solid #ccc; }
`;

/** The script, with the admin paths from the shared contract rather than restated by hand. */
export function instructorScript(): string {
  const api = { conditions: paths.adminConditions, drills: drillPaths.adminDrills, drill: drillPaths.adminDrill, report: drillPaths.adminReport, drawing: drillPaths.adminReportDrawing, officers: authPaths.adminOfficers, security: authPaths.adminSecurityEvents, codes: drillPaths.adminDrillCodes, drive: drivePaths.adminDrive };
  return `'use strict';\nconst API = ${JSON.stringify(api)};\n${INSTRUCTOR_SCRIPT_BODY}\n${INSTRUCTOR_DRIVE_SCRIPT}`;
}
