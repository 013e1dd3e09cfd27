// Turning a pasted text or an uploaded file into import batches, in the browser. Pure code
// (no server-only): the console's import form runs it on the client, the tests on the server.
//
// Format, kept simple on purpose: one key a line. In a .csv file the key is the first
// column (a quoted field may hold commas and doubled quotes); a first line that reads
// like a column header ("key", "卡密", "card", "code"…) is dropped.

/** Same bound as lib/inventory MAX_KEY_LENGTH (that module is server-only). */
export const KEY_MAX_LENGTH = 4096;
/** Same bound as lib/inventory MAX_KEYS_PER_IMPORT, per server call. */
export const KEYS_PER_CALL_MAX = 5000;
/**
 * A server action's body is limited to 1 MB. Keys travel JSON-encoded (a CJK character as
 * up to 3 bytes, quotes and escapes add some), so a batch is cut at a quarter of that.
 */
export const BATCH_MAX_BYTES = 256 * 1024;

export type ParsedKeys = { keys: string[]; blank: number; tooLong: number; header: boolean };

const HEADER = /^(key|keys|card|card ?key|cardkey|code|secret|卡密|卡号|密钥|激活码|兑换码)$/i;

function firstCsvField(line: string): string {
  if (!line.startsWith('"')) {
    const comma = line.indexOf(',');
    return comma === -1 ? line : line.slice(0, comma);
  }
  let out = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (line[i + 1] === '"') {
        out += '"';
        i++;
      } else return out;
    } else out += c;
  }
  return out;
}

/** Keys of a text: trimmed, one a line; blank and over-long lines are counted, not kept. */
export function parseKeyText(text: string, format: 'lines' | 'csv' = 'lines'): ParsedKeys {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const keys: string[] = [];
  let blank = 0;
  let tooLong = 0;
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    const key = (format === 'csv' ? firstCsvField(lines[i]!.trim()) : lines[i]!).trim();
    if (key.length === 0) {
      // The newline after the last line is no blank line of the file.
      if (i < lines.length - 1 || lines[i]!.length > 0) blank++;
      continue;
    }
    if (format === 'csv' && keys.length === 0 && !header && tooLong === 0 && HEADER.test(key)) {
      header = true;
      continue;
    }
    if (key.length > KEY_MAX_LENGTH) {
      tooLong++;
      continue;
    }
    keys.push(key);
  }
  return { keys, blank, tooLong, header };
}

function jsonBytes(key: string): number {
  let bytes = 3; // quotes and comma
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    bytes += c < 0x20 || c === 0x22 || c === 0x5c ? 6 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return bytes;
}

/** Cuts keys into consecutive batches of at most `maxKeys` keys and about `maxBytes` bytes. */
export function planBatches(keys: readonly string[], options: { maxKeys?: number; maxBytes?: number } = {}): string[][] {
  const maxKeys = options.maxKeys ?? KEYS_PER_CALL_MAX;
  const maxBytes = options.maxBytes ?? BATCH_MAX_BYTES;
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const key of keys) {
    const size = jsonBytes(key);
    if (current.length > 0 && (current.length >= maxKeys || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(key);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
