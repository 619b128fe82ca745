import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import { Connectivity } from '../../../src-renderer/sync/connectivity.svelte.ts';
import type { ProbeResult } from '../../../src-renderer/sync/switch-client.ts';

/** A probe whose answers the test hands out, one per call, each after `heldMs`. */
function scriptedProbe(answers: Array<{ heldMs: number; result: ProbeResult }>) {
  const sent: number[] = [];
  const probe = () => {
    sent.push(Date.now());
    const next = answers.shift() ?? { heldMs: 0, result: { ok: false, reason: 'No answer scripted' } as ProbeResult };
    return new Promise<ProbeResult>((resolve) => setTimeout(() => resolve(next.result), next.heldMs));
  };
  return { probe, sent };
}

const refused: ProbeResult = { ok: false, reason: 'The switch refused the connection' };
const reset: ProbeResult = { ok: false, reason: 'The connection was reset' };
const healthy: ProbeResult = { ok: true, rttMs: 5 };

describe('Connectivity: probes while offline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out the whole backoff after a probe refused at once', async () => {
    const { probe, sent } = scriptedProbe([
      { heldMs: 0, result: refused },
      { heldMs: 0, result: healthy },
    ]);
    // The largest jitter: the full urgent ceiling of one second.
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.state).toBe('offline');
    await vi.advanceTimersByTimeAsync(FIELD_CONFIG.urgentProbeCapMs - 10);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(2);
    expect(link.state).toBe('online');
  });

  it('probes again at once when a probe held open longer than the backoff is reset, so a returning link is found in milliseconds', async () => {
    const { probe, sent } = scriptedProbe([
      // Held by a black hole, then reset as the link comes back.
      { heldMs: 2_500, result: reset },
      { heldMs: 3, result: healthy },
    ]);
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(link.state).toBe('offline');
    expect(link.lastProblem).toBe('The connection was reset');
    await vi.advanceTimersByTimeAsync(5);
    expect(sent).toHaveLength(2);
    // At once: a timer of 0 ms fires within a millisecond.
    expect(sent[1]! - sent[0]!).toBeLessThanOrEqual(2_501);
    expect(link.state).toBe('online');
  });

  it('counts a held probe towards the backoff, not beyond it: the next is sent when the backoff from the first is up', async () => {
    const { probe, sent } = scriptedProbe([
      { heldMs: 300, result: reset },
      { heldMs: 0, result: healthy },
    ]);
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toHaveLength(1);
    // 999 ms of backoff from the first probe's sending: about 700 ms after it failed.
    await vi.advanceTimersByTimeAsync(690);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(2);
    expect(sent[1]! - sent[0]!).toBe(Math.floor(0.999 * FIELD_CONFIG.urgentProbeCapMs));
  });

  it('a request failing as the link lets go does not push back the probe due at once', async () => {
    // A black hole: every probe is held until the link comes back, then reset; after that the switch answers.
    let dead = true;
    const held: Array<() => void> = [];
    const sent: number[] = [];
    const probe = () => {
      sent.push(Date.now());
      if (!dead) return new Promise<ProbeResult>((resolve) => setTimeout(() => resolve(healthy), 3));
      return new Promise<ProbeResult>((resolve) => held.push(() => resolve(reset)));
    };
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    link.reportFailure('The switch did not answer');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(link.state).toBe('offline');
    const before = sent.length;
    // The link lets go: the held probes are reset, and so is a request it held, which the sync engine reports after.
    dead = false;
    held.splice(0).forEach((release) => release());
    // The resets are handled (promise callbacks, no timer yet), then the request's failure lands in the same turn.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    link.reportFailure('The connection was reset');
    await vi.advanceTimersByTimeAsync(5);
    expect(sent.length).toBeGreaterThan(before);
    expect(link.state).toBe('online');
  });

  it('offline with queries waiting, does not wait on a probe a silent link holds: the next goes after the backoff and brings the link back', async () => {
    const { probe, sent } = scriptedProbe([
      // The link dies: refused at once, so the terminal is offline.
      { heldMs: 0, result: refused },
      // It drops packets silently: this probe hangs until its own 3 s timeout...
      { heldMs: FIELD_CONFIG.probeTimeoutMs, result: { ok: false, reason: 'The switch did not answer within 3 s' } },
      // ...while the link returns and the next probe gets through.
      { heldMs: 5, result: healthy },
    ]);
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.state).toBe('offline');
    // The second probe at the end of the backoff; the third a backoff later, the second still hanging.
    await vi.advanceTimersByTimeAsync(FIELD_CONFIG.urgentProbeCapMs);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(FIELD_CONFIG.urgentProbeCapMs + 10);
    expect(sent).toHaveLength(3);
    expect(sent[2]! - sent[1]!).toBeLessThan(FIELD_CONFIG.probeTimeoutMs);
    expect(link.state).toBe('online');
    // The hung probe's timeout, after the link came back, does not take it away again.
    await vi.advanceTimersByTimeAsync(FIELD_CONFIG.probeTimeoutMs);
    expect(link.state).toBe('online');
  });

  it('keeps at most three probes out at once, however long a silent link holds them', async () => {
    const hanging = { heldMs: 60_000, result: { ok: false, reason: 'The switch did not answer' } as ProbeResult };
    const { probe, sent } = scriptedProbe([{ heldMs: 0, result: refused }, ...Array.from({ length: 20 }, () => hanging)]);
    const link = new Connectivity(probe, () => 0.999);
    link.setUrgent(true);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(10 * FIELD_CONFIG.urgentProbeCapMs);
    // The refused one, then three hanging: no more until one of them ends.
    expect(sent).toHaveLength(4);
    expect(link.state).toBe('offline');
  });

  it('idle (no query waiting), probes one at a time as before', async () => {
    const hanging = { heldMs: 10_000, result: { ok: false, reason: 'The switch did not answer' } as ProbeResult };
    const { probe, sent } = scriptedProbe([{ heldMs: 0, result: refused }, hanging, hanging]);
    const link = new Connectivity(probe, () => 0.999);
    void link.probeNow();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(sent).toHaveLength(2);
  });
});
