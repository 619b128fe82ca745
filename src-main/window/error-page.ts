// A self-contained page for a terminal that cannot start (bad agency profile, drill switch down): never a blank window.

export interface ErrorPage {
  readonly title: string;
  readonly summary: string;
  /** Each problem on its own line; a field name is shown first when there is one. */
  readonly problems: readonly { readonly field?: string; readonly message: string }[];
  /** The file the officer or IT shop must fix, if any. */
  readonly file?: string;
  readonly advice: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

export function errorPageHtml(page: ErrorPage): string {
  const problems = page.problems
    .map(({ field, message }) => `<li>${field ? `<code>${escapeHtml(field)}</code>: ` : ''}${escapeHtml(message)}</li>`)
    .join('');
  const file = page.file ? `<p>File: <code>${escapeHtml(page.file)}</code></p>` : '';
  // No script, no external resource: the page must render even when everything else is broken.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Outrider: ${escapeHtml(page.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#10151c;color:#e8edf2;margin:0;padding:48px}
main{max-width:760px}h1{color:#ffb020;font-size:28px}code{background:#1f2a36;padding:1px 6px;border-radius:4px}
li{margin:6px 0}</style></head>
<body><main role="alert"><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.summary)}</p>${file}
<ul>${problems}</ul><p>${escapeHtml(page.advice)}</p></main></body></html>`;
}

export function errorPageUrl(page: ErrorPage): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(page))}`;
}
