// The instructor page's drive map, as plain browser JavaScript appended to instructor-script.ts's body: the route, the
// coverage polygons and the car, drawn as SVG elements from the admin API's numbers. No tiles, nothing from elsewhere.
import { COVERAGE_EDGE, COVERAGE_FILL } from './report-drawing.ts';

/** The map's width in its own units; its height follows the route's shape, within these bounds. */
const MAP_WIDTH = 800;
const MAP_MIN_HEIGHT = 280;
const MAP_MAX_HEIGHT = 520;
/** Room around the route for the labels and the car. */
const MAP_MARGIN = 36;

export const INSTRUCTOR_DRIVE_SCRIPT = String.raw`
const MAP = { width: ${MAP_WIDTH}, minHeight: ${MAP_MIN_HEIGHT}, maxHeight: ${MAP_MAX_HEIGHT}, margin: ${MAP_MARGIN} };
const COVERAGE_FILL = ${JSON.stringify(COVERAGE_FILL)};
const COVERAGE_EDGE = ${JSON.stringify(COVERAGE_EDGE)};
const KIND_WORDS = { dead: 'dead', degraded: 'degraded' };

function svgElement(name, attributes, children) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  for (const child of children || []) node.append(child);
  return node;
}

/** A tooltip, and what assistive technology reads for the shape it is in. */
function svgTitle(words) {
  const node = svgElement('title');
  node.textContent = words;
  return node;
}

function svgText(attributes, words) {
  const node = svgElement('text', attributes);
  node.textContent = words;
  return node;
}

/** Equirectangular, fitted to the route: longitude shrunk by the cosine of the middle latitude, north up. */
function projection(path) {
  const lats = path.map((point) => point[0]);
  const lons = path.map((point) => point[1]);
  const [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const squeeze = Math.cos(((south + north) / 2) * Math.PI / 180);
  const spanX = Math.max((east - west) * squeeze, 1e-6);
  const spanY = Math.max(north - south, 1e-6);
  const inner = MAP.width - 2 * MAP.margin;
  const height = Math.min(MAP.maxHeight, Math.max(MAP.minHeight, inner * spanY / spanX + 2 * MAP.margin));
  const scale = Math.min(inner / spanX, (height - 2 * MAP.margin) / spanY);
  // Centred both ways, so a route taller than wide sits in the middle of the map.
  const offsetX = (MAP.width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const at = (lat, lon) => [offsetX + (lon - west) * squeeze * scale, offsetY + (north - lat) * scale];
  return { at, height, metresPerUnit: 111_320 / scale };
}

/** A scale bar of a round distance, bottom left, and north up: enough to read a map with no tiles. */
function scaleBar(metresPerUnit, height) {
  const nice = [50, 100, 200, 250, 500, 1000, 2000, 5000, 10000].find((metres) => metres / metresPerUnit >= 80) || 10000;
  const length = nice / metresPerUnit;
  const y = height - 16;
  return [
    svgElement('line', { x1: 16, x2: (16 + length).toFixed(1), y1: y, y2: y, stroke: '#222', 'stroke-width': 3 }),
    svgText({ x: 16, y: y - 8, fill: '#222' }, nice >= 1000 ? nice / 1000 + ' km' : nice + ' m'),
    svgText({ x: MAP.width - 16, y: 24, 'text-anchor': 'end', fill: '#222', 'font-weight': 'bold' }, 'N ↑'),
  ];
}

const pointsText = (points, at) => points.map(([lat, lon]) => at(lat, lon).map((n) => n.toFixed(1)).join(',')).join(' ');
const mph = (knots) => Math.round(knots * 1852 / 1609.344);

function describeDrive(drive) {
  const where = drive.car === null ? 'no position sent yet' : drive.inside === null ? 'the car is in open country' : 'the car is in ' + drive.inside + ' (' + KIND_WORDS[drive.coverage.find((area) => area.name === drive.inside).kind] + ')';
  const speed = drive.car && drive.car.speedKnots !== null ? ', ' + mph(drive.car.speedKnots) + ' mph' : '';
  const playing = drive.state === 'running' ? 'Replaying ' : 'Replayed ';
  return playing + drive.route + ' at ' + drive.speed + 'x as NMEA over UDP to ' + drive.nmeaUdp + ': ' + where + speed + ' (' + drive.sentences + ' sentences sent).';
}

function driveMap(drive) {
  const { at, height, metresPerUnit } = projection(drive.path);
  const label = 'Map of the drive: the route, ' + drive.coverage.map((area) => area.name + ' (' + area.kind + ')').join(', ') + (drive.car ? ', and the car' : '');
  const svg = svgElement('svg', { viewBox: '0 0 ' + MAP.width + ' ' + height.toFixed(0), role: 'img', 'aria-label': label, 'font-family': 'system-ui, sans-serif', 'font-size': 14 });
  svg.append(svgElement('rect', { x: 0, y: 0, width: MAP.width, height: height.toFixed(0), fill: '#f3f5f2' }));
  const labels = [];
  for (const area of drive.coverage) {
    const polygon = svgElement('polygon', { points: pointsText(area.ring, at), fill: COVERAGE_FILL[area.kind], stroke: COVERAGE_EDGE[area.kind], 'stroke-width': 1.5, 'data-coverage': area.name, 'data-kind': area.kind });
    polygon.append(svgTitle(area.name + ': ' + area.kind));
    svg.append(polygon);
    // Beside the polygon, on the side away from the route's middle, so the route and the car stay clear.
    const xs = area.ring.map(([lat, lon]) => at(lat, lon)[0]);
    const ys = area.ring.map(([lat, lon]) => at(lat, lon)[1]);
    const right = Math.max(...xs) + 8 < MAP.width - 140;
    const x = right ? Math.max(...xs) + 8 : Math.min(...xs) - 8;
    const y = (Math.min(...ys) + Math.max(...ys)) / 2;
    labels.push(svgText({ x: x.toFixed(1), y: (y - 2).toFixed(1), 'text-anchor': right ? 'start' : 'end', 'font-weight': 'bold', fill: COVERAGE_EDGE[area.kind] }, area.name));
    labels.push(svgText({ x: x.toFixed(1), y: (y + 15).toFixed(1), 'text-anchor': right ? 'start' : 'end', fill: '#222' }, area.kind === 'dead' ? 'dead: no link' : 'degraded: slow, lossy'));
  }
  svg.append(svgElement('polyline', { points: pointsText(drive.path, at), fill: 'none', stroke: '#1f3a93', 'stroke-width': 3, 'stroke-linejoin': 'round', 'stroke-linecap': 'round', 'data-route': drive.route }));
  const [startX, startY] = at(drive.path[0][0], drive.path[0][1]);
  svg.append(svgElement('circle', { cx: startX.toFixed(1), cy: startY.toFixed(1), r: 5, fill: '#ffffff', stroke: '#1f3a93', 'stroke-width': 2 }));
  labels.push(svgText({ x: (startX + 10).toFixed(1), y: (startY + 5).toFixed(1), fill: '#1f3a93' }, 'Start'));
  for (const node of [...labels, ...scaleBar(metresPerUnit, height)]) svg.append(node);
  if (drive.car) {
    const [x, y] = at(drive.car.lat, drive.car.lon);
    const car = svgElement('g', { 'data-car': 'true', transform: 'translate(' + x.toFixed(1) + ',' + y.toFixed(1) + ')' }, [
      svgElement('circle', { r: 10, fill: '#111111', stroke: '#ffffff', 'stroke-width': 3 }),
      svgText({ x: 14, y: -10, 'font-weight': 'bold', fill: '#111111', stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke' }, 'Car'),
    ]);
    car.prepend(svgTitle('The car: ' + drive.car.lat.toFixed(5) + ', ' + drive.car.lon.toFixed(5)));
    svg.append(car);
  }
  return svg;
}

function showDrive(answer) {
  const drive = answer && answer.drive;
  byId('drive-section').hidden = !drive;
  if (!drive) return;
  say(byId('drive-status'), describeDrive(drive));
  byId('drive-map').replaceChildren(driveMap(drive));
}
`;
