// Maps an app:// request URL to a file under the renderer folder, refusing anything that would escape it.
import nodePath from 'node:path';
import { type PathApi, resolveUnderRoot } from '../../src-host/file-under-root.ts';
import { isAppUrl } from '../security/trusted-origin.ts';

/**
 * The absolute file for `requestUrl`, or undefined when the URL is not the app's, is malformed,
 * or would resolve outside `rootDir` (`..`, encoded `%2e%2e`, `%2f`, backslashes, NUL).
 * `pathApi` is injectable so tests can check Windows paths on any machine.
 */
export function resolveAppFile(rootDir: string, requestUrl: string, pathApi: PathApi = nodePath): string | undefined {
  if (!isAppUrl(requestUrl)) return undefined;
  let encoded: string;
  try {
    encoded = new URL(requestUrl).pathname;
  } catch {
    return undefined;
  }
  return resolveUnderRoot(rootDir, encoded, pathApi);
}
