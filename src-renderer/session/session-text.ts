// What the session's screens say after a refusal, a failed unlock or a sign-in that brought held queries back.
import type { AuthRefusal } from '../../src-shared/auth.ts';

export function refusalText(refusal: AuthRefusal): string {
  if (refusal.error === 'credentials' && refusal.attemptsLeft !== undefined) {
    return `${refusal.message} ${refusal.attemptsLeft === 1 ? '1 more failure locks the account.' : `${refusal.attemptsLeft} more failures lock the account.`}`;
  }
  return refusal.message;
}

/** The switch could not be reached; `canUnlock` when this officer may still unlock offline. */
export function unreachableText(reason: string, canUnlock: boolean): string {
  return `${reason}. Sign-in needs the switch${canUnlock ? '; you can unlock with your password alone while your 12-hour sign-in lasts' : ''}.`;
}

export function unlockFailureText(failures: number, limit: number): string {
  return failures >= limit ? `${limit} wrong passwords: sign in with your password and one-time code.` : `Wrong password. ${limit - failures} more before a full sign-in is needed.`;
}

export function releaseText(released: number, refused: number): string | undefined {
  const back = released > 0 ? `${released} held ${released === 1 ? 'query is' : 'queries are'} back in the queue.` : '';
  const planted = refused > 0 ? ` ${refused} held ${refused === 1 ? 'bundle was' : 'bundles were'} not held on this terminal for you and ${refused === 1 ? 'was' : 'were'} refused (reported in the audit trail).` : '';
  return `${back}${planted}`.trim() || undefined;
}
