/**
 * Where a secret may hide in what a run wrote: every file under a folder, and the files packed inside
 * Playwright's HTML report (a zip embedded in index.html as base64, its entries deflated).
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { filesUnder } from "../cli/harness.ts";

/** The entries of a zip archive, read from its central directory. */
export function unzip(zip: Buffer): { name: string; data: Buffer }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    at += 46 + nameLength + extra;
  }
  return entries;
}

/** Every file under `dir` (and every entry of an embedded Playwright report) that contains `secret`. */
export function filesContaining(dir: string, secret: string): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, "latin1");
    if (text.includes(secret)) found.push(file);
    const embedded = /playwrightReportBase64">data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(text);
    if (embedded) for (const e of unzip(Buffer.from(embedded[1]!, "base64"))) if (e.data.toString("latin1").includes(secret)) found.push(`${file} → ${e.name}`);
  }
  return found;
}
