/**
 * Reads a body stream as UTF-8 text, stopping as soon as it passes `max` bytes (whatever
 * the headers claimed) and throwing what `tooLarge` makes. Shared by request bodies
 * (app/api/_lib/http.ts) and answers from merchant URLs (lib/notify/outbound.ts).
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, max: number, tooLarge: () => Error): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
