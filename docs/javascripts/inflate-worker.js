// The inflating worker: started by the page beside the Python worker (spawn.js) and connected to
// it by a MessagePort, to download the Python worker's wheels and inflate their files off the
// thread that starts Python (compile-ahead.js's wheelReader). The page's one message is that
// port. On the port it gets { id, url, integrity } for each wheel, then { done: true }, and
// answers { id, more } as bytes arrive (their number), then { id, bytes, files: [[path,
// ArrayBuffer], …], end } (handing the buffers over; end: when the last byte arrived, ms since
// the epoch), or { id, error }. Once told it is done and every wheel is answered, it ends itself.
// Built as a classic script.

import { inflateAll } from "./compile-ahead.js";

self.onmessage = ({ data: port }) => {
  let pending = 0;
  let done = false;
  const endIfDone = () => {
    if (done && !pending) {
      port.close();
      self.close();
    }
  };
  port.onmessage = async ({ data }) => {
    if (data.done) {
      done = true;
      endIfDone();
      return;
    }
    const { id, url, integrity } = data;
    pending += 1;
    try {
      const { bytes, files, end } = await read(url, integrity, (more) => port.postMessage({ id, more }));
      port.postMessage({ id, bytes, files, end }, [bytes, ...files.map(([, file]) => file)]);
    } catch (error) {
      port.postMessage({ id, error: error?.message ?? String(error) });
    }
    pending -= 1;
    endIfDone();
  };
};

/** Download a wheel, checked against `integrity`, and inflate its files. */
async function read(url, integrity, onBytes) {
  // With an integrity, the browser checks the bytes before the body gives the last of them.
  const response = await fetch(url, { integrity });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const bytes = await readAll(response, onBytes);
  const timing = performance.getEntriesByName(response.url).at(-1);
  const end = Math.round(performance.timeOrigin + (timing?.responseEnd || performance.now()));
  return { bytes, files: await inflateAll(bytes), end };
}

/** A response's body as one ArrayBuffer, telling onBytes how many bytes each piece brought. */
async function readAll(response, onBytes) {
  const pieces = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(value);
    length += value.byteLength;
    onBytes(value.byteLength);
  }
  const whole = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.byteLength;
  }
  return whole.buffer;
}
