// What the browser may import of this domain: pure code with no database or secrets (the
// console's import form cuts a file into batches with it before sending them).
export { parseKeyText, planBatches, KEY_MAX_LENGTH, KEYS_PER_CALL_MAX, BATCH_MAX_BYTES, type ParsedKeys } from './batching';
