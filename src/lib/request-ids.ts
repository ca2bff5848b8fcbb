// Every response carries an X-Request-Id. A random UUID for each cost ~0.25 µs in a refresh
// storm, most of it refilling Node's pool of random bytes from the system every 128 ids; an id
// only has to be unique, not unguessable. So an instance draws a random prefix once (74 bits,
// with a v4 UUID's version and variant in place) and counts in the last 12 hex digits: each id
// keeps a UUID's shape, is unique in its instance by the count and across instances by the
// prefix, which is drawn anew should the count ever run out. Drawn at the first id, not when the
// module loads: Workers allow no random numbers in an isolate's global scope.

const countsPerPrefix = 2 ** 48;
let prefix = "";
let count = countsPerPrefix;

/** A new request id: `xxxxxxxx-xxxx-4xxx-yxxx-` random, then a count. */
export function nextRequestId(): string {
  if (++count >= countsPerPrefix) {
    prefix = crypto.randomUUID().slice(0, 24);
    count = 1;
  }
  return prefix + count.toString(16).padStart(12, "0");
}
