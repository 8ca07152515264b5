// Splitline dashboard: plain ES2020, no build step, no external resources. Every string that comes from
// the API reaches the page through textContent or an attribute (the h()/s() helpers), never as HTML.
"use strict";

(() => {
  const CONFIG = Object.assign({ apiBase: "", refreshSeconds: 5 }, window.SPLITLINE_CONFIG || {});
  const API_BASE = String(CONFIG.apiBase || "").replace(/\/+$/, "");
  const REFRESH_MS = Math.max(0, Number(CONFIG.refreshSeconds) || 0) * 1000;
  const KEY_STORAGE = "splitline.adminKey";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const HISTORY_ROWS = 50;
  const FINAL_ROLLOUT = new Set(["completed", "rolled_back", "aborted"]);
  const VARIANT_COLOURS = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
  const EXPERIMENT_STATUSES = ["draft", "running", "paused", "completed", "archived"];
  const DECISIONS = ["advance", "hold", "rollback", "complete", "manual"];

  const view = document.getElementById("view");
  const session = document.getElementById("session");
  const foot = document.getElementById("foot");

  // ---------------------------------------------------------------- DOM helpers

  function build(node, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
  const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

  // ---------------------------------------------------------------- formatting

  const isNum = (x) => typeof x === "number" && Number.isFinite(x);
  const DASH = "–";

  function fmtInt(n) {
    return isNum(n) ? Math.round(n).toLocaleString("en-US") : DASH;
  }
  function fmtNum(x, precision = 4) {
    if (!isNum(x)) return DASH;
    if (x === 0) return "0";
    return Number(x.toPrecision(precision)).toLocaleString("en-US", { maximumFractionDigits: 12 });
  }
  function fmtPct(x, digits = 2) {
    return isNum(x) ? (x * 100).toFixed(digits) + "%" : DASH;
  }
  function fmtSignedPct(x, digits = 1) {
    return isNum(x) ? (x > 0 ? "+" : "") + (x * 100).toFixed(digits) + "%" : DASH;
  }
  function fmtSigned(x) {
    return isNum(x) ? (x > 0 ? "+" : "") + fmtNum(x) : DASH;
  }
  function fmtP(p) {
    if (!isNum(p)) return DASH;
    if (p >= 0.001) return p.toFixed(3);
    return p === 0 ? "0" : p.toExponential(1);
  }
  function fmtInterval(ci, one) {
    return Array.isArray(ci) && ci.length === 2 && isNum(ci[0]) && isNum(ci[1]) ? "[" + one(ci[0]) + ", " + one(ci[1]) + "]" : "";
  }
  /** A metric's own value: conversion rates as percentages, means as numbers. */
  function metricValue(type, x) {
    return type === "conversion" ? fmtPct(x) : fmtNum(x);
  }
  /** A difference of two metric values: percentage points for rates. */
  function liftValue(type, x) {
    if (!isNum(x)) return DASH;
    return type === "conversion" ? (x > 0 ? "+" : "") + (x * 100).toFixed(2) + " pp" : fmtSigned(x);
  }
  function fmtTime(iso) {
    if (!iso) return DASH;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toISOString().slice(0, 19).replace("T", " ") + " UTC";
  }
  function fmtClock(ms) {
    return new Date(ms).toISOString().slice(11, 19);
  }
  /** ISO-8601 durations as people say them: PT1H30M → 1h 30m. */
  function fmtDuration(iso) {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(iso || ""));
    if (!m) return String(iso || DASH);
    const parts = [];
    if (m[1]) parts.push(m[1] + "d");
    if (m[2]) parts.push(m[2] + "h");
    if (m[3]) parts.push(m[3] + "m");
    if (m[4] && Number(m[4]) !== 0) parts.push(Number(m[4]) + "s");
    return parts.length ? parts.join(" ") : "0s";
  }
  function label(text) {
    return String(text || "").replace(/_/g, " ");
  }
  function shortJson(value, max = 90) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text === undefined ? "null" : text.length > max ? text.slice(0, max - 1) + "…" : text;
  }
  function badge(kind, text, extra) {
    return h("span", Object.assign({ class: "badge " + kind }, extra || {}), text);
  }
  function statusBadge(status) {
    return badge("status s-" + status, label(status), { "data-status": status });
  }

  // ---------------------------------------------------------------- the admin key

  let memoryKey = null; // when sessionStorage is unavailable (privacy modes)

  function getKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || memoryKey;
    } catch (e) {
      return memoryKey;
    }
  }
  function setKey(key) {
    memoryKey = key || null;
    try {
      if (key) sessionStorage.setItem(KEY_STORAGE, key);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      // memoryKey keeps it for this page
    }
  }

  /** Splits the fragment into a route and parameters: "#/experiments/x?status=running" or "#key=...". */
  function parseHash() {
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
  function takeKeyFromFragment() {
    const { path, params } = parseHash();
    if (!params.has("key")) return;
    setKey(params.get("key"));
    params.delete("key");
    const rest = params.toString();
    const route = path === "/" ? "/experiments" : path;
    history.replaceState(null, "", location.pathname + location.search + "#" + route + (rest ? "?" + rest : ""));
  }

  // ---------------------------------------------------------------- the API

  class ApiError extends Error {
    constructor(status, body, message) {
      super(message || (body && body.message) || "HTTP " + status);
      this.status = status;
      this.code = body && body.error;
    }
    get auth() {
      return this.status === 401 || this.status === 403;
    }
  }

  async function api(path) {
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
  async function apiAll(paths) {
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
  async function historyOf(path) {
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

  // ---------------------------------------------------------------- router and refresh

  const routes = [
    { pattern: /^\/experiments$/, nav: "experiments", page: (m, params) => experimentsPage(params) },
    { pattern: /^\/experiments\/([^/]+)$/, nav: "experiments", page: (m) => experimentPage(decodeURIComponent(m[1])) },
    { pattern: /^\/rollouts$/, nav: "rollouts", page: (m, params) => rolloutsPage(params) },
    { pattern: /^\/rollouts\/([^/]+)$/, nav: "rollouts", page: (m) => rolloutPage(decodeURIComponent(m[1])) },
  ];

  let generation = 0;
  let refreshTimer = null;
  let refreshPaused = false;
  const uiState = new Map(); // per route: things the user opened, kept across refreshes

  function stateFor(path) {
    if (!uiState.has(path)) uiState.set(path, { open: new Set(), showAll: false, announced: new Set() });
    return uiState.get(path);
  }

  async function render(navigated) {
    const gen = ++generation;
    clearTimeout(refreshTimer);
    const { path, params } = parseHash();
    view.dataset.route = location.hash; // what the address bar shows (never the key)
    const route = routes.find((r) => r.pattern.test(path));
    if (!route) {
      location.replace("#/experiments");
      return;
    }
    for (const nav of ["experiments", "rollouts"]) {
      const link = document.getElementById("nav-" + nav);
      if (nav === route.nav) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    renderSession();
    if (!getKey()) {
      showKeyForm(null);
      return;
    }
    view.dataset.state = "loading";
    try {
      const page = await route.page(route.pattern.exec(path), params);
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
        const page = await route.page(route.pattern.exec(path), params);
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

  function refreshBar() {
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

  function notFound(kind, key, list) {
    return h("section", { class: "card", "data-not-found": key },
      h("h1", null, "No " + kind + " “" + key + "”"),
      h("p", null, "The API has no " + kind + " with this key. ", h("a", { href: "#/" + list }, "Back to the list")));
  }

  // ---------------------------------------------------------------- charts (inline SVG)

  function niceTicks(lo, hi, count) {
    if (!(hi > lo)) {
      const pad = Math.abs(lo) * 0.1 || 0.01;
      lo -= pad;
      hi += pad;
    }
    const raw = (hi - lo) / count;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const n = raw / magnitude;
    const step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude;
    const start = Math.floor(lo / step + 1e-9) * step;
    const end = Math.ceil(hi / step - 1e-9) * step;
    const ticks = [];
    for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
    return { lo: start, hi: end, ticks };
  }

  /**
   * Point and interval per row on one shared axis. rows: {label, value, ci: [lo, hi], cls, title}.
   * zero: draw the line of no difference.
   */
  function intervalChart(rows, { format, zero, caption, cls }) {
    const W = 520, labelW = 104, right = 18, top = 10, rowH = 30, axisH = 28;
    const H = top + rows.length * rowH + axisH;
    const values = [];
    for (const r of rows) {
      if (isNum(r.value)) values.push(r.value);
      if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1])) values.push(r.ci[0], r.ci[1]);
    }
    if (zero) values.push(0);
    const svg = s("svg", { class: "chart " + cls, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption, preserveAspectRatio: "xMinYMin meet" },
      s("title", null, caption));
    if (!values.length) {
      svg.append(s("text", { x: W / 2, y: H / 2, class: "empty", "text-anchor": "middle" }, "no data yet"));
      return svg;
    }
    const scale = niceTicks(Math.min(...values), Math.max(...values), 4);
    const x = (v) => labelW + ((v - scale.lo) / (scale.hi - scale.lo)) * (W - labelW - right);
    const plotBottom = top + rows.length * rowH;
    const grid = s("g", { class: "grid" });
    for (const t of scale.ticks) {
      grid.append(s("line", { x1: x(t), x2: x(t), y1: top - 4, y2: plotBottom }),
        s("text", { x: x(t), y: plotBottom + 18, "text-anchor": "middle" }, format(t)));
    }
    svg.append(grid);
    if (zero && scale.lo <= 0 && scale.hi >= 0) {
      svg.append(s("line", { class: "zero", x1: x(0), x2: x(0), y1: top - 6, y2: plotBottom + 2 }));
    }
    rows.forEach((r, i) => {
      const y = top + i * rowH + rowH / 2;
      const g = s("g", { class: "row " + (r.cls || ""), "data-row": r.label }, s("title", null, r.title || r.label));
      g.append(s("rect", { class: "hit", x: 0, y: y - rowH / 2, width: W, height: rowH }));
      g.append(s("text", { class: "label", x: labelW - 10, y: y + 4, "text-anchor": "end" }, r.label));
      if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1])) {
        g.append(s("line", { class: "interval", x1: x(r.ci[0]), x2: x(r.ci[1]), y1: y, y2: y }),
          s("line", { class: "cap", x1: x(r.ci[0]), x2: x(r.ci[0]), y1: y - 6, y2: y + 6 }),
          s("line", { class: "cap", x1: x(r.ci[1]), x2: x(r.ci[1]), y1: y - 6, y2: y + 6 }));
      }
      if (isNum(r.value)) g.append(s("circle", { class: "point", cx: x(r.value), cy: y, r: 5.5 }));
      else g.append(s("text", { class: "empty", x: labelW + 6, y: y + 4 }, "no data"));
      svg.append(g);
    });
    return svg;
  }

  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
    .map((sec) => sec * 1000);

  /** Percent of units in treatment over time: a step line, one point per decision, coloured by decision. */
  function timelineChart(entries, rollout, nowMs) {
    const W = 960, H = 300, left = 48, right = 20, top = 14, bottom = 40;
    const points = entries
      .map((e) => Object.assign({}, e, { t: Date.parse(e.at) }))
      .filter((e) => isNum(e.t))
      .sort((a, b) => a.t - b.t);
    const caption = "Percent of units in treatment over time for " + rollout.key;
    const svg = s("svg", { class: "chart timeline", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption, preserveAspectRatio: "xMinYMin meet" },
      s("title", null, caption));
    if (!points.length) {
      svg.append(s("text", { x: W / 2, y: H / 2, class: "empty", "text-anchor": "middle" }, "no history yet"));
      return svg;
    }
    const t0 = points[0].t;
    const last = points[points.length - 1].t;
    let t1 = FINAL_ROLLOUT.has(rollout.status) ? last : Math.max(last, nowMs);
    if (t1 - t0 < 1000) t1 = t0 + 1000;
    const pad = (t1 - t0) * 0.03;
    const lo = t0 - pad, hi = t1 + pad;
    const x = (t) => left + ((t - lo) / (hi - lo)) * (W - left - right);
    const y = (p) => top + (1 - p / 100) * (H - top - bottom);

    const grid = s("g", { class: "grid" });
    for (const p of [0, 25, 50, 75, 100]) {
      grid.append(s("line", { x1: left, x2: W - right, y1: y(p), y2: y(p) }),
        s("text", { x: left - 8, y: y(p) + 4, "text-anchor": "end" }, p + "%"));
    }
    for (const stage of rollout.stages || []) {
      if (![0, 25, 50, 75, 100].includes(stage.percent)) {
        grid.append(s("line", { class: "stage", x1: left, x2: W - right, y1: y(stage.percent), y2: y(stage.percent) }));
      }
    }
    const span = hi - lo;
    const step = TIME_STEPS.find((st) => span / st <= 7) || TIME_STEPS[TIME_STEPS.length - 1];
    const withDate = span > 86400000;
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const iso = new Date(t).toISOString();
      grid.append(s("line", { class: "vertical", x1: x(t), x2: x(t), y1: top, y2: H - bottom }),
        s("text", { x: x(t), y: H - bottom + 18, "text-anchor": "middle" },
          withDate ? iso.slice(5, 10) + " " + iso.slice(11, 16) : span > 3600000 ? iso.slice(11, 16) : iso.slice(11, 19)));
    }
    grid.append(s("text", { x: W - right, y: H - 4, "text-anchor": "end", class: "axis-title" }, "time (UTC)"));
    svg.append(grid);

    let level = points[0].fromPercent ?? 0;
    let d = `M${x(points[0].t)},${y(level)}`;
    for (const p of points) {
      d += ` H${x(p.t)} V${y(p.toPercent ?? level)}`;
      level = p.toPercent ?? level;
    }
    d += ` H${x(t1)}`;
    svg.append(s("path", { class: "area", d: d + ` V${y(0)} H${x(points[0].t)} Z` }), s("path", { class: "step", d }));
    const dots = s("g", { class: "points" });
    for (const p of points) {
      const decision = DECISIONS.includes(p.decision) ? p.decision : "manual";
      dots.append(s("circle", {
        class: "pt d-" + decision, cx: x(p.t), cy: y(p.toPercent ?? 0), r: decision === "hold" ? 4 : 6.5, "data-decision": decision,
      }, s("title", null, `${fmtTime(p.at)} · ${decision} ${p.fromPercent}% → ${p.toPercent}%${p.reason ? " · " + p.reason : ""}`)));
    }
    svg.append(dots);
    return svg;
  }

  // ---------------------------------------------------------------- experiments list

  async function experimentsPage(params) {
    const status = params.get("status");
    const body = await api("/experiments" + (status ? "?status=" + encodeURIComponent(status) : ""));
    const experiments = (body && body.experiments) || [];
    experiments.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
    const filters = h("nav", { class: "filters", "aria-label": "Filter by status" },
      [null, ...EXPERIMENT_STATUSES].map((st) => h("a", {
        href: "#/experiments" + (st ? "?status=" + st : ""), class: "chip", "aria-current": (st || null) === (status || null) ? "true" : null,
      }, st ? label(st) : "all")));
    const page = h("div", { class: "page", "data-page": "experiments" },
      h("div", { class: "title-row" },
        h("h1", null, "Experiments ", h("span", { class: "count" }, String(experiments.length))),
        refreshBar()),
      filters);
    if (!experiments.length) {
      page.append(h("section", { class: "card empty-state" },
        h("p", null, status ? "No " + label(status) + " experiments." : "No experiments yet."),
        h("p", { class: "muted" }, "Create one with ", h("code", null, "POST /experiments"), " (see docs/api.md), or run the local stack's ",
          h("code", null, "demo"), ".")));
      return page;
    }
    const rows = experiments.map((e) => {
      const href = "#/experiments/" + encodeURIComponent(e.key);
      return h("tr", { "data-experiment": e.key },
        h("th", { scope: "row" },
          h("a", { href, class: "key" }, e.key),
          e.description ? h("div", { class: "muted small" }, e.description) : null),
        h("td", null, statusBadge(e.status)),
        h("td", { class: "variants" }, (e.variants || []).map((v) => h("span", {
          class: "chip variant" + (v.key === e.control ? " control" : ""), "data-variant": v.key, "data-weight": v.weight,
          title: v.key === e.control ? "control" : "treatment",
        }, v.key, " ", h("b", null, fmtPct(v.weight, v.weight * 100 % 1 === 0 ? 0 : 1))))),
        h("td", { class: "num" }, fmtPct(e.coverage, 0)),
        h("td", { class: "nowrap" }, fmtTime(e.updatedAt)));
    });
    page.append(h("div", { class: "table-wrap card flush" }, h("table", { class: "list", id: "experiments-table" },
      h("caption", { class: "sr-only" }, "Experiments"),
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, "Experiment"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Variants (weight)"),
        h("th", { scope: "col", class: "num" }, "Coverage"), h("th", { scope: "col" }, "Updated"))),
      h("tbody", null, rows))));
    return page;
  }

  // ---------------------------------------------------------------- experiment detail

  async function experimentPage(key) {
    const k = encodeURIComponent(key);
    const [[experiment, results], historyBody] = await Promise.all([
      apiAll(["/experiments/" + k, "/experiments/" + k + "/results"]), historyOf("/experiments/" + k)]);
    if (experiment instanceof ApiError) {
      if (experiment.status === 404) return notFound("experiment", key, "experiments");
      throw experiment;
    }
    const colours = new Map((experiment.variants || []).map((v, i) => [v.key, v.key === experiment.control ? "control" : VARIANT_COLOURS[i % VARIANT_COLOURS.length]]));
    const page = h("div", { class: "page", "data-page": "experiment", "data-key": experiment.key },
      h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/experiments" }, "Experiments"), " / ", h("span", null, experiment.key)),
      h("div", { class: "title-row" },
        h("h1", null, experiment.key, " ", statusBadge(experiment.status)),
        refreshBar()),
      experiment.description ? h("p", { class: "lead" }, experiment.description) : null,
      h("p", { class: "meta muted" },
        "version ", String(experiment.version), " · created ", fmtTime(experiment.createdAt),
        experiment.startedAt ? " · started " + fmtTime(experiment.startedAt) : "",
        experiment.completedAt ? " · completed " + fmtTime(experiment.completedAt) : "",
        " · updated ", fmtTime(experiment.updatedAt)));

    if (results instanceof ApiError) {
      page.append(h("section", { class: "card" }, h("h2", null, "Results"),
        h("p", { class: "banner warn", role: "status" }, "Results are not available: " + results.status + " " + (results.code || "") + " " + results.message)));
    } else {
      page.append(resultsSections(experiment, results, colours));
    }
    page.append(definitionSection(experiment));
    page.append(historySection(historyBody));
    return page;
  }

  function resultsSections(experiment, r, colours) {
    const frag = document.createDocumentFragment();
    const metrics = new Map((experiment.metrics || []).map((m) => [m.key, m]));
    const srm = r.srm || {};
    if (srm.mismatch) {
      frag.append(h("div", { class: "banner bad srm-alert", role: "alert", id: "srm-alert" },
        h("strong", null, "Sample ratio mismatch: do not trust these results."),
        " The unit counts do not match the configured weights (chi-square p = " + fmtP(srm.pValue) + " < 0.001). ",
        "Check assignment, overrides and exposure logging before reading any number below."));
    }
    frag.append(h("div", { class: "cards three" }, recommendationCard(r.recommendation || {}), srmCard(srm, colours), powerCard(r.power, r)));
    frag.append(variantsSection(r, metrics, colours));
    frag.append(metricsSection(r, metrics, colours, experiment.control));
    if ((r.comparisons || []).some((c) => c.cuped) || (r.segments || []).length) {
      const slot = frag.appendChild(h("div", { id: "analysis-slot" }));
      import("./analysis.js").then((m) => slot.replaceWith(m.renderAnalysis(r, { h, badge, label, fmtInt, fmtNum, fmtPct, fmtSignedPct, fmtP, fmtInterval })));
    }
    return frag;
  }

  const DECISION_TEXT = {
    ship: "Ship", keep_control: "Keep control", inconclusive: "Inconclusive", needs_more_data: "Needs more data", not_started: "Not started", invalid: "Invalid",
  };

  function recommendationCard(rec) {
    const decision = rec.decision || "unknown";
    return h("section", { class: "card recommendation d-" + decision, id: "recommendation", "data-decision": decision, "aria-labelledby": "rec-title" },
      h("h2", { id: "rec-title" }, "Recommendation"),
      h("p", { class: "decision-text" },
        h("span", { class: "decision-label" }, DECISION_TEXT[decision] || label(decision)),
        rec.variant ? h("span", { class: "decision-variant", "data-variant": rec.variant }, " " + rec.variant) : null),
      h("p", { class: "muted small" }, "decision ", h("code", null, decision)),
      h("ul", { class: "reasons" }, (rec.reasons || []).map((reason) => h("li", null, reason))));
  }

  function srmCard(srm, colours) {
    const mismatch = !!srm.mismatch;
    const observed = srm.observed || {};
    const expected = srm.expected || {};
    const total = Object.values(observed).reduce((a, b) => a + (isNum(b) ? b : 0), 0);
    return h("section", { class: "card srm " + (mismatch ? "mismatch" : "ok"), id: "srm", "data-mismatch": String(mismatch), "aria-labelledby": "srm-title" },
      h("h2", { id: "srm-title" }, "Sample ratio"),
      h("p", { class: "srm-status" }, mismatch ? badge("bad", "Mismatch") : total === 0 ? badge("neutral", "No units yet") : badge("good", "No mismatch"),
        " ", h("span", { class: "muted" }, "p = " + fmtP(srm.pValue))),
      srm.note ? h("p", { class: "muted small" }, srm.note) : null,
      h("table", { class: "compact" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Variant"), h("th", { scope: "col", class: "num" }, "Observed"),
          h("th", { scope: "col", class: "num" }, "Expected"))),
        h("tbody", null, Object.keys(observed).map((v) => h("tr", null,
          h("th", { scope: "row" }, h("span", { class: "swatch " + (colours.get(v) || "") }), v),
          h("td", { class: "num" }, fmtInt(observed[v])),
          h("td", { class: "num" }, fmtNum(expected[v], 6)))))));
  }

  function powerCard(power, r) {
    const card = h("section", { class: "card power", id: "power", "aria-labelledby": "power-title" }, h("h2", { id: "power-title" }, "Power"));
    if (!power || !isNum(power.requiredUnitsPerVariant)) {
      card.append(h("p", { class: "muted" }, "No sample size target" + (power && power.reason ? ": " + power.reason + "." : ".")));
      return card;
    }
    const progress = isNum(power.progress) ? power.progress : 0;
    const smallest = Math.min(...(r.variants || []).map((v) => v.units).filter(isNum));
    card.append(
      h("p", { class: "big" }, fmtPct(progress, 0), h("span", { class: "muted small" }, " of the planned sample")),
      h("div", {
        class: "meter", role: "progressbar", "aria-label": "Progress towards the required sample",
        "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(Math.round(Math.min(progress, 1) * 100)),
      }, h("span", { style: "width:" + Math.min(progress, 1) * 100 + "%" })),
      h("p", { class: "small" },
        (Number.isFinite(smallest) ? fmtInt(smallest) + " of " : "") + fmtInt(power.requiredUnitsPerVariant) +
        " units per variant to detect a " + fmtPct(power.minimumDetectableEffect, 0) + " relative change in " +
        power.metric + " with " + fmtPct(power.power, 0) + " power."));
    return card;
  }

  function variantsSection(r, metrics, colours) {
    const keys = [];
    for (const v of r.variants || []) for (const m of Object.keys(v.metrics || {})) if (!keys.includes(m)) keys.push(m);
    const head = h("tr", null, h("th", { scope: "col" }, "Variant"), h("th", { scope: "col", class: "num" }, "Units"),
      keys.map((m) => h("th", { scope: "col", class: "num" }, m, h("div", { class: "muted small" },
        (metrics.get(m) || {}).type === "mean" ? "mean per unit [CI]" : "rate [CI]"))));
    const rows = (r.variants || []).map((v) => h("tr", { "data-variant": v.key },
      h("th", { scope: "row" }, h("span", { class: "swatch " + (colours.get(v.key) || "") }), v.key,
        colours.get(v.key) === "control" ? [" ", badge("role", "control")] : null),
      h("td", { class: "num units", "data-units": v.units }, fmtInt(v.units)),
      keys.map((m) => {
        const x = (v.metrics || {})[m];
        if (!x) return h("td", { class: "num" }, DASH);
        const conversion = "rate" in x;
        const value = conversion ? x.rate : x.mean;
        return h("td", { class: "num", "data-metric": m },
          h("span", { class: "value" }, conversion ? fmtPct(value) : fmtNum(value)),
          h("div", { class: "muted small" }, fmtInterval(x.ci, conversion ? fmtPct : (n) => fmtNum(n))),
          h("div", { class: "muted small" }, conversion ? fmtInt(x.conversions) + " converted" : "sd " + fmtNum(x.stdDev)));
      })));
    return h("section", { class: "card flush", id: "variants", "aria-labelledby": "variants-title" },
      h("h2", { id: "variants-title", class: "pad" }, "Variants ",
        h("span", { class: "muted small" }, "confidence " + fmtPct(r.confidenceLevel, 0) + " · computed " + fmtTime(r.computedAt))),
      h("div", { class: "table-wrap" }, h("table", { class: "list", id: "variants-table" },
        h("caption", { class: "sr-only" }, "Per-variant results"), h("thead", null, head), h("tbody", null, rows))));
  }

  function metricsSection(r, metrics, colours, control) {
    const section = h("section", { id: "metrics", "aria-labelledby": "metrics-title" }, h("h2", { id: "metrics-title" }, "Metrics"));
    const keys = [];
    for (const v of r.variants || []) for (const m of Object.keys(v.metrics || {})) if (!keys.includes(m)) keys.push(m);
    const level = fmtPct(r.confidenceLevel, 0);
    for (const key of keys) {
      const def = metrics.get(key) || {};
      const comparisons = (r.comparisons || []).filter((c) => c.metric === key);
      const type = def.type || (comparisons[0] && comparisons[0].type) || "conversion";
      const format = (x) => metricValue(type, x);
      const valueRows = (r.variants || []).map((v) => {
        const x = (v.metrics || {})[key] || {};
        const value = type === "conversion" ? x.rate : x.mean;
        return { label: v.key, value, ci: x.ci, cls: colours.get(v.key) || "",
          title: `${v.key}: ${format(value)} ${fmtInterval(x.ci, format)} (${fmtInt(x.units)} units)` };
      });
      const liftRows = comparisons.map((c) => ({
        label: c.variant, value: c.absoluteLiftCi ? c.absoluteLift : null, ci: c.absoluteLiftCi, cls: "o-" + c.outcome,
        title: `${c.variant} vs ${control}: ${liftValue(type, c.absoluteLift)} ${fmtInterval(c.absoluteLiftCi, (n) => liftValue(type, n))}, ${label(c.outcome)}`,
      }));
      const direction = def.direction === "decrease" ? "lower is better" : "higher is better";
      section.append(h("article", { class: "card metric", "data-metric": key, "aria-labelledby": "metric-" + key },
        h("header", { class: "metric-head" },
          h("h3", { id: "metric-" + key }, key),
          def.role ? badge("role r-" + def.role, def.role) : null,
          h("span", { class: "muted small" }, type + " · " + direction)),
        h("div", { class: "charts" },
          h("figure", null,
            h("figcaption", null, (type === "conversion" ? "Rate" : "Mean per unit") + " per variant, " + level + " CI"),
            intervalChart(valueRows, { format: (t) => (type === "conversion" ? fmtPct(t, 1) : fmtNum(t, 3)), caption: key + ": value per variant with " + level + " confidence intervals", cls: "ci-chart" })),
          h("figure", null,
            h("figcaption", null, "Lift vs " + control + (type === "conversion" ? " (percentage points)" : "") + ", " + level + " CI"),
            intervalChart(liftRows, { format: (t) => (type === "conversion" ? fmtNum(t * 100, 3) : fmtNum(t, 3)), zero: true, caption: key + ": lift of each treatment over control with " + level + " confidence intervals", cls: "lift-chart" }))),
        comparisonTable(comparisons, type, r.multipleTesting)));
    }
    return section;
  }

  /** The deciding test's interval (multiplicity-adjusted level): significant exactly when it excludes 0. */
  function decisionInterval(c, type) {
    if (!Array.isArray(c.adjustedCi)) return "";
    const one = c.scale === "relative" ? (n) => fmtSignedPct(n) : (n) => liftValue(type, n);
    return fmtInterval(c.adjustedCi, one) + " at " + fmtPct(c.adjustedCiLevel, 2);
  }

  function comparisonTable(comparisons, type, multipleTesting) {
    if (!comparisons.length) return h("p", { class: "muted small" }, "No treatment to compare.");
    const adjustment = multipleTesting === "benjamini_hochberg" ? "Benjamini–Hochberg" : "Holm";
    return h("div", { class: "table-wrap" }, h("table", { class: "list compact comparisons" },
      h("thead", null, h("tr", null,
        ["Treatment", "Absolute lift [CI]", "Relative lift [CI]", "p", "Adjusted p (" + adjustment + ")", "Decision CI", "Sequential p [CI]", "P(beat control)", "Significant", "Outcome"]
          .map((t, i) => h("th", { scope: "col", class: i ? "num" : null }, t)))),
      h("tbody", null, comparisons.map((c) => [h("tr", { "data-variant": c.variant, "data-outcome": c.outcome, class: (c.notes || []).length ? "has-notes" : null },
        h("th", { scope: "row" }, c.variant),
        h("td", { class: "num" }, liftValue(type, c.absoluteLift), h("div", { class: "muted small" }, fmtInterval(c.absoluteLiftCi, (n) => liftValue(type, n)))),
        h("td", { class: "num" }, fmtSignedPct(c.relativeLift), h("div", { class: "muted small" }, fmtInterval(c.relativeLiftCi, (n) => fmtSignedPct(n)))),
        h("td", { class: "num", title: String(c.pValue) }, fmtP(c.pValue)),
        h("td", { class: "num", title: String(c.adjustedPValue) }, fmtP(c.adjustedPValue)),
        h("td", { class: "num decision-ci", title: c.test || "" }, decisionInterval(c, type)),
        h("td", { class: "num", title: String(c.sequentialPValue) }, fmtP(c.sequentialPValue),
          h("div", { class: "muted small" }, fmtInterval(c.sequentialCi, (n) => liftValue(type, n)))),
        h("td", { class: "num" }, fmtPct(c.probabilityToBeatControl, 1)),
        h("td", { class: "num significant" }, c.significant ? "yes" : "no"),
        h("td", { class: "num" }, badge("outcome o-" + c.outcome, label(c.outcome)))),
      (c.notes || []).length ? h("tr", { class: "notes-row" }, h("td", { colspan: 10, class: "muted small" }, "Note: " + c.notes.join("; ") + ".")) : null]))));
  }

  function definitionSection(e) {
    const rows = [
      ["Control", e.control],
      ["Variants", h("div", null, (e.variants || []).map((v) => h("div", null,
        h("b", null, v.key), " " + fmtPct(v.weight, 1), v.config ? h("code", { class: "small" }, " " + shortJson(v.config)) : null)))],
      ["Coverage", fmtPct(e.coverage, 1) + " of eligible units"],
      ["Metrics", h("div", null, (e.metrics || []).map((m) => h("div", null, h("b", null, m.key), ` ${m.type}, ${m.role}, ${m.direction === "decrease" ? "lower" : "higher"} is better`,
        isNum(m.minimumDetectableEffect) ? ", MDE " + fmtPct(m.minimumDetectableEffect, 0) : "")))],
      ["Confidence level", fmtPct(e.confidenceLevel, 0)],
      ["Minimum sample", fmtInt(e.minimumSampleSize) + " units per variant"],
      ["Sequential test", "tuned for " + fmtInt(e.expectedUnitsPerVariant) + " units per variant"],
      ["Multiple testing", e.multipleTesting === "benjamini_hochberg" ? "Benjamini–Hochberg (false discovery rate)" : "Holm (family-wise error rate)"],
      ["Targeting", e.targeting ? h("code", null, shortJson(e.targeting, 240)) : "everyone"],
      ["Namespace", e.namespace ? `${e.namespace.name} [${e.namespace.start}, ${e.namespace.end})` : "none"],
      ["Overrides", Object.keys(e.overrides || {}).length ? fmtInt(Object.keys(e.overrides).length) + " unit ids forced (QA)" : "none"],
    ];
    return h("section", { class: "card", id: "definition", "aria-labelledby": "definition-title" },
      h("h2", { id: "definition-title" }, "Definition"),
      h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])));
  }

  function changeSummary(entry) {
    const changes = entry.changes || {};
    if (entry.action === "create") return "created with " + ((changes.variants || []).map((v) => v.key + " " + fmtPct(v.weight, 0)).join(", ") || "its definition");
    const parts = Object.entries(changes).map(([field, c]) =>
      c && typeof c === "object" && "from" in c && "to" in c ? `${field}: ${shortJson(c.from, 40)} → ${shortJson(c.to, 40)}` : `${field}: ${shortJson(c, 60)}`);
    return parts.join("; ") || DASH;
  }

  function historySection(historyBody) {
    const section = h("section", { class: "card flush", id: "history", "aria-labelledby": "history-title" },
      h("h2", { id: "history-title", class: "pad" }, "History"));
    if (historyBody instanceof ApiError) {
      section.append(h("p", { class: "pad muted" }, "History is not available: " + historyBody.message));
      return section;
    }
    const entries = ((historyBody && historyBody.entries) || []).slice().reverse();
    section.append(h("div", { class: "table-wrap" }, h("table", { class: "list compact", id: "history-table" },
      h("thead", null, h("tr", null, ["When", "Actor", "Action", "Version", "Changes"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, entries.map((e) => h("tr", { "data-action": e.action },
        h("td", { class: "nowrap" }, fmtTime(e.at)), h("td", null, e.actor), h("td", null, badge("action", e.action)),
        h("td", { class: "num" }, String(e.version)), h("td", { class: "changes" }, changeSummary(e))))))));
    return section;
  }

  // ---------------------------------------------------------------- rollouts

  function rolloutsUnavailable(error) {
    return h("section", { class: "card empty-state", id: "rollouts-unavailable" },
      h("p", null, "Rollouts are not available from this API."),
      h("p", { class: "muted small" }, "GET /rollouts answered " + error.status + (error.code ? " " + error.code : "") + ": " + error.message));
  }

  async function rolloutsPage(params) {
    const status = params.get("status");
    const page = h("div", { class: "page", "data-page": "rollouts" });
    let body;
    try {
      body = await api("/rollouts" + (status ? "?status=" + encodeURIComponent(status) : ""));
    } catch (e) {
      if (!(e instanceof ApiError) || e.auth || (e.status !== 404 && e.status !== 501)) throw e;
      page.append(h("div", { class: "title-row" }, h("h1", null, "Rollouts"), refreshBar()), rolloutsUnavailable(e));
      return page;
    }
    const rollouts = (body && body.rollouts) || [];
    rollouts.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
    page.append(h("div", { class: "title-row" },
      h("h1", null, "Rollouts ", h("span", { class: "count" }, String(rollouts.length))), refreshBar()));
    if (!rollouts.length) {
      page.append(h("section", { class: "card empty-state", id: "rollouts-empty" },
        h("p", null, status ? "No " + label(status) + " rollouts." : "No rollouts yet."),
        h("p", { class: "muted" }, "Create one with ", h("code", null, "POST /rollouts"), " (see docs/rollouts.md).")));
      return page;
    }
    page.append(h("div", { class: "table-wrap card flush" }, h("table", { class: "list", id: "rollouts-table" },
      h("caption", { class: "sr-only" }, "Rollouts"),
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Rollout"), h("th", { scope: "col" }, "Status"),
        h("th", { scope: "col" }, "Treatment share"), h("th", { scope: "col" }, "Stage"), h("th", { scope: "col" }, "Last decision"),
        h("th", { scope: "col" }, "Updated"))),
      h("tbody", null, rollouts.map((r) => h("tr", { "data-rollout": r.key },
        h("th", { scope: "row" }, h("a", { class: "key", href: "#/rollouts/" + encodeURIComponent(r.key) }, r.key),
          r.description ? h("div", { class: "muted small" }, r.description) : null),
        h("td", null, statusBadge(r.status)),
        h("td", null, percentMeter(r.percent, r.status)),
        h("td", { class: "nowrap" }, stageText(r)),
        h("td", null, r.lastDecision ? [badge("decision d-" + r.lastDecision.decision, r.lastDecision.decision),
          h("div", { class: "muted small clamp", title: r.lastDecision.reason }, r.lastDecision.reason)] : DASH),
        h("td", { class: "nowrap" }, fmtTime(r.updatedAt))))))));
    return page;
  }

  function percentMeter(percent, status, withValue = true) {
    return h("div", { class: "percent", "data-percent": percent },
      withValue ? h("span", { class: "percent-value" }, (isNum(percent) ? percent : 0) + "%") : null,
      h("span", { class: "meter small-meter " + (status === "rolled_back" || status === "aborted" ? "bad" : ""), "aria-hidden": "true" },
        h("span", { style: "width:" + (isNum(percent) ? percent : 0) + "%" })));
  }

  function stageText(r) {
    const stages = r.stages || [];
    if (!stages.length) return DASH;
    return "stage " + (Math.min(r.stageIndex ?? 0, stages.length - 1) + 1) + " of " + stages.length;
  }

  async function rolloutPage(key) {
    const k = encodeURIComponent(key);
    const [[rollout], historyBody] = await Promise.all([apiAll(["/rollouts/" + k]), historyOf("/rollouts/" + k)]);
    if (rollout instanceof ApiError) {
      if (rollout.status === 404) return notFound("rollout", key, "rollouts");
      throw rollout;
    }
    const entries = historyBody instanceof ApiError ? [] : (historyBody && historyBody.entries) || [];
    const page = h("div", { class: "page", "data-page": "rollout", "data-key": rollout.key },
      h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/rollouts" }, "Rollouts"), " / ", h("span", null, rollout.key)),
      h("div", { class: "title-row" }, h("h1", null, rollout.key, " ", statusBadge(rollout.status)), refreshBar()),
      rollout.description ? h("p", { class: "lead" }, rollout.description) : null,
      h("p", { class: "meta muted" }, "version ", String(rollout.version), " · created ", fmtTime(rollout.createdAt),
        rollout.stageStartedAt ? " · stage started " + fmtTime(rollout.stageStartedAt) : "", " · updated ", fmtTime(rollout.updatedAt)));
    if (rollout.status === "rolled_back") {
      page.append(h("div", { class: "banner bad", role: "alert", id: "rollback-alert" }, h("strong", null, "Rolled back. "),
        (rollout.lastDecision && rollout.lastDecision.reason) || "The rollout was rolled back."));
    }
    page.append(h("div", { class: "cards three" },
      h("section", { class: "card", id: "rollout-percent", "aria-labelledby": "percent-title" },
        h("h2", { id: "percent-title" }, "Treatment share"),
        h("p", { class: "big", "data-percent": rollout.percent }, (rollout.percent ?? 0) + "%"),
        percentMeter(rollout.percent, rollout.status, false),
        h("p", { class: "muted small" }, stageText(rollout) + (rollout.stages && rollout.stages[rollout.stageIndex]
          ? " · target " + rollout.stages[rollout.stageIndex].percent + "%" : ""))),
      lastDecisionCard(rollout.lastDecision),
      healthCard(rollout.health || {})));
    page.append(stagesSection(rollout));
    const counts = {};
    for (const e of entries) counts[e.decision] = (counts[e.decision] || 0) + (e.count || 1);
    page.append(h("section", { class: "card", id: "timeline", "aria-labelledby": "timeline-title" },
      h("h2", { id: "timeline-title" }, "Timeline"),
      h("p", { class: "muted small" }, "Percent of units in treatment after each decision. Hover a point for its reason; every decision is in the table below."),
      h("div", { class: "chart-scroll" }, timelineChart(entries, rollout, Date.now())),
      h("ul", { class: "legend" }, DECISIONS.map((d) => h("li", null, h("span", { class: "dot d-" + d }), d, h("span", { class: "muted" }, " " + (counts[d] || 0)))))));
    page.append(rolloutHistorySection(rollout.key, historyBody, entries));
    return page;
  }

  function lastDecisionCard(d) {
    const card = h("section", { class: "card", id: "last-decision", "aria-labelledby": "last-title" }, h("h2", { id: "last-title" }, "Last decision"));
    if (!d) {
      card.append(h("p", { class: "muted" }, "No decision yet."));
      return card;
    }
    card.append(h("p", null, badge("decision d-" + d.decision, d.decision), " ", h("span", { class: "muted" }, d.fromPercent + "% → " + d.toPercent + "%")),
      h("p", { class: "reason" }, d.reason),
      h("p", { class: "muted small" }, fmtTime(d.at) + " by " + d.actor));
    return card;
  }

  function healthCard(health) {
    const items = [];
    for (const m of health.metrics || []) {
      items.push(h("li", null, h("b", null, m.name), ` ${m.namespace} ${m.metricName} ${m.statistic} per ${m.periodSeconds}s, breached when ${comparisonText(m.comparison)} ${fmtNum(m.threshold)}`));
    }
    for (const r of health.ratios || []) {
      items.push(h("li", null, h("b", null, r.name), ` ${r.numerator && r.numerator.metricName} / ${r.denominator && r.denominator.metricName} per ${r.periodSeconds}s, breached when ${comparisonText(r.comparison)} ${fmtNum(r.threshold)}`));
    }
    for (const a of health.alarms || []) items.push(h("li", null, "alarm ", h("b", null, a), " in ALARM"));
    for (const g of health.guardrails || []) {
      items.push(h("li", null, "guardrail ", h("b", null, g.metric), ` (${g.type}, ${g.direction === "decrease" ? "lower" : "higher"} is better) significantly worse`));
    }
    return h("section", { class: "card", id: "health", "aria-labelledby": "health-title" },
      h("h2", { id: "health-title" }, "Rolls back when"),
      items.length ? h("ul", { class: "checks small" }, items) : h("p", { class: "muted" }, "No health checks: advances on bake time alone."),
      (health.guardrails || []).length ? h("p", { class: "muted small" },
        "Guardrails: one-sided sequential test at α = " + fmtNum(health.alpha) + ", from " + fmtInt(health.minimumUnitsPerArm) + " units per arm.") : null,
      (health.metrics || []).length + (health.ratios || []).length ? h("p", { class: "muted small" },
        "Holds until each check has " + fmtInt(health.minimumDataPoints) + " data point(s).") : null);
  }

  function comparisonText(c) {
    return { GreaterThanThreshold: ">", GreaterThanOrEqualToThreshold: "≥", LessThanThreshold: "<", LessThanOrEqualToThreshold: "≤" }[c] || c;
  }

  function stagesSection(r) {
    const stages = r.stages || [];
    const current = r.stageIndex ?? 0;
    const started = r.status !== "draft";
    const failed = r.status === "rolled_back" || r.status === "aborted";
    return h("section", { class: "card", id: "stages", "aria-labelledby": "stages-title" },
      h("h2", { id: "stages-title" }, "Stages"),
      h("ol", { class: "stages" }, stages.map((st, i) => {
        let state = "pending";
        if (started && (i < current || (i === current && r.status === "completed"))) state = "done";
        else if (started && i === current) state = failed ? "failed" : "current";
        return h("li", { class: "stage " + state, "data-stage": i, "aria-current": state === "current" ? "step" : null },
          h("span", { class: "stage-percent" }, st.percent + "%"),
          h("span", { class: "muted small" }, "bake " + fmtDuration(st.bake)),
          h("span", { class: "stage-state small" }, state === "current" ? label(r.status) : state));
      })));
  }

  function rolloutHistorySection(key, historyBody, entries) {
    const path = "/rollouts/" + key;
    const state = stateFor(path);
    const section = h("section", { class: "card flush", id: "history", "aria-labelledby": "history-title" },
      h("h2", { id: "history-title", class: "pad" }, "Decisions ", h("span", { class: "muted small" }, fmtInt(entries.length) + " entries, newest first")));
    if (historyBody instanceof ApiError) {
      section.append(h("p", { class: "pad muted" }, "History is not available: " + historyBody.message));
      return section;
    }
    const newest = entries.slice().reverse();
    const shown = state.showAll ? newest : newest.slice(0, HISTORY_ROWS);
    section.append(h("div", { class: "table-wrap" }, h("table", { class: "list compact", id: "history-table" },
      h("thead", null, h("tr", null, ["When", "Decision", "Percent", "Actor", "Reason", "Figures"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, shown.map((e) => h("tr", { "data-decision": e.decision },
        h("td", { class: "nowrap" }, fmtTime(e.at), e.count > 1 ? h("span", { class: "muted small" }, " to " + fmtTime(e.lastSeenAt)) : null),
        h("td", null, badge("decision d-" + e.decision, e.decision), e.count > 1 ? h("span", { class: "count muted small" }, " ×" + fmtInt(e.count)) : null),
        h("td", { class: "nowrap" }, e.fromPercent + "% → " + e.toPercent + "%"),
        h("td", { class: "nowrap" }, e.actor),
        h("td", { class: "reason" }, e.reason),
        h("td", null, e.observations && typeof e.observations === "object"
          ? h("details", { "data-persist": "obs-" + e.version }, h("summary", null, "show"), h("pre", null, JSON.stringify(e.observations, null, 2)))
          : DASH)))))));
    if (newest.length > HISTORY_ROWS) {
      section.append(h("p", { class: "pad" }, h("button", {
        type: "button", class: "link-button", onclick: () => { state.showAll = !state.showAll; render(false); },
      }, state.showAll ? "Show the newest " + HISTORY_ROWS : "Show all " + fmtInt(newest.length) + " entries")));
    }
    return section;
  }

  // ---------------------------------------------------------------- start

  foot.textContent = "API " + (API_BASE || location.origin) + " · times in UTC";
  takeKeyFromFragment();
  if (parseHash().path === "/" && getKey()) history.replaceState(null, "", location.pathname + location.search + "#/experiments");
  window.addEventListener("hashchange", () => {
    takeKeyFromFragment();
    render(true);
  });
  render(false);
})();
