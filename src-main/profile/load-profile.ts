// Finds and parses the machine-wide agency profile; no file means drill mode, a bad file means an error screen.
import nodePath from 'node:path';
import { AgencyProfile } from '../../src-shared/profile.ts';
import { agencyCaProblem } from '../security/switch-certificate.ts';

export const PROFILE_ENV_VAR = 'OUTRIDER_PROFILE';

export interface ProfileLocation {
  readonly path: string;
  /** An explicit override must exist: silently falling back to drill mode would hide a typo. */
  readonly explicit: boolean;
}

export interface ProfileProblem {
  /** The setting at fault (`ori`, `switchUrl`...), when one can be named. */
  readonly field?: string;
  readonly message: string;
}

export type ProfileLoad =
  | { readonly kind: 'drill'; readonly path: string }
  | { readonly kind: 'agency'; readonly path: string; readonly profile: AgencyProfile }
  | { readonly kind: 'invalid'; readonly path: string; readonly problems: readonly ProfileProblem[] };

/** Reads a whole text file; throws a Node-style error (with `code`) when it cannot. */
export type ReadText = (path: string) => string;

type Env = Readonly<Record<string, string | undefined>>;

/** Where the agency's IT shop installs the profile, per platform; `OUTRIDER_PROFILE` overrides it. */
export function profileLocation(platform: NodeJS.Platform, env: Env): ProfileLocation {
  const override = env[PROFILE_ENV_VAR];
  if (override) return { path: override, explicit: true };
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return { path: nodePath.win32.join(programData, 'Outrider', 'agency.json'), explicit: false };
  }
  if (platform === 'darwin') return { path: '/Library/Application Support/Outrider/agency.json', explicit: false };
  return { path: '/etc/outrider/agency.json', explicit: false };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function readProblem(error: unknown): ProfileProblem {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return { message: 'the file exists but this account may not read it' };
  if (code === 'EISDIR') return { message: 'the path is a folder, not a file' };
  return { message: `the file cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})` };
}

function schemaProblems(issues: readonly { path: PropertyKey[]; message: string; code: string; keys?: string[] }[]): ProfileProblem[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      // A setting inside another (gps.prot) is named with the one it is in.
      const names = issue.keys.map((key) => [...issue.path.map(String), key].join('.'));
      return { field: names.join(', '), message: `unknown setting ${names.map((name) => `"${name}"`).join(', ')} (check the spelling)` };
    }
    const field = issue.path.map(String).join('.');
    return field ? { field, message: issue.message } : { message: issue.message };
  });
}

export function loadProfile(location: ProfileLocation, readText: ReadText): ProfileLoad {
  const { path } = location;
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = errorCode(error);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !location.explicit) return { kind: 'drill', path };
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { kind: 'invalid', path, problems: [{ message: `${PROFILE_ENV_VAR} names this file, but it does not exist` }] };
    }
    return { kind: 'invalid', path, problems: [readProblem(error)] };
  }
  let json: unknown;
  try {
    // Windows Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { kind: 'invalid', path, problems: [{ message: `the file is not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = AgencyProfile.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', path, problems: schemaProblems(parsed.error.issues) };
  // The schema only sees text; a CA that does not parse would otherwise fail every connection with no reason given.
  const caProblem = parsed.data.caCertificate === undefined ? undefined : agencyCaProblem(parsed.data.caCertificate);
  if (caProblem) return { kind: 'invalid', path, problems: [{ field: 'caCertificate', message: caProblem }] };
  return { kind: 'agency', path, profile: parsed.data };
}
