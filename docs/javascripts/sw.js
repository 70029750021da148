// The service worker: the course keeps working with no network after one visit.
//
// py_src/nndl_site/offline.py writes this file to the site's root with MANIFEST filled in: every file a
// reader could need offline, with its size and sha256, and a version made from those hashes (a
// deployment that changes a file ships a new worker, which keeps what is still valid). One cache
// per site root and version, so that sites sharing an origin keep their own.
//
// Online, GET requests go to the browser's network and HTTP cache (which also keeps the compiled
// machine code a response from here would lose); only pages pass through here, so that a failing
// network still shows the saved copy. Offline: the saved copy (only bytes that match the
// manifest are kept), or the offline page for a page that is not saved, and a sitemap of the
// saved pages only.
//
// Messages from a page arrive with a MessagePort to answer on:
//   { type: "remember", urls, runtime } → status   keep this page's files (and Python's, once ready)
//   { type: "status" }                  → status
//   { type: "save" }   → progress after each file, then status or { type: "failed", message }
//   { type: "remove" }                  → status
// status/progress: { type, version, files, bytes, savedFiles, savedBytes, wanted, saving }.

const MANIFEST = /* manifest */ null;

const ROOT = new URL("./", self.location.href).href; // this worker sits at the site's root
const PREFIX = `nndl ${ROOT} `;
const CACHE = PREFIX + MANIFEST.version;
const OFFLINE_PAGE = "offline/index.html";
const SITEMAP = "sitemap.xml";
const HASH_HEADER = "x-nndl-sha256"; // on each cached response: the sha256 it was checked against
const WANTED = new URL("offline-copy-wanted", ROOT).href; // cache entry: the reader asked for it all
const PARALLEL = 4; // downloads at a time while saving

// ---- Files and their addresses ---------------------------------------------------------------

/** The manifest path of a URL of this site ("lessons/x/" → "lessons/x/index.html"), or null. */
function pathOf(url) {
  const address = new URL(url);
  address.search = address.hash = "";
  if (!address.href.startsWith(ROOT)) return null;
  let path = decodeURIComponent(address.href.slice(ROOT.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  return Object.hasOwn(MANIFEST.files, path) ? path : null;
}

const keyOf = (path) => new URL(path, ROOT).href;
const isPage = (path) => path.endsWith(".html");

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The bytes that were hashed: the sitemap names the site's address, written as "{root}". */
function hashedBytes(path, buffer) {
  if (path !== SITEMAP) return buffer;
  return new TextEncoder().encode(new TextDecoder().decode(buffer).replaceAll(ROOT, "{root}"));
}

/** A copy of the response fit for the cache when its bytes are the manifest's, else null. */
async function checked(path, response) {
  if (!response.ok || response.redirected || response.type !== "basic") return null;
  const buffer = await response.arrayBuffer();
  if ((await sha256(hashedBytes(path, buffer))) !== MANIFEST.files[path].sha256) return null;
  const headers = new Headers(response.headers);
  headers.set(HASH_HEADER, MANIFEST.files[path].sha256);
  return new Response(buffer, { status: response.status, statusText: response.statusText, headers });
}

/** Download a file into the cache, verified. The browser's HTTP cache is tried first (the page
 *  has usually just loaded it), then the network, in case that copy was from an older version. */
async function download(path, cache) {
  for (const mode of ["force-cache", "reload"]) {
    const response = await fetch(keyOf(path), { cache: mode });
    const good = await checked(path, response);
    if (good) {
      await cache.put(keyOf(path), good);
      return;
    }
  }
  throw new Error(`${path} did not match the course's manifest`);
}

// ---- Answering requests ----------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const path = pathOf(request.url);
  const page = request.mode === "navigate" && request.url.startsWith(ROOT);
  if (self.navigator.onLine && !unreachable) {
    if (page) event.respondWith(fromNetwork(path, request));
    return;
  }
  if (page && self.navigator.onLine) event.respondWith(fromNetwork(path, request));
  else if (page || path !== null) event.respondWith(saved(path, request));
});

/** Whether the last page asked for could not be fetched although the browser believes it is
 *  online: the site's server, or the network, answers nothing (a captive portal, a server that
 *  is down). Until a page comes from the network again, the other files are answered from the
 *  saved copy too, as when the browser knows it is offline. */
let unreachable = false;

/** A page from the network, or its saved copy when the network fails. */
async function fromNetwork(path, request) {
  try {
    const response = await fetch(request);
    unreachable = false;
    return response;
  } catch {
    unreachable = true;
    return saved(path, request);
  }
}

/** This version's cache; null once a newer worker has replaced this one and deleted it (a
 *  request that was already on its way must not create it again). */
async function openCache() {
  if (self.serviceWorker?.state === "redundant") return null;
  return caches.open(CACHE);
}

/** The saved copy of a file of the site (path: its manifest path, or null for a page the site
 *  does not have), for a reader without network; the offline page for a page that is not saved. */
async function saved(path, request) {
  const cache = await openCache();
  if (cache && path === SITEMAP) return savedSitemap(cache);
  const copy = cache && path !== null ? await cache.match(keyOf(path)) : undefined;
  if (copy) return copy;
  if (path === null || isPage(path)) return offlinePage(request.url);
  return fetch(request); // not saved: the network, if it is there after all
}

/** Send the browser to the offline page, which names the page that was asked for; when that page
 *  is not saved either (the reader removed the copy), a plain page that says the same. */
async function offlinePage(url) {
  const cache = await openCache();
  if (cache && pathOf(url) !== OFFLINE_PAGE && (await cache.match(keyOf(OFFLINE_PAGE)))) {
    const target = new URL(OFFLINE_PAGE.replace(/index\.html$/, ""), ROOT);
    target.searchParams.set("page", new URL(url).pathname);
    return Response.redirect(target.href, 302);
  }
  const text = "<!doctype html><html lang=en><meta charset=utf-8><title>You are offline</title>" +
    "<meta name=viewport content='width=device-width'><h1>You are offline</h1>" +
    "<p>This page is not saved in this browser, and there is no network connection to fetch it." +
    `<p><a href="${ROOT}">The course's home page</a> opens if it is saved.`;
  return new Response(text, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** The saved sitemap, listing only the pages that are saved (none when it is not saved). */
async function savedSitemap(cache) {
  const saved = await cache.match(keyOf(SITEMAP));
  const text = saved ? await saved.text() : '<?xml version="1.0" encoding="UTF-8"?>\n<urlset></urlset>';
  const keys = new Set((await cache.keys()).map((request) => request.url));
  const kept = text.replace(/<url>\s*<loc>([^<]*)<\/loc>[\s\S]*?<\/url>\s*/g, (entry, loc) => {
    const path = pathOf(loc);
    return path && keys.has(keyOf(path)) ? entry : "";
  });
  return new Response(kept, { headers: { "Content-Type": "application/xml" } });
}

// ---- Installing a new version, removing the old ones -----------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(moveIn().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** Fill this version's cache from the older ones: files whose sha256 is unchanged are copied,
 *  the ones that changed are downloaded again, and when the reader had asked for the whole
 *  course, the files new in this version too. Best effort: a file that fails is fetched later,
 *  when it is asked for, and the control then shows that the copy is not complete. */
async function moveIn() {
  const cache = await caches.open(CACHE);
  const refetch = new Set();
  let wanted = false;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (request.url === WANTED) {
        wanted = true;
        continue;
      }
      const path = pathOf(request.url);
      if (path === null) continue;
      const response = await old.match(request);
      if (response.headers.get(HASH_HEADER) === MANIFEST.files[path].sha256) await cache.put(keyOf(path), response);
      else refetch.add(path);
    }
  }
  if (wanted) {
    await cache.put(WANTED, new Response("yes"));
    for (const path of await missing(cache)) refetch.add(path);
  }
  await downloadAll([...refetch], cache, () => {}).catch(() => {});
}

// ---- Saving: what one visit keeps, and the whole course ----------------------------------------

/** Manifest paths not in the cache yet. */
async function missing(cache) {
  const keys = new Set((await cache.keys()).map((request) => request.url));
  return Object.keys(MANIFEST.files).filter((path) => !keys.has(keyOf(path)));
}

async function status(extra = {}) {
  const cache = (await caches.has(CACHE)) ? await caches.open(CACHE) : null;
  const keys = new Set(cache ? (await cache.keys()).map((request) => request.url) : []);
  let files = 0, bytes = 0, savedFiles = 0, savedBytes = 0;
  for (const [path, { size }] of Object.entries(MANIFEST.files)) {
    files += 1;
    bytes += size;
    if (keys.has(keyOf(path))) {
      savedFiles += 1;
      savedBytes += size;
    }
  }
  const wanted = keys.has(WANTED);
  return { version: MANIFEST.version, files, bytes, savedFiles, savedBytes, wanted, saving: Boolean(saving), ...extra };
}

/** Download paths, PARALLEL at a time; onFile() after each. Rejects with the first failure,
 *  after the other downloads have ended (what was saved stays saved). */
async function downloadAll(paths, cache, onFile) {
  const queue = [...paths];
  let failure = null;
  const lane = async () => {
    while (queue.length && !failure) {
      const path = queue.shift();
      try {
        await download(path, cache);
        await onFile(path);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  if (failure) throw failure;
}

/** Keep what one visit needs: the given URLs of this site, the shell, and the runtime if asked. */
async function remember(urls, runtime) {
  const cache = await caches.open(CACHE);
  const keys = new Set((await cache.keys()).map((request) => request.url));
  const paths = new Set(MANIFEST.shell);
  for (const url of urls) {
    const path = pathOf(url);
    if (path) paths.add(path);
  }
  if (runtime) for (const path of MANIFEST.runtime) paths.add(path);
  const todo = [...paths].filter((path) => !keys.has(keyOf(path)));
  // One file failing (the network went away) does not stop the others.
  await Promise.all(todo.map((path) => download(path, cache).catch(() => {})));
}

let saving = null; // the running save: { ports, promise }

/** Save the whole course; every port that asked hears the progress. */
function save(port) {
  if (saving) {
    saving.ports.add(port);
    return saving.promise;
  }
  const ports = new Set([port]);
  const tell = async (type, extra) => {
    const message = { type, ...(await status(extra)) };
    for (const p of ports) p.postMessage(message);
  };
  const promise = (async () => {
    const cache = await caches.open(CACHE);
    await cache.put(WANTED, new Response("yes"));
    try {
      await downloadAll(await missing(cache), cache, () => tell("progress"));
      saving = null;
      await tell("status");
    } catch (error) {
      saving = null;
      await tell("failed", { message: error.message || String(error) });
    }
  })();
  saving = { ports, promise };
  return promise;
}

async function remove() {
  if (saving) await saving.promise.catch(() => {});
  await caches.delete(CACHE);
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const data = event.data || {};
  if (!port) return;
  const answer = async () => port.postMessage({ type: "status", ...(await status()) });
  let work;
  if (data.type === "remember") work = remember(data.urls || [], Boolean(data.runtime)).then(answer);
  else if (data.type === "status") work = answer();
  else if (data.type === "save") work = save(port);
  else if (data.type === "remove") work = remove().then(answer);
  else return;
  event.waitUntil(work);
});
