// Decides whether an IPC message came from the app's own top-level page, and says why not.
import { isAppUrl } from '../security/trusted-origin.ts';

/** The parts of Electron's `WebFrameMain` the check needs; an Electron frame fits this shape. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** Undefined when the sender is trusted, otherwise the reason it is not. */
export function untrustedSenderReason(frame: SenderFrame | null | undefined): string | undefined {
  if (!frame) return 'the sending frame is gone';
  // Sub-frames never talk to the main process, whatever their origin.
  if (frame.parent !== null) return 'the sender is not the top-level frame';
  if (!isAppUrl(frame.url)) return "the sender is not the terminal's own page";
  return undefined;
}
