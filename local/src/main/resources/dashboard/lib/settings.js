// The dashboard's settings: config.js (a classic script, run before any module) sets window.SPLITLINE_CONFIG.

const CONFIG = Object.assign({ apiBase: "", refreshSeconds: 5 }, window.SPLITLINE_CONFIG || {});

/** Where the API answers, without a trailing slash; "" is the origin that served the page. */
export const API_BASE = String(CONFIG.apiBase || "").replace(/\/+$/, "");
/** How often a page re-reads the API, in milliseconds; 0 turns auto-refresh off. */
export const REFRESH_MS = Math.max(0, Number(CONFIG.refreshSeconds) || 0) * 1000;
