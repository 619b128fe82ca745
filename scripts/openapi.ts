// Writes docs/openapi.json from the shared schemas, and the TypeScript types openapi-typescript makes of it;
// unit tests fail when either committed copy is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../src-switch/protocol/openapi.ts';
import { SWITCH_API_TYPES, switchApiTypes } from './openapi-types.ts';

const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
const document = openApiDocument();
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`Wrote ${target}`);
writeFileSync(SWITCH_API_TYPES, await switchApiTypes(document));
console.log(`Wrote ${fileURLToPath(SWITCH_API_TYPES)}`);
