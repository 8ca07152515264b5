// Settings of the dashboard. Edit this file (only this one) when the files are hosted elsewhere.
window.SPLITLINE_CONFIG = {
  // Where the Splitline API answers. "" = the origin that served these files (the local stack).
  // Another origin needs CORS on that API and an auth front the browser can use: see docs/dashboard.md.
  apiBase: "",
  // How often detail pages re-read results, rollouts and history, in seconds (0 = never).
  refreshSeconds: 5
};
