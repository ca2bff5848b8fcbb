/**
 * Splits a byte stream into lines, yielded a chunk's lines at a time (a million
 * lines one by one through async generators cost a promise and a turn of the
 * microtask queue each), holding at most one line and one chunk.
 * A line longer than `maxLineLength` is cut there and yielded as it is (so it
 * gets rejected), and the rest of it is dropped up to the next newline.
 */
export function readLines(body: ReadableStream<Uint8Array>, maxLineLength: number): AsyncGenerator<string[]> {
  // The reader is taken now, not on the first pull: workerd locks a request body
  // that is still unread once the handler has returned its (streamed) response.
  // TextDecoderStream accepts any BufferSource; the DOM typings only see ArrayBuffer views.
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  return lines(reader, maxLineLength);
}

async function* lines(reader: ReadableStreamDefaultReader<string>, maxLineLength: number): AsyncGenerator<string[]> {
  let pending = "";
  let dropping = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += value;
      const found: string[] = [];
      let start = 0;
      for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n", start)) {
        if (!dropping) found.push(pending.slice(start, nl).replace(/\r$/, ""));
        dropping = false;
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (dropping) pending = "";
      else if (pending.length > maxLineLength) {
        found.push(pending.slice(0, maxLineLength));
        pending = "";
        dropping = true;
      }
      if (found.length) yield found;
    }
    if (pending !== "" && !dropping) yield [pending.replace(/\r$/, "")];
  } finally {
    reader.releaseLock();
  }
}
