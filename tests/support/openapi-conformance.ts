// Holds the switch to docs/openapi.json: every status it answers must be documented for the operation, and
// every JSON body (and every event on the stream) valid against the document's own schema, checked with Ajv.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';

type Responses = Record<string, { $ref?: string; content?: Record<string, unknown> }>;
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Responses }>>;
  components: { responses: Responses };
}

const DOCUMENT_ID = 'https://outrider.invalid/openapi.json';
// ajv-formats is CommonJS: its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as typeof addFormatsPlugin;

/** A JSON pointer token (RFC 6901). */
const token = (text: string) => text.replace(/~/g, '~0').replace(/\//g, '~1');

export class OpenApiConformance {
  readonly document: OpenApiDocument;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();
  /** Every `METHOD path status` checked, so a test can show it covered what it meant to. */
  readonly checked = new Set<string>();

  constructor(file = new URL('../../docs/openapi.json', import.meta.url)) {
    this.document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
    addFormats(this.#ajv);
    // The whole document is the schema resource, so its #/components/schemas/... references resolve inside it.
    this.#ajv.addSchema({ ...this.document, $id: DOCUMENT_ID });
  }

  #validator(pointer: string): ValidateFunction {
    let validate = this.#validators.get(pointer);
    if (!validate) this.#validators.set(pointer, (validate = this.#ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` })));
    return validate;
  }

  #assertValid(pointer: string, value: unknown, what: string): void {
    const validate = this.#validator(pointer);
    if (!validate(value)) throw new Error(`${what} does not match docs/openapi.json (${pointer}): ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
  }

  /** Throws unless `status` is documented for the operation and `body` (parsed JSON, or undefined when empty) matches its schema. */
  checkResponse(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const what = `${method.toUpperCase()} ${path} ${status}`;
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in docs/openapi.json`);
    let pointer = `/paths/${token(path)}/${method.toLowerCase()}/responses/${status}`;
    let response = operation.responses[String(status)];
    if (!response) throw new Error(`${what}: the switch answered a status docs/openapi.json does not list for this operation`);
    if (response.$ref) {
      pointer = response.$ref.slice(1);
      response = this.document.components.responses[response.$ref.split('/').pop()!]!;
    }
    this.checked.add(what);
    if (!response.content) {
      if (body !== undefined) throw new Error(`${what}: docs/openapi.json says no body, and the switch sent one`);
      return;
    }
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    if (!(mediaType in response.content)) throw new Error(`${what}: answered as ${mediaType || 'nothing'}, documented as ${Object.keys(response.content).join(', ')}`);
    this.#assertValid(`${pointer}/content/${token(mediaType)}/schema`, body, what);
  }

  /** Throws unless `type` is an event type the document lists for GET /v1/events and `data` matches its schema. */
  checkEvent(type: string, data: unknown): void {
    const pointer = `/paths/${token('/v1/events')}/get/responses/200/content/${token('text/event-stream')}/x-events/${token(type)}/schema`;
    const events = (this.document.paths['/v1/events']!.get!.responses['200']!.content!['text/event-stream'] as { 'x-events': Record<string, unknown> })['x-events'];
    if (!(type in events)) throw new Error(`The stream carried a "${type}" event, which docs/openapi.json does not list`);
    this.checked.add(`event ${type}`);
    this.#assertValid(pointer, data, `The ${type} event's data`);
  }

  /** An openapi-fetch middleware that checks every response the client receives, by the operation it called. */
  middleware(): Middleware {
    return {
      onResponse: async ({ request, response, schemaPath }) => {
        // An event stream stays open: its events are checked one by one with checkEvent.
        if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
          this.checkResponse(request.method, schemaPath, response.status, 'text/event-stream', '');
          return undefined;
        }
        const text = await response.clone().text();
        this.checkResponse(request.method, schemaPath, response.status, response.headers.get('content-type'), text === '' ? undefined : (JSON.parse(text) as unknown));
        return undefined;
      },
    };
  }
}
