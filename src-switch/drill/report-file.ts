// Where a drill's report goes when it ends: a JSON file for the record, its drawing as an SVG beside it, and a few
// lines on the console for the class.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DrillReport, DrillRestart } from '../../src-shared/drill.ts';
import { crossingsText } from './report-drawing.ts';

/** `drill-report-2026-11-23T10-04-05Z.json`: sortable, and without the colons Windows refuses in a file name. */
export function defaultReportName(at: Date): string {
  return `drill-report-${at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.json`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Seconds into a drill as the console and the report show them: `1:30`. */
export const clockText = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** `Switch process restarted at 1:30 (killed), back at 1:40.` */
function describeRestart(restart: DrillRestart): string {
  const what = restart.kind === 'process' ? `Switch process restarted at ${clockText(restart.atSeconds)} (killed, pid ${restart.pidBefore})` : `Switch listener restarted at ${clockText(restart.atSeconds)} (same process)`;
  const cycle = restart.cycle > 1 ? ` in cycle ${restart.cycle}` : '';
  if (restart.backAt === null) return `${what}${cycle}, not back yet.`;
  const back = restart.atSeconds + (Date.parse(restart.backAt) - Date.parse(restart.at)) / 1000;
  return `${what}${cycle}, back at ${clockText(back)}${restart.kind === 'process' && restart.pidAfter !== null ? ` (pid ${restart.pidAfter})` : ''}.`;
}

/** The report in a few lines an instructor can read out. */
export function summarizeReport(report: DrillReport): string {
  const { queries, answers } = report;
  const lines = [
    `Drill "${report.drill ?? 'none'}" ${report.state} (${report.startedAt} to ${report.endedAt ?? 'now'}).`,
    `Queries received ${queries.received} (${queries.distinctKeys} different), executed ${queries.executed}, duplicates refused ${queries.duplicatesRefused}, key reused for another query ${queries.keyReused}.`,
    `Answers delivered ${answers.delivered}, executed but not delivered ${answers.undelivered}, late ${answers.late} (more than ${report.lateAfterSeconds} s after the switch first received the query).`,
  ];
  if (answers.maxDelayMs !== null) lines.push(`Delay from first receipt to delivery: median ${seconds(answers.medianDelayMs!)}, longest ${seconds(answers.maxDelayMs)}.`);
  lines.push(...report.restarts.map(describeRestart));
  if (report.drive) lines.push(describeDrive(report.drive));
  return lines.join('\n');
}

/** `Drive routes/canyon.nmea: the car entered Canyon (dead) 1:10, left Canyon 2:00.` */
function describeDrive(drive: NonNullable<DrillReport['drive']>): string {
  return `Drive ${drive.route}: ${crossingsText(drive.crossings)}`;
}

export type WriteResult = { ok: true; value: string } | { ok: false; error: string };

function writeText(file: string, text: string): WriteResult {
  const path = resolve(file);
  try {
    writeFileSync(path, text);
    return { ok: true, value: path };
  } catch (error) {
    return { ok: false, error: `could not write ${path}: ${(error as Error).message}` };
  }
}

/** Writes the report as JSON; returns the absolute path written, or why it could not be. */
export function writeReport(report: DrillReport, file: string): WriteResult {
  return writeText(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The drawing's file, beside the report's and named after it: `report.json` gives `report.svg`. */
export function drawingFileFor(reportFile: string): string {
  return `${reportFile.replace(/\.json$/i, '')}.svg`;
}

/** Writes the report's drawing (an SVG document) beside `reportFile`; returns the absolute path written, or why not. */
export function writeDrawing(drawing: string, reportFile: string): WriteResult {
  return writeText(drawingFileFor(reportFile), drawing);
}
