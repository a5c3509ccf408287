/** The one JSON call the driver makes outside streams (untimed setup such as creating threads). */
import { request, type Dispatcher } from "undici";

export async function postJson(dispatcher: Dispatcher, url: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const res = await request(url, {
    method: "POST",
    dispatcher,
    headers: { ...headers, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
  });
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`POST ${new URL(url).pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`POST ${new URL(url).pathname} answered ${res.statusCode} with a body that is not JSON`);
  }
}
