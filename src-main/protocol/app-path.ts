// Maps an app:// request URL to a file under the renderer folder, refusing anything that would escape it.
import nodePath from 'node:path';
import { isAppUrl } from '../security/trusted-origin.ts';

type PathApi = Pick<typeof nodePath, 'join' | 'normalize' | 'relative' | 'isAbsolute' | 'sep'>;

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

/**
 * The file a URL path (still percent-encoded) names under `rootDir`, or undefined when it is
 * malformed or would escape. Shared by the app:// handler and the browser build's web server.
 */
export function resolveUnderRoot(rootDir: string, encodedPath: string, pathApi: PathApi = nodePath): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPath);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const root = pathApi.normalize(rootDir);
  const file = pathApi.normalize(pathApi.join(root, pathname));
  const relative = pathApi.relative(root, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(relative)) return undefined;
  return file;
}
