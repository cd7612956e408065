//! What the test modules share: header names, requests as a browser sends
//! them, a standard app that counts handler runs, one response type with the
//! assertions on its CORS headers, and the binary's logger.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use actix_web::{web, App, HttpResponse};
use cors_actix::{Cors, CorsBuilder};

// Header names, lower-case as a header map holds them.
pub const ORIGIN: &str = "origin";
pub const REQUEST_METHOD: &str = "access-control-request-method";
pub const REQUEST_HEADERS: &str = "access-control-request-headers";
pub const REQUEST_PRIVATE_NETWORK: &str = "access-control-request-private-network";
pub const ALLOW_ORIGIN: &str = "access-control-allow-origin";
pub const ALLOW_CREDENTIALS: &str = "access-control-allow-credentials";
pub const ALLOW_METHODS: &str = "access-control-allow-methods";
pub const ALLOW_HEADERS: &str = "access-control-allow-headers";
pub const EXPOSE_HEADERS: &str = "access-control-expose-headers";
pub const MAX_AGE: &str = "access-control-max-age";
pub const ALLOW_PRIVATE_NETWORK: &str = "access-control-allow-private-network";

/// An origin the standard policies allow.
pub const APP: &str = "https://app.example.com";
/// An origin no standard policy allows.
pub const EVIL: &str = "https://evil.example.net";

/// `Vary` of every preflight answer.
pub const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
/// `Vary` of preflight answers when private network access is enabled.
pub const PREFLIGHT_VARY_PN: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
                                     Access-Control-Request-Private-Network";

pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
pub const REFUSED_ORIGIN: &str = "CORS preflight refused: origin not allowed";
pub const REFUSED_METHOD: &str = "CORS preflight refused: method not allowed";
pub const REFUSED_HEADER: &str = "CORS preflight refused: request header not allowed";
pub const MALFORMED_METHOD: &str =
    "CORS preflight refused: method not allowed (malformed Access-Control-Request-Method)";
pub const MALFORMED_HEADERS: &str =
    "CORS preflight refused: request header not allowed (malformed Access-Control-Request-Headers)";
pub const TOO_MANY_HEADERS: &str =
    "CORS preflight refused: request header not allowed (too many Access-Control-Request-Headers)";
pub const BLOCKED: &str = "CORS request refused: origin not allowed";

/// The smallest valid policy: one exact origin, everything else default.
pub fn policy() -> CorsBuilder {
    Cors::builder().allow_origin(APP)
}

// Requests go to `/` unless a test sets another path with `.uri(path)`.
// An origin is bytes, not text: lookalikes and broken values need not be
// ASCII.

/// A preflight: `OPTIONS /` with `Origin` and `Access-Control-Request-Method`.
pub fn preflight(origin: impl AsRef<[u8]>, method: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/")
        .insert_header((header::ORIGIN, raw(origin.as_ref())))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
}

/// A preflight that also asks for request headers, in one header line.
pub fn preflight_with_headers(
    origin: impl AsRef<[u8]>,
    method: &str,
    headers: &str,
) -> TestRequest {
    preflight(origin, method).insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, headers))
}

/// An actual request `method /` with an `Origin`; the method as a [`Method`]
/// or as text.
pub fn actual<M>(method: M, origin: impl AsRef<[u8]>) -> TestRequest
where
    Method: TryFrom<M>,
    <Method as TryFrom<M>>::Error: std::fmt::Debug,
{
    TestRequest::default()
        .method(Method::try_from(method).expect("a valid method"))
        .uri("/")
        .insert_header((header::ORIGIN, raw(origin.as_ref())))
}

/// `GET /` with an `Origin`.
pub fn get(origin: impl AsRef<[u8]>) -> TestRequest {
    actual(Method::GET, origin)
}

/// `GET /` without `Origin`.
pub fn no_origin() -> TestRequest {
    TestRequest::default().uri("/")
}

/// A header value from raw bytes (for non-UTF-8 and other odd values).
pub fn raw(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("a valid header value")
}

/// Counts how often a handler ran.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    pub fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// The handler of the standard app: 200, body `handler`, `X-Request-Id: 42`.
pub fn ok_handler(hits: Hits) -> impl Fn() -> std::future::Ready<HttpResponse> + Clone + 'static {
    move || {
        hits.hit();
        std::future::ready(
            HttpResponse::Ok()
                .insert_header(("x-request-id", "42"))
                .body("handler"),
        )
    }
}

/// Sends one request through `App::new().wrap(cors)` with a handler at `/`
/// for every method, and reads the whole response.
pub async fn send(cors: Cors, req: TestRequest) -> Resp {
    let hits = Hits::default();
    let app = test::init_service(
        App::new()
            .wrap(cors)
            .route("/", web::route().to(ok_handler(hits.clone()))),
    )
    .await;
    let res = test::call_service(&app, req.to_request()).await;
    Resp::read(res).await.ran(hits.count())
}

/// Sends `req` through an initialised app and reads the whole response.
pub async fn send_to<S, B>(app: &S, req: TestRequest) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    Resp::read(test::call_service(app, req.to_request()).await).await
}

/// A response, read in full.
#[derive(Clone)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// How often the handler ran, for responses from [`send`] (or set with
    /// [`Resp::ran`]).
    pub handler_runs: usize,
}

impl Resp {
    pub async fn read<B: MessageBody>(res: ServiceResponse<B>) -> Self {
        let status = res.status();
        let headers = res.headers().clone();
        let body = test::read_body(res).await;
        Self {
            status,
            headers,
            body,
            handler_runs: 0,
        }
    }

    pub async fn from_http(res: HttpResponse) -> Self {
        let status = res.status();
        let headers = res.headers().clone();
        let body = actix_web::body::to_bytes(res.into_body())
            .await
            .unwrap_or_else(|_| panic!("body could not be read"));
        Self {
            status,
            headers,
            body,
            handler_runs: 0,
        }
    }

    pub fn ran(mut self, handler_runs: usize) -> Self {
        self.handler_runs = handler_runs;
        self
    }

    /// Every value of a header, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(HeaderName::from_bytes(name.as_bytes()).unwrap())
            .map(|v| v.to_str().expect("a text header value"))
            .collect()
    }

    /// The value of a header that must appear at most once.
    pub fn one(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(
            all.len() <= 1,
            "{name} appears {} times: {all:?}",
            all.len()
        );
        all.first().copied()
    }

    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).expect("a UTF-8 body")
    }

    /// The `Access-Control-Allow-Origin` value.
    pub fn allow_origin(&self) -> Option<&str> {
        self.one(ALLOW_ORIGIN)
    }

    /// Whether any `Access-Control-*` header is present.
    pub fn has_cors_headers(&self) -> bool {
        self.headers
            .keys()
            .any(|n| n.as_str().starts_with("access-control-"))
    }

    /// Every header line, as text, in the order of the header map.
    pub fn headers_text(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (n.as_str().to_owned(), value)
            })
            .collect()
    }

    /// Every `Access-Control-*` and `Vary` header, sorted by name, values of
    /// one name in their order on the response.
    pub fn cors(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut names: Vec<&HeaderName> = self
            .headers
            .keys()
            .filter(|n| n.as_str().starts_with("access-control-") || *n == header::VARY)
            .collect();
        names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        names.dedup();
        for name in names {
            for value in self.headers.get_all(name) {
                out.push((
                    name.as_str().to_owned(),
                    value.to_str().expect("a text header value").to_owned(),
                ));
            }
        }
        out
    }

    /// Asserts the response's `Access-Control-*` and `Vary` headers are
    /// exactly these (names lower-case, in any order between names; values
    /// of one name in response order): nothing missing, nothing more.
    #[track_caller]
    pub fn assert_cors(&self, expected: &[(&str, &str)]) {
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            self.cors(),
            expected,
            "CORS headers of a {} response",
            self.status
        );
    }

    /// An allowed preflight for `origin`: the policy's status and the origin echoed.
    #[track_caller]
    pub fn assert_preflight_allowed(&self, origin: &str) {
        assert!(
            self.status.is_success(),
            "preflight refused: {} {:?} {}",
            self.status,
            self.headers_text(),
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.allow_origin(), Some(origin), "{self:?}");
    }

    /// A refused preflight: anything but a 2xx with `Access-Control-Allow-Origin`.
    #[track_caller]
    pub fn assert_preflight_refused(&self) {
        assert!(
            !self.status.is_success() || self.allow_origin().is_none(),
            "preflight allowed: {} {:?}",
            self.status,
            self.headers_text()
        );
        assert_eq!(self.allow_origin(), None, "{:?}", self.headers_text());
        assert_eq!(
            self.one(ALLOW_CREDENTIALS),
            None,
            "{:?}",
            self.headers_text()
        );
    }

    /// The answer grants nothing, so the browser blocks the read: no
    /// `Access-Control-Allow-Origin`, `-Allow-Credentials` nor
    /// `-Allow-Private-Network`, however many lines of them.
    #[track_caller]
    pub fn assert_grants_nothing(&self, what: &str) {
        let allow_origin = self.all(ALLOW_ORIGIN);
        assert!(allow_origin.is_empty(), "{what}: granted {allow_origin:?}");
        assert!(
            self.all(ALLOW_CREDENTIALS).is_empty(),
            "{what}: Allow-Credentials sent"
        );
        assert!(
            self.all(ALLOW_PRIVATE_NETWORK).is_empty(),
            "{what}: private network granted"
        );
    }

    /// A preflight answered with a 403 for `reason` that grants nothing.
    #[track_caller]
    pub fn assert_preflight_forbidden(&self, what: &str, reason: &str) {
        self.assert_grants_nothing(what);
        assert_eq!(self.status, StatusCode::FORBIDDEN, "{what}");
        assert_eq!(
            String::from_utf8_lossy(&self.body),
            format!("CORS preflight refused: {reason}"),
            "{what}"
        );
    }

    /// The answer grants `origin`, in exactly one `Access-Control-Allow-Origin`.
    #[track_caller]
    pub fn assert_grants(&self, origin: &str) {
        assert_eq!(self.all(ALLOW_ORIGIN), [origin], "{origin} was not granted");
    }

    /// Asserts the response is the 403 of a refused preflight with this body.
    #[track_caller]
    pub fn assert_refused_preflight(&self, body: &str, vary: &str) {
        assert_eq!(self.status, StatusCode::FORBIDDEN);
        assert_eq!(self.body_str(), body);
        assert_eq!(self.one("content-type"), Some(TEXT_PLAIN));
        self.assert_cors(&[("vary", vary)]);
        assert_eq!(self.handler_runs, 0, "the handler must not run");
    }

    /// Asserts the response is the diagnostic answer to a preflight from an
    /// allowed origin whose method or a requested header is refused: 200,
    /// the refusal text as a `text/plain` body, and exactly the CORS headers
    /// `expected` (the origin's grant, the configured method and header
    /// lists, the preflight `Vary`), never `Access-Control-Max-Age` nor
    /// `Access-Control-Allow-Private-Network`. The handler must not run.
    #[track_caller]
    pub fn assert_diagnosed_preflight(&self, body: &str, expected: &[(&str, &str)]) {
        for name in ["access-control-allow-origin", "vary"] {
            assert!(
                expected.iter().any(|(n, _)| *n == name),
                "a diagnosed preflight always carries {name}: add it to the expected headers"
            );
        }
        // Whatever it lists, the browser must still refuse: never `*`.
        for (name, value) in expected {
            assert!(
                !(name.starts_with("access-control-allow-m")
                    || name.starts_with("access-control-allow-h"))
                    || !value.split(',').any(|v| v.trim() == "*"),
                "a diagnosed preflight never lists *: {name}: {value}"
            );
        }
        assert_eq!(
            self.status,
            StatusCode::OK,
            "a diagnosed preflight is answered 200: {self:?}"
        );
        assert_eq!(self.body_str(), body);
        assert_eq!(self.one("content-type"), Some(TEXT_PLAIN));
        assert_eq!(
            self.one("access-control-max-age"),
            None,
            "a diagnosed preflight is never cached"
        );
        assert_eq!(
            self.one("access-control-allow-private-network"),
            None,
            "a diagnosed preflight never grants private network access"
        );
        self.assert_cors(expected);
        assert_eq!(self.handler_runs, 0, "the handler must not run");
    }
}

impl std::fmt::Debug for Resp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resp")
            .field("status", &self.status)
            .field("headers", &self.headers_text())
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("handler_runs", &self.handler_runs)
            .finish()
    }
}

/// Asserts that the policy grants `origin`: its actual requests get the
/// origin back (and `Vary`), its preflights a 204 with the origin.
pub async fn assert_allowed(builder: &CorsBuilder, origin: &str) {
    let res = send(builder.clone().build().unwrap(), get(origin)).await;
    assert_eq!(res.status, StatusCode::OK, "{origin}");
    assert_eq!(
        res.cors(),
        [
            ("access-control-allow-origin".to_owned(), origin.to_owned()),
            ("vary".to_owned(), "Origin".to_owned()),
        ],
        "actual request from {origin}"
    );
    let res = send(builder.clone().build().unwrap(), preflight(origin, "GET")).await;
    assert_eq!(
        res.status,
        StatusCode::NO_CONTENT,
        "preflight from {origin}"
    );
    assert_eq!(
        res.one("access-control-allow-origin"),
        Some(origin),
        "preflight from {origin}"
    );
}

/// Asserts that the policy refuses the `Origin` value `origin` (any bytes):
/// no grant on actual requests, 403 on preflights, 403 with blocking, and
/// never a 500.
pub async fn assert_refused(builder: &CorsBuilder, origin: &[u8]) {
    let shown = String::from_utf8_lossy(origin);
    let value = raw(origin);

    let res = send(
        builder.clone().build().unwrap(),
        get(APP).insert_header((header::ORIGIN, value.clone())),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "actual request from {shown:?}");
    assert_eq!(res.handler_runs, 1, "actual request from {shown:?}");
    assert_eq!(
        res.cors(),
        [("vary".to_owned(), "Origin".to_owned())],
        "actual request from {shown:?}"
    );

    let res = send(
        builder.clone().build().unwrap(),
        preflight(APP, "GET").insert_header((header::ORIGIN, value.clone())),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "preflight from {shown:?}"
    );
    assert_eq!(res.body_str(), REFUSED_ORIGIN, "preflight from {shown:?}");
    assert_eq!(
        res.cors(),
        [("vary".to_owned(), PREFLIGHT_VARY.to_owned())],
        "preflight from {shown:?}"
    );

    let res = send(
        builder.clone().block_disallowed(true).build().unwrap(),
        get(APP).insert_header((header::ORIGIN, value)),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "blocked request from {shown:?}"
    );
    assert_eq!(res.body_str(), BLOCKED, "blocked request from {shown:?}");
    assert_eq!(res.handler_runs, 0, "blocked request from {shown:?}");
}

/// The test binary's `log` logger, shared: `log` takes one logger per
/// process, and the tests of log lines and of log-line forgery both read it.
pub mod logs {
    use std::sync::{Mutex, Once};

    /// One record, as a logger writes it.
    #[derive(Clone, Debug)]
    pub struct Line {
        pub level: log::Level,
        pub target: String,
        pub text: String,
    }

    impl Line {
        /// The line as a typical logger prints it: `LEVEL target: text`.
        pub fn formatted(&self) -> String {
            format!("{} {}: {}", self.level, self.target, self.text)
        }
    }

    static LINES: Mutex<Vec<Line>> = Mutex::new(Vec::new());

    struct Capture;

    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }

        fn log(&self, record: &log::Record<'_>) {
            let line = Line {
                level: record.level(),
                target: record.target().to_owned(),
                text: record.args().to_string(),
            };
            LINES.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }

        fn flush(&self) {}
    }

    /// Installs the capturing logger, at every level, once per process.
    pub fn capture() {
        static INIT: Once = Once::new();
        INIT.call_once(|| {
            log::set_logger(&Capture).expect("no other logger in this test binary");
            log::set_max_level(log::LevelFilter::Trace);
        });
    }

    /// Every line captured so far, from every test of the process.
    pub fn all() -> Vec<Line> {
        LINES.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The lines cors-actix logged that contain `needle` (tests run in
    /// parallel, so each looks for a value of its own).
    pub fn from_crate_with(needle: &str) -> Vec<(log::Level, String)> {
        all()
            .into_iter()
            .filter(|l| l.target.starts_with("cors_actix") && l.text.contains(needle))
            .map(|l| (l.level, l.text))
            .collect()
    }
}
