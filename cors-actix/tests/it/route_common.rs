//! Helpers shared by the `route_*` integration tests of `#[cors]`.
#![allow(dead_code)] // each test file uses its own subset

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};

pub const ACAO: &str = "access-control-allow-origin";
pub const ACAC: &str = "access-control-allow-credentials";
pub const ACAM: &str = "access-control-allow-methods";
pub const ACAH: &str = "access-control-allow-headers";
pub const ACEH: &str = "access-control-expose-headers";
pub const ACMA: &str = "access-control-max-age";
pub const ACAPN: &str = "access-control-allow-private-network";

/// A request as a browser would send it, built step by step.
pub struct Req {
    inner: TestRequest,
}

impl Req {
    /// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    pub fn preflight(path: &str, origin: &str, method: &str) -> Self {
        Self {
            inner: TestRequest::default()
                .method(Method::OPTIONS)
                .uri(path)
                .insert_header(("origin", origin))
                .insert_header(("access-control-request-method", method)),
        }
    }

    /// An actual request carrying `Origin`.
    pub fn actual(method: &str, path: &str, origin: &str) -> Self {
        Self::plain(method, path).header("origin", origin)
    }

    /// A request without `Origin`.
    pub fn plain(method: &str, path: &str) -> Self {
        Self {
            inner: TestRequest::default()
                .method(Method::from_bytes(method.as_bytes()).expect("a valid method"))
                .uri(path),
        }
    }

    /// Appends a header line (a name given twice gives two lines).
    pub fn header(self, name: &str, value: &str) -> Self {
        Self {
            inner: self.inner.append_header((name, value)),
        }
    }

    /// `Access-Control-Request-Headers`.
    pub fn request_headers(self, names: &str) -> Self {
        self.header("access-control-request-headers", names)
    }

    /// The request, ready for `test::call_service`; see [`send!`].
    pub fn build(self) -> TestRequest {
        self.inner
    }
}

/// Sends a [`Req`] through an initialised app and reads the whole response:
/// `send!(&app, Req::preflight(..))`.
macro_rules! send {
    ($app:expr, $req:expr) => {
        $crate::route_common::Res::read(
            actix_web::test::call_service($app, $req.build().to_request()).await,
        )
        .await
    };
}

/// A response, read whole: status, every header line in order, body.
#[derive(Clone, PartialEq, Eq)]
pub struct Res {
    pub status: StatusCode,
    /// Every header line, names lower-case, in the order of the header map.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Res {
    pub async fn read<B: MessageBody>(res: ServiceResponse<B>) -> Self {
        let status = res.status();
        let headers = res
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        let body = test::read_body(res).await.to_vec();
        Self {
            status,
            headers,
            body,
        }
    }

    /// Every value of a header, as text.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .collect()
    }

    /// The only value of a header; panics when it appears more than once.
    pub fn get(&self, name: &str) -> Option<String> {
        let mut values = self.all(name);
        assert!(
            values.len() <= 1,
            "{name} appears {} times: {values:?}",
            values.len()
        );
        values.pop()
    }

    /// The `Access-Control-Allow-Origin` value.
    pub fn allow_origin(&self) -> Option<String> {
        self.get(ACAO)
    }

    /// Whether any `Access-Control-*` header is present.
    pub fn has_cors_headers(&self) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.starts_with("access-control-"))
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// An allowed preflight for `origin`: the policy's status and the origin echoed.
    #[track_caller]
    pub fn assert_preflight_allowed(&self, origin: &str) {
        assert!(
            self.status.is_success(),
            "preflight refused: {} {:?} {}",
            self.status,
            self.headers_text(),
            self.body_text()
        );
        assert_eq!(self.allow_origin().as_deref(), Some(origin), "{self:?}");
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
        assert_eq!(self.get(ACAC), None, "{:?}", self.headers_text());
    }

    pub fn headers_text(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.clone(), String::from_utf8_lossy(v).into_owned()))
            .collect()
    }
}

impl std::fmt::Debug for Res {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Res")
            .field("status", &self.status)
            .field("headers", &self.headers_text())
            .field("body", &self.body_text())
            .finish()
    }
}
