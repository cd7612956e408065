//! What the benchmarks, the allocation test and the load-test server measure:
//! one policy, written three ways (cors-actix's middleware, cors-actix's
//! `#[cors]` attribute, actix-cors 0.7), the same routes, and the same
//! requests. A bare app with no CORS at all is the baseline.
//!
//! The policy: the exact origins `https://app.example.com`,
//! `https://admin.example.com` and `http://localhost:9000` (a development
//! page on the API's host, another port), and every subdomain of
//! `example.net`; methods GET, POST, PUT and DELETE; request headers
//! `content-type` and `x-requested-with`; `x-request-id` exposed;
//! credentials; max age 600 s; disallowed origins are not blocked (the
//! browser blocks the read).

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use actix_codec::Decoder;
use actix_http::h1::Codec;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::{Method, Version};
use actix_web::{guard, route, web, App, Error, HttpResponse, Resource};
use bytes::BytesMut;
use cors_actix::cors;

/// The `Host` every request carries, as a browser's would.
pub const HOST: &str = "api.example.com";
/// Allowed by an exact origin.
pub const EXACT_ORIGIN: &str = "https://app.example.com";
/// The `Host` of the development case: the API on `localhost:8000`.
pub const DEV_HOST: &str = "localhost:8000";
/// Allowed by an exact origin: a development page on the API's host, another
/// port (the same site, another origin).
pub const DEV_ORIGIN: &str = "http://localhost:9000";
/// The exact origins allowed.
pub const EXACT_ORIGINS: [&str; 3] = [EXACT_ORIGIN, "https://admin.example.com", DEV_ORIGIN];
/// Allowed by the wildcard pattern `https://*.example.net`.
pub const WILDCARD_ORIGIN: &str = "https://shop.example.net";
/// Allowed by nothing.
pub const REFUSED_ORIGIN: &str = "https://evil.example.org";
/// Served behind `App::wrap` (cors-actix and actix-cors middleware).
pub const MIDDLEWARE_PATH: &str = "/api/posts";
/// Served by a `#[cors]` route (cors-actix) or a resource wrapped by
/// actix-cors.
pub const ROUTE_PATH: &str = "/api/items";

/// The policy as cors-actix middleware: one policy, built once, as an app
/// with one `Cors` has (two distinct plain policies on a thread make plain
/// middleware mark each request for the nesting check; see BENCHMARKS.md).
pub fn cors_actix() -> cors_actix::Cors {
    static POLICY: std::sync::LazyLock<cors_actix::Cors> =
        std::sync::LazyLock::new(build_cors_actix);
    POLICY.clone()
}

fn build_cors_actix() -> cors_actix::Cors {
    cors_actix::Cors::builder()
        .allow_origins(EXACT_ORIGINS)
        .allow_origin("https://*.example.net")
        .allow_methods(METHODS)
        .allow_headers(["content-type", "x-requested-with"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
        .build()
        .expect("valid policy")
}

/// The methods allowed.
pub const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

/// The policy as actix-cors middleware. actix-cors has no wildcard patterns;
/// `allowed_origin_fn` is how its users write one.
pub fn actix_cors() -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default();
    for origin in EXACT_ORIGINS {
        cors = cors.allowed_origin(origin);
    }
    cors.allowed_origin_fn(|origin, _| {
        origin
            .to_str()
            .is_ok_and(|origin| is_subdomain_of(origin, "https://", ".example.net"))
    })
    .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
    .allowed_headers([
        header::CONTENT_TYPE,
        header::HeaderName::from_static("x-requested-with"),
    ])
    .expose_headers(["x-request-id"])
    .supports_credentials()
    .max_age(600)
    .block_on_origin_mismatch(false)
}

/// `scheme` + one or more labels + `suffix`, with no port, user info or path:
/// what `https://*.example.net` means, written as an actix-cors user would.
pub fn is_subdomain_of(origin: &str, scheme: &str, suffix: &str) -> bool {
    let Some(host) = origin
        .strip_prefix(scheme)
        .and_then(|rest| rest.strip_suffix(suffix))
    else {
        return false;
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

async fn handler() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

/// What a bare app (no CORS) answers `OPTIONS` with, so that preflights are
/// compared with the cheapest answer an app without CORS could give.
async fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// `path` with GET and POST, and OPTIONS answered 204.
fn resource(path: &str) -> Resource {
    web::resource(path)
        .route(web::get().to(handler))
        .route(web::post().to(handler))
        .route(web::method(Method::OPTIONS).to(no_content))
}

/// The same policy as [`cors_actix()`], as a `#[cors]` route (the attribute
/// takes literals only).
#[cors(
    origins = [
        "https://app.example.com",
        "https://admin.example.com",
        "http://localhost:9000",
        "https://*.example.net"
    ],
    headers = ["content-type", "x-requested-with"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600
)]
#[route(
    "/api/items",
    method = "GET",
    method = "POST",
    method = "PUT",
    method = "DELETE"
)]
async fn cors_route() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

/// The same handler as [`cors_route`] with actix-web's own attribute and no
/// CORS. Not the baseline for `#[cors]` routes: actix-web's method guards
/// record the methods they check in the request's extensions (for the `Allow`
/// header of a 405), which allocates; `#[cors]` routes use a guard of their
/// own that does not. [`bare_route_app`] is the baseline.
#[route("/api/items", method = "GET", method = "POST")]
async fn actix_route() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

/// No CORS: [`ROUTE_PATH`] declared with actix-web's `#[route]` attribute,
/// plus OPTIONS answered with 204 (for reference; see [`actix_route`]).
pub fn bare_actix_route_app() -> App<impl AppFactory> {
    App::new()
        .service(actix_route)
        .service(web::resource(ROUTE_PATH).route(web::method(Method::OPTIONS).to(no_content)))
}

/// The [`ServiceFactory`] every app here is.
pub trait AppFactory:
    ServiceFactory<
    ServiceRequest,
    Config = (),
    Response = ServiceResponse<Self::Body>,
    Error = Error,
    InitError = (),
>
{
    /// The response body.
    type Body: MessageBody + 'static;
}

impl<T, B> AppFactory for T
where
    T: ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<B>,
        Error = Error,
        InitError = (),
    >,
    B: MessageBody + 'static,
{
    type Body = B;
}

/// No CORS: [`MIDDLEWARE_PATH`] and [`ROUTE_PATH`], both also answering
/// OPTIONS with 204.
pub fn bare_app() -> App<impl AppFactory> {
    App::new()
        .service(resource(MIDDLEWARE_PATH))
        .service(resource(ROUTE_PATH))
}

/// No CORS: [`ROUTE_PATH`] registered as a `#[cors]` route registers it (one
/// resource, a guard that accepts GET and POST without recording them) minus
/// the CORS policy, plus OPTIONS answered with 204. The baseline for
/// `#[cors]` routes.
pub fn bare_route_app() -> App<impl AppFactory> {
    App::new()
        .service(
            web::resource(ROUTE_PATH)
                .guard(guard::fn_guard(|ctx| {
                    matches!(
                        ctx.head().method,
                        Method::GET | Method::POST | Method::PUT | Method::DELETE
                    )
                }))
                .to(handler),
        )
        .service(web::resource(ROUTE_PATH).route(web::method(Method::OPTIONS).to(no_content)))
}

/// [`MIDDLEWARE_PATH`] behind `App::wrap(cors_actix())`.
pub fn cors_actix_app() -> App<impl AppFactory> {
    cors_actix_app_with(cors_actix())
}

/// [`MIDDLEWARE_PATH`] behind a hand-written `wrap_fn` that writes the
/// policy's headers and checks nothing: any `Origin` is echoed with
/// credentials, every `OPTIONS` carrying `Origin` and
/// `Access-Control-Request-Method` is answered 204 with the preflight's
/// headers. The floor for what writing those headers costs.
pub fn wrap_fn_app() -> App<impl AppFactory> {
    use actix_web::http::header::HeaderValue;
    const TRUE: HeaderValue = HeaderValue::from_static("true");
    const VARY_ACTUAL: HeaderValue = HeaderValue::from_static("Origin");
    const VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );
    App::new()
        .wrap_fn(|req, srv| {
            let origin = req.headers().get(header::ORIGIN).cloned();
            let preflight = origin.is_some()
                && req.method() == Method::OPTIONS
                && req
                    .headers()
                    .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
            let answer = match origin {
                Some(origin) if preflight => {
                    let mut res = HttpResponse::NoContent().finish();
                    let headers = res.headers_mut();
                    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                    headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
                    headers.insert(
                        header::ACCESS_CONTROL_ALLOW_METHODS,
                        HeaderValue::from_static("GET, POST, PUT, DELETE"),
                    );
                    headers.insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        HeaderValue::from_static("content-type, x-requested-with"),
                    );
                    headers.insert(
                        header::ACCESS_CONTROL_MAX_AGE,
                        HeaderValue::from_static("600"),
                    );
                    headers.insert(header::VARY, VARY_PREFLIGHT);
                    Ok(req.into_response(res))
                }
                origin => Err((srv.call(req), origin)),
            };
            async move {
                let (fut, origin) = match answer {
                    Ok(res) => return Ok(res),
                    Err(forwarded) => forwarded,
                };
                let mut res = fut.await?;
                if let Some(origin) = origin {
                    let headers = res.headers_mut();
                    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                    headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
                    headers.insert(
                        header::ACCESS_CONTROL_EXPOSE_HEADERS,
                        HeaderValue::from_static("x-request-id"),
                    );
                    headers.insert(header::VARY, VARY_ACTUAL);
                }
                Ok(res)
            }
        })
        .service(resource(MIDDLEWARE_PATH))
}

/// [`MIDDLEWARE_PATH`] behind `App::wrap(actix_cors())`.
pub fn actix_cors_app() -> App<impl AppFactory> {
    actix_cors_app_with(actix_cors())
}

/// [`ROUTE_PATH`] as a `#[cors]` route, with no middleware.
pub fn cors_actix_route_app() -> App<impl AppFactory> {
    App::new().service(cors_route)
}

/// [`ROUTE_PATH`] as a resource wrapped by actix-cors: actix-cors's way of
/// giving one route its own policy.
pub fn actix_cors_route_app() -> App<impl AppFactory> {
    App::new().service(resource(ROUTE_PATH).wrap(actix_cors()))
}

/// The `#[cors]` route inside an app wrapped by cors-actix middleware, as in
/// the per-route example: the middleware must find the route's policy for
/// every preflight.
pub fn cors_actix_route_in_wrapped_app() -> App<impl AppFactory> {
    App::new().wrap(cors_actix()).service(cors_route)
}

/// The requests measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// GET without `Origin` (same-origin page, curl, server to server).
    NoOrigin,
    /// GET from the allowed exact origin.
    ExactOrigin,
    /// GET from an allowed exact origin on the API's host, another port: a
    /// development page (`http://localhost:9000` calling `localhost:8000`).
    SameHost,
    /// GET from an origin allowed by the wildcard pattern.
    WildcardOrigin,
    /// GET from an origin no pattern allows (answered, without a grant).
    RefusedOrigin,
    /// A preflight for POST with `content-type` from the exact origin.
    PreflightAllowed,
    /// The same preflight from the refused origin.
    PreflightRefused,
}

impl Case {
    /// Every case, in table order.
    pub const ALL: [Case; 7] = [
        Case::NoOrigin,
        Case::ExactOrigin,
        Case::SameHost,
        Case::WildcardOrigin,
        Case::RefusedOrigin,
        Case::PreflightAllowed,
        Case::PreflightRefused,
    ];

    /// The case's name in benchmark ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Case::NoOrigin => "no-origin",
            Case::ExactOrigin => "exact-origin",
            Case::SameHost => "same-host",
            Case::WildcardOrigin => "wildcard-origin",
            Case::RefusedOrigin => "refused-origin",
            Case::PreflightAllowed => "preflight-allowed",
            Case::PreflightRefused => "preflight-refused",
        }
    }

    /// Whether this is a preflight.
    pub fn is_preflight(self) -> bool {
        matches!(self, Case::PreflightAllowed | Case::PreflightRefused)
    }

    /// The request's `Origin`, if any.
    pub fn origin(self) -> Option<&'static str> {
        match self {
            Case::NoOrigin => None,
            Case::ExactOrigin | Case::PreflightAllowed => Some(EXACT_ORIGIN),
            Case::SameHost => Some(DEV_ORIGIN),
            Case::WildcardOrigin => Some(WILDCARD_ORIGIN),
            Case::RefusedOrigin | Case::PreflightRefused => Some(REFUSED_ORIGIN),
        }
    }

    /// Whether the policy allows this request's origin.
    pub fn is_allowed(self) -> bool {
        matches!(
            self,
            Case::ExactOrigin | Case::SameHost | Case::WildcardOrigin | Case::PreflightAllowed
        )
    }

    /// The request's bytes on the wire, with the headers a browser would send
    /// that matter here: `Host`, `Origin` and the preflight's.
    pub fn wire(self, path: &str) -> String {
        wire_to(self.host(), path, self.origin(), self.is_preflight())
    }

    /// The request's `Host`.
    pub fn host(self) -> &'static str {
        match self {
            Case::SameHost => DEV_HOST,
            _ => HOST,
        }
    }

    /// The request as actix-web's HTTP/1.1 server builds it: decoded from
    /// [`wire`](Self::wire) by actix-http's codec, so that header values are
    /// slices of one shared buffer (a request made with `TestRequest` has a
    /// separate buffer per value, and its first clone allocates).
    ///
    /// # Panics
    /// Outside [`with_runtime`] (the codec's configuration starts a task).
    pub fn request(self, path: &str) -> Request {
        decode(&self.wire(path))
    }
}

impl Case {
    /// The request as actix-web's HTTP/2 server builds it: scheme and
    /// authority in the URI, no `Host` header (browsers send `:authority`),
    /// header values already shared (h2 decodes them from one buffer).
    pub fn request_h2(self, path: &str) -> Request {
        let scheme = if self == Case::SameHost {
            "http"
        } else {
            "https"
        };
        let mut req = actix_web::test::TestRequest::default()
            .uri(&format!("{scheme}://{}{path}", self.host()))
            .version(Version::HTTP_2);
        if let Some(origin) = self.origin() {
            req = req.insert_header((header::ORIGIN, origin));
        }
        if self.is_preflight() {
            req = req
                .method(Method::OPTIONS)
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "POST"))
                .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
        }
        let req = req.to_request();
        // A value made by `TestRequest` owns its buffer until first cloned,
        // and that clone allocates; clone each once now, as h2's are shared.
        for (_, value) in req.head().headers.iter() {
            drop(value.clone());
        }
        req
    }
}

/// What an initialised app (`actix_web::test::init_service`) serves.
pub use actix_http::Request;

/// Sends one request through an initialised app and returns its response.
///
/// # Panics
/// If the app fails the request instead of answering it.
pub fn call<S, B>(app: &S, req: Request) -> ServiceResponse<B>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    match block_now(app.call(req)) {
        Ok(res) => res,
        Err(err) => panic!("the app failed the request: {err}"),
    }
}

/// Initialises an app as `actix_web::test::init_service` does.
pub fn init<F, B>(
    app: App<F>,
) -> impl Service<Request, Response = ServiceResponse<B>, Error = Error>
where
    F: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    block_now(actix_web::test::init_service(app))
}

/// A GET (or, with `preflight`, the preflight for a POST with
/// `content-type`) to `path` on [`HOST`], as bytes on the wire.
pub fn wire(path: &str, origin: Option<&str>, preflight: bool) -> String {
    wire_to(HOST, path, origin, preflight)
}

/// [`wire`] with another `Host`.
pub fn wire_to(host: &str, path: &str, origin: Option<&str>, preflight: bool) -> String {
    let method = if preflight { "OPTIONS" } else { "GET" };
    let mut wire = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
    if let Some(origin) = origin {
        wire.push_str(&format!("Origin: {origin}\r\n"));
    }
    if preflight {
        wire.push_str(
            "Access-Control-Request-Method: POST\r\n\
             Access-Control-Request-Headers: content-type\r\n",
        );
    }
    wire.push_str("\r\n");
    wire
}

/// Decodes one request as actix-web's HTTP/1.1 server does (see
/// [`Case::request`]).
///
/// # Panics
/// Outside [`with_runtime`], or if `wire` is not one whole request.
pub fn decode(wire: &str) -> Request {
    thread_local! {
        static CODEC: RefCell<Option<Codec>> = const { RefCell::new(None) };
    }
    let mut buf = BytesMut::from(wire.as_bytes());
    let decoded = CODEC.with_borrow_mut(|codec| {
        codec
            .get_or_insert_with(|| Codec::new(actix_http::ServiceConfig::default()))
            .decode(&mut buf)
    });
    match decoded {
        Ok(Some(actix_http::h1::Message::Item(req))) if buf.is_empty() => req,
        other => panic!("not decoded: {other:?}"),
    }
}

/// The `i`th exact origin of a policy with many ([`scaled_cors_actix`]).
pub fn many_exact_origin(i: usize) -> String {
    format!("https://app{i}.example.com")
}

/// The `i`th wildcard pattern of a policy with many, and an origin it allows.
pub fn many_wildcard(i: usize) -> (String, String) {
    (
        format!("https://*.tenant{i}.example.com"),
        format!("https://www.tenant{i}.example.com"),
    )
}

/// The benchmark policy with `exact` exact origins and `wildcards` wildcard
/// patterns instead of its own, as cors-actix middleware.
pub fn scaled_cors_actix(exact: usize, wildcards: usize) -> cors_actix::Cors {
    scaled_policy(
        cors_actix::Cors::builder()
            .allow_origins((0..exact).map(many_exact_origin))
            .allow_origins((0..wildcards).map(|i| many_wildcard(i).0)),
    )
}

/// The benchmark policy's settings but its origins, added to `origins`.
pub fn scaled_policy(origins: cors_actix::CorsBuilder) -> cors_actix::Cors {
    origins
        .allow_methods(["GET", "POST"])
        .allow_headers(["content-type", "x-requested-with"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
        .build()
        .expect("valid policy")
}

/// The same as actix-cors middleware: exact origins in its hash set,
/// wildcards as one `allowed_origin_fn` trying each suffix in turn (actix-cors
/// has no patterns of its own).
pub fn scaled_actix_cors(exact: usize, wildcards: usize) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default();
    for i in 0..exact {
        cors = cors.allowed_origin(&many_exact_origin(i));
    }
    if wildcards > 0 {
        let suffixes: Vec<String> = (0..wildcards)
            .map(|i| format!(".tenant{i}.example.com"))
            .collect();
        cors = cors.allowed_origin_fn(move |origin, _| {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            suffixes
                .iter()
                .any(|suffix| is_subdomain_of(origin, "https://", suffix))
        });
    }
    cors.allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::HeaderName::from_static("x-requested-with"),
        ])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
        .block_on_origin_mismatch(false)
}

/// [`MIDDLEWARE_PATH`] behind `App::wrap(cors)` (cors-actix).
pub fn cors_actix_app_with(cors: cors_actix::Cors) -> App<impl AppFactory> {
    App::new().wrap(cors).service(resource(MIDDLEWARE_PATH))
}

/// [`MIDDLEWARE_PATH`] behind `App::wrap(cors)` (actix-cors).
pub fn actix_cors_app_with(cors: actix_cors::Cors) -> App<impl AppFactory> {
    App::new().wrap(cors).service(resource(MIDDLEWARE_PATH))
}

/// Runs `f` inside an actix system (a Tokio runtime and `LocalSet`), which
/// actix-http's codec needs; the apps themselves are polled by [`block_now`].
pub fn with_runtime<T>(f: impl FnOnce() -> T) -> T {
    actix_web::rt::System::new().block_on(async move { f() })
}

/// Polls a future that completes without waiting (every app here does) to
/// its end, without a runtime: what is measured is the app, not an executor.
///
/// # Panics
/// If the future is still pending after many polls: it waits for something.
pub fn block_now<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the app's future did not complete without waiting")
}
