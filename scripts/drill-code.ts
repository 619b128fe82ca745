// `npm run drill-code -- TRN101`: a training officer's current one-time code, so a drill needs no phone.
import { parseArgs } from 'node:util';
import { DRILL_OFFICERS, type DrillOfficer } from '../src-switch/auth/drill-officers.ts';
import { drillCode, findDrillOfficer } from '../src-switch/drill/drill-codes.ts';

const USAGE = `Usage: npm run drill-code -- [OFFICER_ID...]
Prints each training officer's current one-time code for signing in to the drill switch (every officer's without an ID).`;

function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const { values, positionals } = parseCommandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const trainingIds = DRILL_OFFICERS.map((officer) => officer.id).join(', ');
const wanted: DrillOfficer[] = [];
for (const id of positionals) {
  const officer = findDrillOfficer(DRILL_OFFICERS, id);
  if (!officer) {
    console.error(`"${id}" is not a training officer. The drill switch's training officers are ${trainingIds}.`);
    process.exit(2);
  }
  wanted.push(officer);
}

const now = Date.now();
for (const officer of wanted.length > 0 ? wanted : DRILL_OFFICERS) {
  const { officerId, code, secondsLeft } = drillCode(officer, now);
  console.log(`${officerId} (${officer.name}): ${code}, ${secondsLeft} s left`);
}
