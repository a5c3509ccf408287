/** String formats: a generator for each known format, and Ajv's own check so generated and judged agree. */
import fc from "fast-check";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { filtered } from "./filter.ts";

type FormatCheck = (value: string) => boolean;

/** Ajv's check for a format, or undefined when Ajv treats the format as an annotation. */
export function formatCheck(format: string): FormatCheck | undefined {
  const def = (fullFormats as Record<string, unknown>)[format];
  if (def instanceof RegExp) return (v) => def.test(v);
  if (typeof def === "function") return def as FormatCheck;
  if (def && typeof def === "object") {
    const d = def as { type?: string; validate?: unknown };
    if (d.type && d.type !== "string") return undefined;
    if (d.validate instanceof RegExp) return (v) => (d.validate as RegExp).test(v);
    if (typeof d.validate === "function") return d.validate as FormatCheck;
  }
  return undefined;
}

const date = () => fc.date({ min: new Date("1970-01-01T00:00:00.000Z"), max: new Date("2099-12-31T23:59:59.999Z"), noInvalidDate: true });
const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
// Built here rather than with fc.webUrl, whose path-segment generator costs most of a second to set up.
const url = () =>
  fc.tuple(fc.constantFrom("https", "http"), fc.webAuthority({ withIPv4: true, withPort: true }), fc.array(segment, { maxLength: 3 }))
    .map(([scheme, authority, path]) => `${scheme}://${authority}${path.map((p) => "/" + p).join("")}`);

const GENERATORS: Record<string, () => fc.Arbitrary<string>> = {
  "date-time": () => date().map((d) => d.toISOString()),
  "iso-date-time": () => date().map((d) => d.toISOString()),
  date: () => date().map((d) => d.toISOString().slice(0, 10)),
  time: () => date().map((d) => d.toISOString().slice(11)),
  "iso-time": () => date().map((d) => d.toISOString().slice(11)),
  duration: () => fc.tuple(fc.nat({ max: 99 }), fc.constantFrom("D", "W", "TH", "TM", "TS")).map(([n, u]) => (u.startsWith("T") ? `PT${n}${u[1]}` : `P${n}${u}`)),
  uuid: () => fc.uuid(),
  uri: url,
  url: url,
  iri: url,
  "uri-reference": () => fc.oneof(url(), fc.array(segment, { maxLength: 3 }).map((s) => "/" + s.join("/"))),
  "iri-reference": url,
  "uri-template": url,
  email: () => fc.emailAddress(),
  "idn-email": () => fc.emailAddress(),
  hostname: () => fc.domain(),
  "idn-hostname": () => fc.domain(),
  ipv4: () => fc.ipV4(),
  ipv6: () => fc.ipV6(),
  byte: () => fc.base64String({ maxLength: 24 }),
  regex: () => fc.constantFrom("^[a-z]+$", ".*", "\\d{2,4}", "(foo|bar)"),
  "json-pointer": () => fc.array(segment, { maxLength: 3 }).map((s) => s.map((t) => "/" + t).join("")),
  "relative-json-pointer": () => fc.tuple(fc.nat({ max: 9 }), fc.array(segment, { maxLength: 2 })).map(([n, s]) => `${n}${s.map((t) => "/" + t).join("")}`),
};

/** A generator for a string format, filtered by Ajv's check; undefined for formats without one (any string fits). */
export function formatArbitrary(format: string): fc.Arbitrary<string> | undefined {
  const make = GENERATORS[format];
  if (!make) return undefined;
  const check = formatCheck(format);
  return check ? filtered(make(), check, `format ${format}`) : make();
}

/** Numeric formats bound the range an integer or number may take. */
export const NUMERIC_FORMAT_BOUNDS: Record<string, { min: number; max: number }> = {
  int8: { min: -128, max: 127 },
  int16: { min: -32768, max: 32767 },
  int32: { min: -2147483648, max: 2147483647 },
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  uint8: { min: 0, max: 255 },
  float: { min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
};

/** A few strings each format's check rejects, for negative inputs (first that fails wins). */
export function badFormatCandidates(format: string): string[] {
  return [`not-a-${format}`, "not a valid value", "%%%", " ", "2024-13-45T25:61:61Z", "999.999.999.999", ":::"];
}
