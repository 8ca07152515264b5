// Reading the Splitline API with the admin key: the same management routes curl uses, GET only.

import { API_BASE } from "./settings.js";
import { getKey } from "./session.js";

/** A refused or failed call: status 0 when the API could not be reached at all. */
export class ApiError extends Error {
  constructor(status, body, message) {
    super(message || (body && body.message) || "HTTP " + status);
    this.status = status;
    this.code = body && body.error;
  }
  get auth() {
    return this.status === 401 || this.status === 403;
  }
}

/** The JSON body of GET path; throws an ApiError for anything but a 2xx. */
export async function api(path) {
  const key = getKey();
  if (!key) throw new ApiError(401, { error: "unauthorized", message: "no admin key" });
  let response;
  try {
    response = await fetch(API_BASE + path, { headers: { "x-api-key": key, accept: "application/json" }, cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, null, "cannot reach the API at " + (API_BASE || location.origin) + " (" + e.message + ")");
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** Loads several paths at once; each value is the body or the ApiError (an auth error aborts all). */
export async function apiAll(paths) {
  const settled = await Promise.allSettled(paths.map(api));
  const out = settled.map((r) => (r.status === "fulfilled" ? r.value : r.reason));
  const auth = out.find((v) => v instanceof ApiError && v.auth);
  if (auth) throw auth;
  return out;
}

// History is paged, newest first: a page's first view reads every page once, and each refresh then reads
// the newest page only and merges it by version (a run of holds is one entry that grows in place).
const HISTORY_PAGE = 50;
const HISTORY_PAGE_MAX = 200;
const historyCache = new Map(); // definition path -> Map(version -> entry)

/** The whole history of a definition, oldest first, as {entries}; or the ApiError (an auth error throws). */
export async function historyOf(path) {
  const base = path + "/history?order=newest&limit=";
  const sorted = (byVersion) => ({ entries: [...byVersion.values()].sort((a, b) => a.version - b.version) });
  try {
    const cached = historyCache.get(path);
    if (cached && cached.size) {
      const page = await api(base + HISTORY_PAGE);
      const entries = page.entries || [];
      const newestCached = Math.max(...cached.keys());
      // A full page that starts after everything cached may have skipped entries: read them all again.
      if (!page.next || (entries.length && entries[entries.length - 1].version <= newestCached)) {
        for (const e of entries) cached.set(e.version, e);
        return sorted(cached);
      }
    }
    const all = new Map();
    let next = null;
    do {
      const page = await api(base + HISTORY_PAGE_MAX + (next ? "&next=" + encodeURIComponent(next) : ""));
      for (const e of page.entries || []) all.set(e.version, e);
      next = page.next;
    } while (next);
    historyCache.set(path, all);
    return sorted(all);
  } catch (e) {
    if (e instanceof ApiError && !e.auth) return e;
    throw e;
  }
}
