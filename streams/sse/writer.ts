/** Frames one server-sent event, field order as the Agent Server writes it: event, data lines, id, retry. */

export interface EventFields {
  event?: string;
  data: string;
  id?: string;
  retry?: number;
}

export interface FormatOptions {
  lineEnding?: "\n" | "\r\n" | "\r";
}

/** A data string with line breaks (any style) becomes one data line per line; the parser joins them with "\n". */
export function formatEvent(e: EventFields, options: FormatOptions = {}): string {
  const nl = options.lineEnding ?? "\n";
  let out = "";
  if (e.event !== undefined) out += `event: ${oneLine("event", e.event)}${nl}`;
  for (const line of e.data.split(/\r\n|\r|\n/)) out += `data: ${line}${nl}`;
  if (e.id !== undefined) out += `id: ${oneLine("id", e.id)}${nl}`;
  if (e.retry !== undefined) {
    if (!Number.isSafeInteger(e.retry) || e.retry < 0) throw new Error(`SSE retry must be a non-negative integer, got ${e.retry}`);
    out += `retry: ${e.retry}${nl}`;
  }
  return out + nl;
}

/** A line break inside event or id would start a new field, so it is refused rather than sent. */
function oneLine(field: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must not contain a line break: ${JSON.stringify(value.slice(0, 60))}`);
  return value;
}
