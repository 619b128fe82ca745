// The instructor page during a drive drill: the route, the coverage polygons and the car drawn as SVG from the
// switch's own numbers, the car moving as the switch replays the route.
import { createSocket, type Socket } from 'node:dgram';
import { SwitchProcess } from '../../scripts/switch-process.ts';
import { expect, test } from './fixtures.ts';

const SHOTS = '/tmp/shots';
let driveSwitch: SwitchProcess;
let listener: Socket;

test.beforeAll(async () => {
  // Something listens where the sentences go, as the terminal's NMEA source would; the page needs none of them.
  listener = createSocket('udp4');
  await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
  const nmeaUdp = `127.0.0.1:${listener.address().port}`;
  // 4x: the car reaches the canyon in about 15 s, and the whole route plays in about a minute.
  driveSwitch = new SwitchProcess(0, ['--latency-scale', '0', '--data-size', '200', '--store', 'memory', '--drill', 'drills/canyon-drive.json', '--drive-speed', '4', '--drive-nmea-udp', nmeaUdp]);
  await driveSwitch.start();
});
test.afterAll(async () => {
  await driveSwitch.stop();
  listener.close();
});

test('draws the drive: the route, the dead and degraded coverage, and the car as it moves into the canyon', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 1000 });
  await page.goto(`${driveSwitch.adminUrl}/#admin-token=${driveSwitch.adminToken}`);
  const drive = page.getByRole('region', { name: 'Drive' });
  await expect(drive).toBeVisible();
  const map = drive.getByRole('img', { name: /Map of the drive/ });
  await expect(map).toBeVisible();
  await expect(map.locator('polyline[data-route="routes/canyon-drive.nmea"]')).toHaveCount(1);
  await expect(map.locator('polygon[data-coverage="Canyon"][data-kind="dead"]')).toHaveCount(1);
  await expect(map.locator('polygon[data-coverage="Ridge"][data-kind="degraded"]')).toHaveCount(1);
  await expect(map.getByText('dead: no link')).toBeVisible();
  await expect(map.getByText('degraded: slow, lossy')).toBeVisible();
  const car = map.locator('g[data-car]');
  await expect(car).toHaveCount(1);
  const firstPlace = await car.getAttribute('transform');

  // The page follows the replay: the car moves, and the page says when it is in the canyon.
  await expect(drive.getByText(/the car is in Canyon \(dead\)/)).toBeVisible({ timeout: 30_000 });
  expect(await car.getAttribute('transform')).not.toBe(firstPlace);
  await expect(page.locator('input[name="blackHole"]')).toBeChecked();
  await drive.screenshot({ path: `${SHOTS}/instructor-drive.png` });
  await page.screenshot({ path: `${SHOTS}/instructor-drive-page.png`, fullPage: true });
});
