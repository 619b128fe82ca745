// Builds SVG markup as text with every value escaped, so a drill name or key can never become markup.

/** Characters XML 1.0 cannot carry at all (C0 controls but tab and line ends, lone surrogates, U+FFFE/F): dropped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: no XML parser takes them
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an element or a quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

export type Attributes = Record<string, string | number | undefined>;

/** A number as an attribute wants it: two decimals at most, no `-0`. */
const coordinate = (value: number) => String(Math.round(value * 100) / 100 || 0);

function attributeText(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? coordinate(value) : escapeXml(value!)}"`)
    .join('');
}

/** An element; `children` is markup already built by these functions (never raw text: use `text`). */
export function element(name: string, attributes: Attributes = {}, children = ''): string {
  return children === '' ? `<${name}${attributeText(attributes)}/>` : `<${name}${attributeText(attributes)}>${children}</${name}>`;
}

/** A text element holding `content`, escaped. */
export function text(attributes: Attributes, content: string): string {
  return element('text', attributes, escapeXml(content));
}

/** The tooltip and accessible name of the element it is put in, escaped. */
export function tooltip(content: string): string {
  return element('title', {}, escapeXml(content));
}
