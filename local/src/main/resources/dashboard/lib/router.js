// The router: the table of pages (filled by app.js through route()), the render and auto-refresh loop,
// the session bar, the key form and the error page. A page is a view module exporting render(context).

import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { fmtClock } from "./format.js";
import { getKey, parseHash, setKey, takeKeyFromFragment } from "./session.js";
import { API_BASE, REFRESH_MS } from "./settings.js";

const view = document.getElementById("view");
const session = document.getElementById("session");
const foot = document.getElementById("foot");
const tabs = document.getElementById("tabs");

const routes = [];
let generation = 0;
let refreshTimer = null;
let refreshPaused = false;
const uiState = new Map(); // per route: things the user opened, kept across refreshes

/**
 * Registers a page. pattern: "/rollouts" or "/rollouts/:key", where each :name segment is decoded into
 * context.params.name. page: a module whose render({params, query, state}) answers the page's element
 * (or a promise of it); query holds the fragment's ?parameters, state what the user opened, kept across
 * refreshes. tab: when given, a header tab with this text leads to pattern; pages under the same first
 * segment ("/rollouts/:key") mark that tab as current.
 */
export function route(pattern, page, tab) {
  const names = [];
  const regex = new RegExp("^" + pattern.replace(/:(\w+)/g, (m, name) => {
    names.push(name);
    return "([^/]+)";
  }) + "$");
  const section = pattern.split("/")[1];
  routes.push({ regex, names, page, section });
  if (tab) tabs.append(h("a", { id: "nav-" + section, href: "#" + pattern }, tab));
}

/** Shows the page the address names, and keeps following the address. Call once, after every route(). */
export function start() {
  foot.textContent = "API " + (API_BASE || location.origin) + " · times in UTC";
  takeKeyFromFragment();
  if (parseHash().path === "/" && getKey()) history.replaceState(null, "", location.pathname + location.search + "#/experiments");
  window.addEventListener("hashchange", () => {
    takeKeyFromFragment();
    render(true);
  });
  render(false);
}

/** Draws the current page again (after the user changed something kept in its state). */
export function redraw() {
  render(false);
}

function stateFor(path) {
  if (!uiState.has(path)) uiState.set(path, { open: new Set(), showAll: false, announced: new Set() });
  return uiState.get(path);
}

async function load(route, path, query) {
  const m = route.regex.exec(path);
  const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
  return route.page.render({ params, query, state: stateFor(path) });
}

async function render(navigated) {
  const gen = ++generation;
  clearTimeout(refreshTimer);
  const { path, params } = parseHash();
  view.dataset.route = location.hash; // what the address bar shows (never the key)
  const route = routes.find((r) => r.regex.test(path));
  if (!route) {
    location.replace("#/experiments");
    return;
  }
  for (const link of tabs.querySelectorAll("a")) {
    if (link.id === "nav-" + route.section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  renderSession();
  if (!getKey()) {
    showKeyForm(null);
    return;
  }
  view.dataset.state = "loading";
  try {
    const page = await load(route, path, params);
    if (gen !== generation) return;
    swap(page, path);
    if (navigated) view.focus({ preventScroll: false });
    scheduleRefresh(gen, route, path, params);
  } catch (e) {
    if (gen !== generation) return;
    showError(e);
  }
}

function swap(page, path) {
  const state = stateFor(path);
  view.querySelectorAll("details[data-persist]").forEach((d) => {
    if (d.open) state.open.add(d.dataset.persist);
    else state.open.delete(d.dataset.persist);
  });
  page.querySelectorAll("details[data-persist]").forEach((d) => {
    d.open = state.open.has(d.dataset.persist);
  });
  // An alert is announced once per page, not again at every refresh that redraws it.
  page.querySelectorAll('[role="alert"][id]').forEach((a) => {
    if (state.announced.has(a.id)) a.removeAttribute("role");
    else state.announced.add(a.id);
  });
  view.replaceChildren(page);
  view.dataset.state = "ready";
  view.dataset.updated = new Date().toISOString();
  const bar = view.querySelector(".refresh-status");
  if (bar) bar.textContent = refreshText();
}

function scheduleRefresh(gen, route, path, params) {
  if (!REFRESH_MS || refreshPaused) return;
  refreshTimer = setTimeout(async () => {
    if (gen !== generation) return;
    if (document.hidden) {
      scheduleRefresh(gen, route, path, params);
      return;
    }
    try {
      const page = await load(route, path, params);
      if (gen !== generation) return;
      swap(page, path);
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof ApiError && e.auth) {
        showError(e);
        return;
      }
      const bar = view.querySelector(".refresh-status");
      if (bar) {
        bar.setAttribute("role", "status");
        bar.textContent = "Refresh failed at " + fmtClock(Date.now()) + " UTC (" + e.message + "); retrying.";
      }
    }
    scheduleRefresh(gen, route, path, params);
  }, REFRESH_MS);
}

function refreshText() {
  const at = "Updated " + fmtClock(Date.now()) + " UTC";
  if (!REFRESH_MS) return at + ".";
  return at + (refreshPaused ? " · auto-refresh paused." : " · refreshes every " + REFRESH_MS / 1000 + " s.");
}

/** When the page was read, and the link that pauses auto-refresh: every page puts it beside its title. */
export function refreshBar() {
  const toggle = h("button", {
    type: "button", class: "link-button", "aria-pressed": String(refreshPaused),
    onclick: () => {
      refreshPaused = !refreshPaused;
      render(false);
    },
  }, refreshPaused ? "Resume auto-refresh" : "Pause auto-refresh");
  return h("div", { class: "refresh" },
    h("span", { class: "refresh-status" }, refreshText()),
    REFRESH_MS ? toggle : null);
}

function renderSession() {
  const key = getKey();
  if (!key) {
    session.replaceChildren();
    return;
  }
  session.replaceChildren(
    h("span", { class: "muted", title: "The admin key is kept in this tab's session storage only." },
      "key ••••" + key.slice(-4)),
    h("button", { type: "button", class: "link-button", onclick: () => { setKey(null); render(false); } }, "Sign out"));
}

function showKeyForm(problem) {
  clearTimeout(refreshTimer);
  renderSession();
  const input = h("input", { id: "key-input", name: "key", type: "password", autocomplete: "off", spellcheck: "false", required: true });
  const form = h("form", {
    id: "key-form", class: "key-form",
    onsubmit: (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      setKey(key);
      if (parseHash().path === "/") history.replaceState(null, "", "#/experiments");
      render(true);
    },
  },
    h("label", { for: "key-input" }, "Admin key"),
    h("div", { class: "row" }, input, h("button", { type: "submit" }, "Open dashboard")));
  view.replaceChildren(h("section", { class: "card narrow signin" },
    h("h1", null, "Sign in to Splitline"),
    problem ? h("p", { class: "banner bad", role: "alert", id: "auth-error" }, problem) : null,
    h("p", null, "The dashboard calls the management API with the admin key (",
      h("code", null, "x-api-key"), "). The local stack prints a link with it at start-up: ",
      h("code", null, "/#key=<admin key>"), ". The key stays in this tab only."),
    form));
  view.dataset.state = problem ? "unauthorized" : "signin";
  input.focus();
}

function showError(e) {
  if (e instanceof ApiError && e.auth) {
    setKey(null);
    const what = e.status === 401 ? "401 unauthorized" : "403 forbidden";
    showKeyForm("The API refused this key (" + what + (e.message ? ": " + e.message : "") + "). Enter the admin key.");
    return;
  }
  view.replaceChildren(h("section", { class: "card" },
    h("h1", null, "Something went wrong"),
    h("p", { class: "banner bad", role: "alert" }, e instanceof ApiError && e.status
      ? "The API answered " + e.status + (e.code ? " " + e.code : "") + ": " + e.message
      : String(e.message || e)),
    h("p", null, h("button", { type: "button", onclick: () => render(false) }, "Try again"))));
  view.dataset.state = "error";
}
