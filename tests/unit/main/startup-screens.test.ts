// What the officer sees at start-up: the drill switch's URL once it listens, and readable, inert error pages.
import { describe, expect, it } from 'vitest';
import { attentionFor } from '../../../src-main/alerts/attention.ts';
import { listeningUrl } from '../../../src-main/drill/listening-line.ts';
import { invalidProfilePage } from '../../../src-main/startup-pages.ts';
import { errorPageHtml, errorPageUrl } from '../../../src-main/window/error-page.ts';

describe('listeningUrl', () => {
  it('reads the URL from the line the switch CLI prints', () => {
    const output = 'Outrider switch listening on http://127.0.0.1:41513\nOutrider switch admin on http://127.0.0.1:40001\n';
    expect(listeningUrl(output)).toBe('http://127.0.0.1:41513');
  });

  it('waits for the whole line when output arrives in pieces', () => {
    expect(listeningUrl('Outrider switch listening on http://127.0.0.1:')).toBeUndefined();
  });

  it('ignores a switch that is not on loopback', () => {
    expect(listeningUrl('Outrider switch listening on http://0.0.0.0:8787\n')).toBeUndefined();
  });
});

describe('error pages', () => {
  const page = invalidProfilePage('C:\\ProgramData\\Outrider\\agency.json', [
    { field: 'ori', message: 'ori must be the 9-character agency ORI, letters and digits' },
    { message: '<script>alert(1)</script>' },
  ]);

  it('names the file and the bad field', () => {
    const html = errorPageHtml(page);
    expect(html).toContain('C:\\ProgramData\\Outrider\\agency.json');
    expect(html).toContain('<code>ori</code>: ori must be the 9-character agency ORI');
  });

  it('shows text from the file as text, never as markup', () => {
    const html = errorPageHtml(page);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('forbids scripts and remote loads in the page itself', () => {
    expect(errorPageHtml(page)).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('is a data URL the window can load without the app:// scheme', () => {
    const url = errorPageUrl(page);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(errorPageHtml(page));
  });
});

describe('attentionFor', () => {
  it('raises the window and keeps the notification for a hit or an officer-safety caution', () => {
    expect(attentionFor('hit')).toEqual({ raise: true, persistent: true });
    expect(attentionFor('officer_safety')).toEqual({ raise: true, persistent: true });
  });

  it('never steals focus for routine information', () => {
    expect(attentionFor('information').raise).toBe(false);
  });
});
