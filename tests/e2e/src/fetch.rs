//! What to `fetch()` from the page, and what the page saw.

use std::fmt;
use std::time::Duration;

use serde_json::{json, Value};

use crate::browser::Engine;

/// `RequestInit.credentials`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    SameOrigin,
    Include,
}

impl Credentials {
    pub fn as_str(self) -> &'static str {
        match self {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        }
    }
}

/// `RequestInit.cache`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheMode {
    Default,
    NoStore,
    Reload,
    NoCache,
    ForceCache,
    OnlyIfCached,
}

impl CacheMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheMode::Default => "default",
            CacheMode::NoStore => "no-store",
            CacheMode::Reload => "reload",
            CacheMode::NoCache => "no-cache",
            CacheMode::ForceCache => "force-cache",
            CacheMode::OnlyIfCached => "only-if-cached",
        }
    }
}

/// `RequestInit.mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Cors,
    NoCors,
    SameOrigin,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Cors => "cors",
            Mode::NoCors => "no-cors",
            Mode::SameOrigin => "same-origin",
        }
    }
}

/// A `fetch(url, init)` to run in the page. Unset options are left out of
/// `init`, so the browser's defaults apply (GET, `credentials: 'same-origin'`,
/// `cache: 'default'`, `mode: 'cors'`).
#[derive(Clone, Debug)]
pub struct FetchRequest {
    pub url: String,
    /// Sent verbatim: `fetch` upper-cases only DELETE, GET, HEAD, OPTIONS,
    /// POST and PUT, so `"patch"` stays lower-case.
    pub method: Option<String>,
    pub headers: Vec<(String, String)>,
    pub credentials: Option<Credentials>,
    pub cache: Option<CacheMode>,
    pub mode: Option<Mode>,
    pub body: Option<String>,
    /// Header names to read with `response.headers.get(name)`; see
    /// [`FetchResult::get`].
    pub read: Vec<String>,
    /// The page aborts the fetch after this long (an `AbortError`), so a server
    /// that never answers fails the test instead of hanging it. Default 15 s.
    pub timeout: Duration,
}

impl FetchRequest {
    /// A GET (by default) of `url`.
    pub fn new(url: impl Into<String>) -> Self {
        FetchRequest {
            url: url.into(),
            method: None,
            headers: Vec::new(),
            credentials: None,
            cache: None,
            mode: None,
            body: None,
            read: Vec::new(),
            timeout: Duration::from_secs(15),
        }
    }

    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Add a request header (may be repeated).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    pub fn cache(mut self, cache: CacheMode) -> Self {
        self.cache = Some(cache);
        self
    }

    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }

    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Also read `response.headers.get(name)`; the answer is in
    /// [`FetchResult::get`].
    pub fn read_header(mut self, name: impl Into<String>) -> Self {
        self.read.push(name.into());
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "headers": self.headers,
            "credentials": self.credentials.map(Credentials::as_str),
            "cache": self.cache.map(CacheMode::as_str),
            "mode": self.mode.map(Mode::as_str),
            "body": self.body,
            "read": self.read,
            "timeoutMs": u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
        })
    }
}

/// What the page saw of one `fetch()`.
#[derive(Clone, Debug)]
pub struct FetchResult {
    /// The browser that ran it.
    pub engine: Engine,
    /// `fetch` resolved with a response. `false` when it rejected: a CORS
    /// failure (`error` is [`Engine::failed_fetch`]) or anything else in
    /// `error`.
    pub ok: bool,
    /// `"{name}: {message}"` of the rejection, when `ok` is false.
    pub error: Option<String>,
    /// `response.status` (0 when not `ok`, and for opaque responses).
    pub status: u16,
    /// `response.type`: `basic`, `cors`, `opaque`, ... (empty when not `ok`).
    pub response_type: String,
    /// What iterating `response.headers` gave: the headers the page may read,
    /// names lower-case, sorted, same-name values combined with `", "`.
    pub headers: Vec<(String, String)>,
    /// `response.headers.get(name)` for each name asked for with
    /// [`FetchRequest::read_header`].
    pub got: Vec<(String, Option<String>)>,
    /// `await response.text()`.
    pub body: String,
    /// Browser console lines logged while the fetch ran; a CORS failure's
    /// reason is here (Chromium: `... has been blocked by CORS policy: ...`,
    /// Firefox: `Cross-Origin Request Blocked: ... (Reason: ...)`).
    pub console: Vec<String>,
}

impl FetchResult {
    /// The response was readable; panics with the whole result otherwise.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.ok, "expected the fetch to succeed, but: {self}");
        self
    }

    /// The fetch failed the way CORS failures do (the engine's
    /// [`Engine::failed_fetch`]); panics with the whole result otherwise.
    #[track_caller]
    pub fn assert_blocked(&self) -> &Self {
        assert!(
            self.is_blocked(),
            "expected the fetch to be blocked ({}), but: {self}",
            self.engine.failed_fetch()
        );
        self
    }

    /// `fetch` rejected with the engine's network-error `TypeError`.
    pub fn is_blocked(&self) -> bool {
        !self.ok && self.error.as_deref() == Some(self.engine.failed_fetch())
    }

    /// The readable header `name`, from iterating `response.headers`
    /// (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The names of the readable headers.
    pub fn header_names(&self) -> Vec<&str> {
        self.headers.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// `response.headers.get(name)` as the page saw it. Panics if `name` was
    /// not asked for with [`FetchRequest::read_header`] (or the fetch failed).
    #[track_caller]
    pub fn get(&self, name: &str) -> Option<&str> {
        match self.got.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            Some((_, v)) => v.as_deref(),
            None => panic!(
                "header {name:?} was not read: ask for it with FetchRequest::read_header \
                 (and the fetch must succeed); result: {self}"
            ),
        }
    }

    /// The console's (first) CORS error for this fetch, if any.
    pub fn cors_error(&self) -> Option<&str> {
        let marker = self.engine.cors_console_marker();
        self.console
            .iter()
            .find(|l| l.contains(marker))
            .map(String::as_str)
    }

    pub(crate) fn from_json(
        value: &Value,
        console: Vec<String>,
        engine: Engine,
    ) -> Result<Self, String> {
        let ok = value
            .get("ok")
            .and_then(Value::as_bool)
            .ok_or_else(|| format!("unexpected answer from the page script: {value}"))?;
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let pairs = |key: &str| -> Vec<(String, Option<String>)> {
            value
                .get(key)
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|pair| {
                            let name = pair.get(0)?.as_str()?.to_owned();
                            Some((name, pair.get(1)?.as_str().map(str::to_owned)))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(FetchResult {
            engine,
            ok,
            error: text("error"),
            status: value
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(0),
            response_type: text("type").unwrap_or_default(),
            headers: pairs("headers")
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or_default()))
                .collect(),
            got: pairs("got"),
            body: text("body").unwrap_or_default(),
            console,
        })
    }
}

impl fmt::Display for FetchResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.engine)?;
        if self.ok {
            write!(
                f,
                "resolved: status {} ({}), readable headers {:?}, body {:?}",
                self.status, self.response_type, self.headers, self.body
            )?;
            if !self.got.is_empty() {
                write!(f, ", headers.get: {:?}", self.got)?;
            }
        } else {
            write!(
                f,
                "rejected: {}",
                self.error.as_deref().unwrap_or("(no error)")
            )?;
        }
        if !self.console.is_empty() {
            write!(f, "; console: {:?}", self.console)?;
        }
        Ok(())
    }
}

/// The page script for `execute_async`: `arguments` are the URL, the options
/// from [`FetchRequest::to_json`] and WebDriver's callback.
pub(crate) const FETCH_SCRIPT: &str = r#"
const [url, o, done] = arguments;
const describe = (e) => (e && e.name) ? `${e.name}: ${e.message}` : String(e);
const controller = new AbortController();
const timer = setTimeout(() => controller.abort(), o.timeoutMs);
(async () => {
  const init = { signal: controller.signal, headers: o.headers };
  for (const key of ["method", "credentials", "cache", "mode", "body"]) {
    if (o[key] !== null) init[key] = o[key];
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    return { ok: false, error: describe(e) };
  }
  const headers = [];
  for (const [name, value] of response.headers) headers.push([name, value]);
  const got = o.read.map((name) => [name, response.headers.get(name)]);
  let body;
  try {
    body = await response.text();
  } catch (e) {
    return { ok: false, error: `reading the body: ${describe(e)}` };
  }
  return { ok: true, status: response.status, type: response.type, headers, got, body };
})().catch((e) => ({ ok: false, error: `harness script: ${describe(e)}` }))
  .then((result) => { clearTimeout(timer); done(result); });
"#;
