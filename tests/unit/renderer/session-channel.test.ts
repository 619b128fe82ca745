// The windows of one terminal follow each other: what one shares, every other hears, and never itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionChannel, type SessionMessage } from '../../../src-renderer/session/session-channel.ts';

const open: SessionChannel[] = [];
afterEach(() => open.splice(0).forEach((channel) => channel.close()));

function window(name: string) {
  const heard: SessionMessage[] = [];
  const channel = new SessionChannel((message) => heard.push(message), name);
  open.push(channel);
  return { channel, heard };
}

describe('the session channel', () => {
  it('lets a second window follow a lock, a new token, activity and a sign-out', async () => {
    const name = `session-${crypto.randomUUID()}`;
    const first = window(name);
    const second = window(name);
    const sent: SessionMessage[] = [{ type: 'lock' }, { type: 'token' }, { type: 'activity', at: 1_700_000_000_000 }, { type: 'signout' }];
    sent.forEach((message) => first.channel.share(message));
    await vi.waitFor(() => expect(second.heard).toEqual(sent));
    expect(first.heard).toEqual([]);
  });

});
