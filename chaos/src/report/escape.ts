// XML 1.0 forbids most control characters even when escaped; checker examples may carry them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside XML/HTML content and double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export const escapeHtml = escapeXml;
