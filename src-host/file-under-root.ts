// The file a request path names under a folder, for both hosts that serve the renderer build.
import nodePath from 'node:path';

export type PathApi = Pick<typeof nodePath, 'join' | 'normalize' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * The file a URL path (still percent-encoded) names under `rootDir`, or undefined when it is
 * malformed or would escape. Shared by the app:// handler (src-main) and the browser build's web server (scripts).
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
