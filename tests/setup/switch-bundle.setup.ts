// Global setup of both test runners (Vitest and Playwright): builds the switch bundle from the sources as they are
// now, before any worker starts, so every switch a test starts runs it (scripts/switch-bundle.ts).
import { buildSwitchBundle } from '../../scripts/switch-bundle.ts';

export default async function setup(): Promise<void> {
  await buildSwitchBundle();
}
