// The admin key and the address fragment it can arrive in. The key lives in this tab's sessionStorage only
// (a fragment is never sent to a server); it is taken off the address bar as soon as the page reads it.

const KEY_STORAGE = "splitline.adminKey";
let memoryKey = null; // when sessionStorage is unavailable (privacy modes)

export function getKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || memoryKey;
  } catch (e) {
    return memoryKey;
  }
}
export function setKey(key) {
  memoryKey = key || null;
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch (e) {
    // memoryKey keeps it for this page
  }
}

/** Splits the fragment into a route and parameters: "#/experiments/x?status=running" or "#key=...". */
export function parseHash() {
  const raw = location.hash.replace(/^#/, "");
  let path = raw;
  let query = "";
  if (/^[a-zA-Z]+=/.test(raw)) {
    path = "";
    query = raw;
  } else if (raw.includes("?")) {
    path = raw.slice(0, raw.indexOf("?"));
    query = raw.slice(raw.indexOf("?") + 1);
  }
  return { path: path || "/", params: new URLSearchParams(query) };
}

/** Takes #key=... (or ?key=... inside the fragment) into session storage and off the address bar. */
export function takeKeyFromFragment() {
  const { path, params } = parseHash();
  if (!params.has("key")) return;
  setKey(params.get("key"));
  params.delete("key");
  const rest = params.toString();
  const route = path === "/" ? "/experiments" : path;
  history.replaceState(null, "", location.pathname + location.search + "#" + route + (rest ? "?" + rest : ""));
}
