// What the officer sees when the terminal cannot start: which file, which setting, what to do.
import type { ProfileProblem } from './profile/load-profile.ts';
import type { ErrorPage } from './window/error-page.ts';

export function invalidProfilePage(file: string, problems: readonly ProfileProblem[]): ErrorPage {
  return {
    title: 'The agency profile is not valid',
    summary: 'Outrider found its agency profile but cannot use it, so it has not connected to any switch.',
    file,
    problems,
    advice: 'Ask your agency IT to correct the setting named above, then restart Outrider.',
  };
}

export function drillSwitchFailedPage(error: unknown, profileFile: string): ErrorPage {
  return {
    title: 'The drill switch did not start',
    summary: 'No agency profile is installed, so Outrider runs in drill mode against its built-in practice switch, which failed to start.',
    problems: [{ message: error instanceof Error ? error.message : String(error) }],
    advice: `Restart Outrider; if this happens again, reinstall it. A live terminal needs an agency profile at ${profileFile}.`,
  };
}

export function startFailedPage(error: unknown): ErrorPage {
  return {
    title: 'Outrider could not start',
    summary: 'Something failed while the terminal was starting, before it could connect to a switch.',
    problems: [{ message: error instanceof Error ? error.message : String(error) }],
    advice: 'Restart Outrider; if this happens again, report the message above to your agency IT.',
  };
}

export function rendererCrashedPage(reason: string): ErrorPage {
  return {
    title: 'The terminal page stopped',
    summary: 'The page that shows queries and answers stopped twice in a short time. Queued queries are kept on this device.',
    problems: [{ message: `reason: ${reason}` }],
    advice: 'Restart Outrider.',
  };
}
