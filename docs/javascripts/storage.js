// The reader's edits, kept in localStorage across reloads and visits.
//
// One entry per page, "nndl.edits:<page path>", holding { <hash of the lesson's code>: { code,
// index, saved } }: an edit is keyed to the cell's original code, not to its position, so adding
// a cell above does not move edits around. When the lesson's code of a cell changes, its old
// hash matches no cell any more; the edit is then found by its position (index) and shown with a
// notice, so the reader's version is never silently dropped.
//
// Two tabs of one page share these entries. Every save reads the entry afresh, so edits of
// different cells in the two tabs are all kept; for the same cell, the edit typed last is saved,
// and neither tab replaces the text under its reader's cursor with the other's.

import { without } from "./features.js";

const PREFIX = "nndl.edits:";

/** The page's localStorage. Using it throws when the browser refuses it (site data blocked,
 *  storage full), or when the page was asked to do without it (features.js). */
function local() {
  if (without("local-storage")) throw new DOMException("localStorage is switched off", "SecurityError");
  return localStorage;
}

/** A short, stable fingerprint of a string (cyrb53). */
export function fingerprint(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export class EditStore {
  constructor(page) {
    this.key = PREFIX + page;
  }

  read() {
    try {
      const data = JSON.parse(local().getItem(this.key) || "{}");
      return data && typeof data === "object" ? data : {};
    } catch {
      return {}; // storage disabled, or an entry this page cannot read: start afresh
    }
  }

  /** Apply change(data) to the stored entries; false when the browser refused to store them. */
  update(change) {
    const data = this.read();
    change(data);
    try {
      if (Object.keys(data).length) local().setItem(this.key, JSON.stringify(data));
      else local().removeItem(this.key);
      return true;
    } catch {
      return false;
    }
  }

  /** The reader's version of the cell whose lesson code has this hash, if any. */
  edited(hash) {
    const entry = this.read()[hash];
    return entry && typeof entry.code === "string" ? entry : null;
  }

  /** An edit made at this position to code the lesson no longer has: { hash, code, … } or null. */
  orphan(index, currentHashes) {
    for (const [hash, entry] of Object.entries(this.read())) {
      if (entry && entry.index === index && !currentHashes.has(hash) && typeof entry.code === "string") {
        return { hash, ...entry };
      }
    }
    return null;
  }

  save(hash, index, code) {
    return this.update((data) => {
      data[hash] = { code, index, saved: new Date().toISOString() };
    });
  }

  remove(...hashes) {
    return this.update((data) => {
      for (const hash of hashes) delete data[hash];
    });
  }
}

// ---- Safe localStorage, for the other things the site keeps (progress.js) ----------------------
// Every call survives a browser that disables storage (access throws) or refuses to store more.

/** The parsed JSON stored under key, or null (nothing stored, unreadable, or no storage). */
export function readJSON(key) {
  try {
    const text = local().getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** Store value as JSON under key; false when the browser refused. */
export function writeJSON(key, value) {
  try {
    local().setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Forget key; false when the browser refused. */
export function removeKey(key) {
  try {
    local().removeItem(key);
    return true;
  } catch {
    return false;
  }
}

/** True when this page may store things in localStorage at all. */
export function storageWorks() {
  const probe = "nndl.probe";
  try {
    local().setItem(probe, "1");
    local().removeItem(probe);
    return true;
  } catch {
    return false;
  }
}
