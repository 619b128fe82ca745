// The committed OpenAPI artefacts an integrator starts from: the types generated from docs/openapi.json, and
// the event types the document promises, kept in step with the switch (npm run openapi rewrites both files).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, paths } from '../../../src-shared/protocol.ts';
import { openApiDocument } from '../../../src-switch/protocol/openapi.ts';
import { SWITCH_API_TYPES, switchApiTypes } from '../../../scripts/openapi-types.ts';
import { OpenApiConformance } from '../../support/openapi-conformance.ts';

const committed = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the generated client types', () => {
  it('are what openapi-typescript makes of the committed docs/openapi.json (npm run openapi)', async () => {
    expect(readFileSync(SWITCH_API_TYPES, 'utf8')).toBe(await switchApiTypes(committed));
  });
});

describe("the event stream's description", () => {
  type StreamMedia = { 'x-events': Record<string, { schema: unknown }>; schema: { contentSchema: { oneOf: unknown[] } } };
  const media = () => {
    const events = (openApiDocument().paths as Record<string, { get: { responses: Record<string, { content: Record<string, StreamMedia> }> } }>)[paths.events]!;
    return events.get.responses[200]!.content['text/event-stream']!;
  };

  it('names every event type the switch writes, each with the schema of its data', () => {
    const { 'x-events': events, schema } = media();
    expect(Object.keys(events).sort()).toEqual([...EVENT_TYPES].sort());
    expect(schema.contentSchema.oneOf).toEqual(Object.values(events).map((event) => event.schema));
  });
});

describe('the conformance check the generated-client and EventSource tests rely on', () => {
  const conformance = new OpenApiConformance();
  const answer = { queryId: 'q', idempotencyKey: '8c6f1bd0-5a7e-4c1b-9a31-0f4f2f7b9e10', receivedAt: '2026-11-23T14:02:00.000Z', parts: [] };

  it('passes a body that matches the schema of the documented status', () => {
    expect(() => conformance.checkResponse('POST', paths.queries, 200, 'application/json', answer)).not.toThrow();
    expect(() => conformance.checkResponse('POST', paths.queries, 503, 'application/json; charset=utf-8', { error: { code: 'store', message: 'down' } })).not.toThrow();
  });

  it('refuses a body that does not match, a status not listed, and an event type not listed', () => {
    expect(() => conformance.checkResponse('POST', paths.queries, 200, 'application/json', { ...answer, receivedAt: 'yesterday' })).toThrow(/receivedAt|date-time/);
    expect(() => conformance.checkResponse('POST', paths.queries, 418, 'application/json', answer)).toThrow(/does not list/);
    expect(() => conformance.checkResponse('GET', paths.health, 200, 'text/html', '<p>ok</p>')).toThrow(/documented as application\/json/);
    expect(() => conformance.checkEvent('part', { idempotencyKey: 'short' })).toThrow(/part event/);
    expect(() => conformance.checkEvent('hello', {})).toThrow(/does not list/);
  });
});
