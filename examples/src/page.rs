//! The demo page: served from another origin than the API, its script fires
//! each kind of cross-origin request and shows what the browser allowed.

use actix_web::{web, HttpResponse};

/// Registers the page at `/`; `api_base` is the API's origin, e.g.
/// `http://127.0.0.1:8000`.
pub fn configure(cfg: &mut web::ServiceConfig, api_base: String) {
    let html = PAGE.replace("{{API}}", &api_base);
    cfg.route(
        "/",
        web::get().to(move || {
            let html = html.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(html)
            }
        }),
    );
}

/// Each case: an id, the request, why, what a browser must decide, and how to
/// run it. `data-*` attributes let the browser suite read the table.
const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cors-actix demo</title>
<style>
 body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
 table { border-collapse: collapse; width: 100%; }
 th, td { border: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }
 .allowed { color: #106b21; font-weight: bold; }
 .blocked { color: #a1121b; font-weight: bold; }
 .mismatch { background: #fff3cd; }
 code { background: #f3f3f3; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>cors-actix demo</h1>
<p>This page is served from <code id="page-origin"></code>; the API is at <code>{{API}}</code>, another
origin. Each row is a <code>fetch()</code> from this page; the browser decides, from the API's CORS
headers, whether the page may read the answer. Open the developer tools' console to see the
browser's reasons; the last column is the server's side of the same decision, asked from the API's
<code>/api/explain</code>.</p>
<table id="results">
<thead><tr><th>request</th><th>what it shows</th><th>expected</th><th>browser said</th><th>what the page could read</th><th>what the server's policy decided (<code>Cors::explain</code>)</th></tr></thead>
<tbody></tbody>
</table>
<p id="cookie-note"></p>
<script>
const API = "{{API}}";
document.getElementById("page-origin").textContent = location.origin;

const cases = [
  { id: "simple-get", explain: { method: "GET", path: "/api/posts" }, request: "GET /api/posts",
    why: "A simple request from an allowed origin: no preflight, the answer is readable.",
    expect: "allowed", run: () => fetch(API + "/api/posts"), read: r => r.text() },
  { id: "delete-preflight", explain: { method: "DELETE", path: "/api/posts" }, request: "DELETE /api/posts",
    why: "DELETE is not a simple method: the browser sends a preflight first, and DELETE is allowed.",
    expect: "allowed", run: () => fetch(API + "/api/posts", { method: "DELETE" }), read: r => "status " + r.status },
  { id: "put-refused", explain: { method: "PUT", path: "/api/posts" }, request: "PUT /api/posts",
    why: "PUT is not in the allowed methods: the preflight is refused and the PUT is never sent.",
    expect: "blocked", run: () => fetch(API + "/api/posts", { method: "PUT" }), read: r => "status " + r.status },
  { id: "custom-header", explain: { method: "GET", path: "/api/posts", headers: "x-custom-header" }, request: "GET /api/posts with X-Custom-Header",
    why: "A non-safelisted request header needs a preflight; this one is allowed.",
    expect: "allowed", run: () => fetch(API + "/api/posts", { headers: { "X-Custom-Header": "1" } }), read: r => r.text() },
  { id: "forbidden-header", explain: { method: "GET", path: "/api/posts", headers: "x-forbidden-header" }, request: "GET /api/posts with X-Forbidden-Header",
    why: "This header is not allowed: the preflight is refused.",
    expect: "blocked", run: () => fetch(API + "/api/posts", { headers: { "X-Forbidden-Header": "1" } }), read: r => r.text() },
  { id: "exposed-header", explain: { method: "GET", path: "/api/headers" }, request: "GET /api/headers, read X-Request-Id",
    why: "X-Request-Id is exposed, so script can read it.",
    expect: "allowed", run: () => fetch(API + "/api/headers"), read: r => "X-Request-Id = " + r.headers.get("X-Request-Id") },
  { id: "unexposed-header", explain: { method: "GET", path: "/api/headers" }, request: "GET /api/headers, read X-Internal",
    why: "X-Internal is not exposed: the response is readable but that header reads as null.",
    expect: "allowed", run: () => fetch(API + "/api/headers"), read: r => "X-Internal = " + r.headers.get("X-Internal") },
  { id: "credentials-cookie", explain: { method: "GET", path: "/api/me" }, request: "POST /api/login, then GET /api/me, with credentials",
    why: "Credentials are allowed for this origin: the origin is reflected and Access-Control-Allow-Credentials is true. Whether the cookie is sent depends on the browser's third-party cookie rules (see the note below).",
    expect: "allowed",
    run: async () => { await fetch(API + "/api/login", { method: "POST", credentials: "include" }); return fetch(API + "/api/me", { credentials: "include" }); },
    read: async r => "status " + r.status + ": " + await r.text() },
  { id: "wildcard-credentials", explain: { method: "GET", path: "/api/public" }, request: "GET /api/public with credentials",
    why: "This route's own policy allows any origin with the literal *, which browsers refuse for credentialed requests.",
    expect: "blocked", run: () => fetch(API + "/api/public", { credentials: "include" }), read: r => r.text() },
  { id: "wildcard-public", explain: { method: "GET", path: "/api/public" }, request: "GET /api/public",
    why: "The same route without credentials: * is fine, and its exposed X-Total is readable.",
    expect: "allowed", run: () => fetch(API + "/api/public"), read: r => "X-Total = " + r.headers.get("X-Total") },
];

// The server's side: what the API's policy decides for the same request.
async function explain(c) {
  const q = new URLSearchParams({ method: c.explain.method, path: c.explain.path, headers: c.explain.headers || "" });
  try {
    const r = await fetch(API + "/api/explain?" + q);
    return await r.text();
  } catch (e) {
    return "could not ask the API: " + e;
  }
}

async function runAll() {
  const body = document.querySelector("#results tbody");
  for (const c of cases) {
    let result, detail;
    try {
      const response = await c.run();
      result = "allowed";
      detail = await c.read(response);
    } catch (e) {
      result = "blocked";
      detail = String(e);
    }
    const explained = await explain(c);
    const row = document.createElement("tr");
    row.dataset.case = c.id;
    row.dataset.result = result;
    row.dataset.detail = detail;
    row.dataset.explained = explained;
    if (result !== c.expect) row.className = "mismatch";
    for (const [text, cls] of [[c.request], [c.why], [c.expect], [result, result], [detail], [explained]]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      cell.style.whiteSpace = "pre-line";
      if (cls) cell.className = cls;
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
  document.getElementById("cookie-note").textContent =
    "Cookies: " + location.hostname + " and " + new URL(API).hostname +
    (location.hostname === new URL(API).hostname
      ? " are the same site (different ports), so the session cookie flows."
      : " are different sites; browsers that block third-party cookies (Chromium does by default) do not send the session cookie. Open this page on http://" + new URL(API).hostname + ":" + location.port + " to see it flow.");
  document.body.dataset.done = "true";
}
runAll();
</script>
</body>
</html>
"##;
