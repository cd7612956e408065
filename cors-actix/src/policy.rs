//! The policy engine: what a request gets, decided once and applied the same
//! way by the middleware and by `#[cors]` routes.

use actix_web::dev::RequestHead;
use actix_web::http::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;

use crate::allow_headers::AllowHeaders;
use crate::allow_methods::{AllowMethods, MethodRefusal};
use crate::allow_origin::AllowOrigin;
use crate::expose_headers::ExposeHeaders;
use crate::headers::*;
use crate::log_value::LogValue;
use crate::max_age::MaxAge;
use crate::request_headers::{HeaderListRefusal, RequestedHeaders};
use crate::vary::VaryNames;

const TRUE: HeaderValue = HeaderValue::from_static("true");
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

#[derive(Debug)]
pub(crate) struct CorsPolicy {
    pub(crate) origin: AllowOrigin,
    pub(crate) methods: AllowMethods,
    pub(crate) headers: AllowHeaders,
    pub(crate) expose: ExposeHeaders,
    pub(crate) credentials: bool,
    pub(crate) max_age: MaxAge,
    pub(crate) private_network: bool,
    pub(crate) preflight_status: StatusCode,
    pub(crate) passthrough: bool,
    pub(crate) block_disallowed: bool,
    pub(crate) diagnostic_preflights: bool,
    pub(crate) trust_forwarded_headers: bool,
}

/// What kind of request this is, as far as CORS is concerned.
pub(crate) enum RequestKind<'a> {
    /// No `Origin`: not a cross-origin browser request.
    NoOrigin,
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight {
        origin: Origin<'a>,
        method: &'a HeaderValue,
    },
    /// Anything else that carries an `Origin`.
    Actual { origin: Origin<'a> },
}

/// A request's `Origin` value, and whether it is the only one. Two `Origin`
/// headers are not something a browser sends; which one would a cache or
/// proxy believe? Such a request is granted nothing and is never same-origin.
#[derive(Clone, Copy)]
pub(crate) struct Origin<'a> {
    value: &'a HeaderValue,
    single: bool,
}

impl<'a> Origin<'a> {
    /// The first `Origin` value, when the request has one.
    fn of(headers: &'a HeaderMap) -> Option<Self> {
        let mut values = headers.get_all(ORIGIN);
        let value = values.next()?;
        Some(Self {
            value,
            single: values.next().is_none(),
        })
    }

    pub(crate) fn is_single(self) -> bool {
        self.single
    }
}

impl std::ops::Deref for Origin<'_> {
    type Target = HeaderValue;

    fn deref(&self) -> &HeaderValue {
        self.value
    }
}

impl<'a> RequestKind<'a> {
    pub(crate) fn of(head: &'a RequestHead) -> Self {
        let Some(origin) = Origin::of(&head.headers) else {
            return Self::NoOrigin;
        };
        if head.method == Method::OPTIONS {
            if let Some(method) = head.headers.get(ACCESS_CONTROL_REQUEST_METHOD) {
                return Self::Preflight { origin, method };
            }
        }
        Self::Actual { origin }
    }
}

/// Why a preflight was refused; the text is the refusal's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Origin,
    Method(MethodRefusal),
    Headers(HeaderListRefusal),
}

impl Refusal {
    pub(crate) fn body(self) -> &'static str {
        match self {
            Self::Origin => "CORS preflight refused: origin not allowed",
            Self::Method(MethodRefusal::NotAllowed) => "CORS preflight refused: method not allowed",
            Self::Method(MethodRefusal::Malformed) => {
                "CORS preflight refused: method not allowed (malformed Access-Control-Request-Method)"
            }
            Self::Headers(HeaderListRefusal::NotAllowed) => {
                "CORS preflight refused: request header not allowed"
            }
            Self::Headers(HeaderListRefusal::Malformed) => {
                "CORS preflight refused: request header not allowed (malformed Access-Control-Request-Headers)"
            }
            Self::Headers(HeaderListRefusal::TooLong) => {
                "CORS preflight refused: request header not allowed (too many Access-Control-Request-Headers)"
            }
        }
    }
}

/// The headers an allowed preflight gets that depend on the request.
#[derive(Debug, Clone)]
pub(crate) struct PreflightGrant {
    allow_origin: HeaderValue,
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    private_network: bool,
    /// A diagnostic answer (see [`PreflightVerdict::Diagnosed`]): not to be
    /// cached by the browser.
    diagnostic: bool,
}

/// What a policy decides for a preflight.
#[derive(Debug, Clone)]
pub(crate) enum PreflightVerdict {
    /// Everything asked for is allowed.
    Allowed(PreflightGrant),
    /// The origin is allowed, the method or a header is not. Answered with
    /// the origin's grant and the lists of what is allowed, so that the
    /// browser refuses the request itself and its console says the method
    /// or header is the problem (a 403 without a grant only ever reads that
    /// no `Access-Control-Allow-Origin` header came back).
    Diagnosed(PreflightGrant, Refusal),
    /// Answered 403 without any grant: the origin is not allowed, or
    /// diagnostic answers are off.
    Refused(Refusal),
}

impl PreflightVerdict {
    /// The headers the answer carries, allowed or diagnostic.
    pub(crate) fn grant(self) -> Option<PreflightGrant> {
        match self {
            Self::Allowed(grant) | Self::Diagnosed(grant, _) => Some(grant),
            Self::Refused(_) => None,
        }
    }

    /// Why the preflight was refused, if it was.
    pub(crate) fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Allowed(_) => None,
            Self::Diagnosed(_, refusal) | Self::Refused(refusal) => Some(*refusal),
        }
    }
}

impl CorsPolicy {
    /// The `Access-Control-Allow-Origin` value for the request's origin, or
    /// `None` when it is not allowed.
    pub(crate) fn grant_origin(
        &self,
        origin: Origin<'_>,
        head: &RequestHead,
    ) -> Option<HeaderValue> {
        if !origin.is_single() {
            return None;
        }
        self.origin.grant(&origin, head)
    }

    /// Whether an [`OriginLookup`](crate::OriginLookup) decides some of
    /// this policy's origins.
    #[cfg(feature = "async-origins")]
    #[inline]
    pub(crate) fn looks_up_origins(&self) -> bool {
        self.origin.matcher().is_some_and(|m| m.looks_up())
    }

    /// The origin lookup a request from `origin` must wait for before this
    /// policy can decide it (see [`crate::OriginLookup`]).
    #[cfg(feature = "async-origins")]
    #[inline]
    pub(crate) fn pending_lookup(
        &self,
        origin: Origin<'_>,
        head: &RequestHead,
    ) -> Option<crate::origin_lookup::Pending> {
        let matcher = self.origin.matcher()?;
        if !matcher.looks_up() || !origin.is_single() {
            return None;
        }
        matcher.pending_lookup(&origin, head)
    }

    /// Judges a preflight in full: origin, then method, then every header.
    pub(crate) fn judge_preflight(
        &self,
        origin: Origin<'_>,
        method: &HeaderValue,
        head: &RequestHead,
    ) -> PreflightVerdict {
        let verdict = self.judge_preflight_parts(origin, method, head);
        match &verdict {
            PreflightVerdict::Allowed(grant) => log::debug!(
                "CORS preflight allowed: origin {} method {}{}",
                LogValue(origin.as_bytes()),
                LogValue(method.as_bytes()),
                if !grant.private_network && asks_private_network(head) {
                    "; it asks for private network access (Access-Control-Request-Private-\
                     Network), which this policy does not allow: Chromium refuses the request \
                     unless the policy sets allow_private_network(true)"
                } else {
                    ""
                }
            ),
            PreflightVerdict::Diagnosed(_, refusal) | PreflightVerdict::Refused(refusal) => {
                log::debug!(
                    "CORS preflight refused ({:?}): origin {} method {} headers {}{}",
                    refusal,
                    LogValue(origin.as_bytes()),
                    LogValue(method.as_bytes()),
                    LogValue(
                        head.headers
                            .get(ACCESS_CONTROL_REQUEST_HEADERS)
                            .map_or(&b""[..], |v| v.as_bytes())
                    ),
                    if matches!(verdict, PreflightVerdict::Diagnosed(..)) {
                        "; answered 200 with the origin's grant and the allowed methods and \
                         headers, so that the browser names the cause"
                    } else {
                        ""
                    }
                )
            }
        }
        verdict
    }

    fn judge_preflight_parts(
        &self,
        origin: Origin<'_>,
        method: &HeaderValue,
        head: &RequestHead,
    ) -> PreflightVerdict {
        let Some(allow_origin) = self.grant_origin(origin, head) else {
            return PreflightVerdict::Refused(Refusal::Origin);
        };
        let checked = self
            .methods
            .grant(method, self.credentials)
            .map_err(Refusal::Method)
            .and_then(|allow_methods| {
                if let Some(allow_headers) = self.headers.grant_sorted(&head.headers) {
                    return Ok((allow_methods, allow_headers));
                }
                let requested = RequestedHeaders::read(&head.headers).map_err(Refusal::Headers)?;
                let allow_headers = self
                    .headers
                    .grant(&requested, self.credentials)
                    .map_err(Refusal::Headers)?;
                Ok((allow_methods, allow_headers))
            });
        match checked {
            Ok((allow_methods, allow_headers)) => {
                let private_network = self.private_network && asks_private_network(head);
                PreflightVerdict::Allowed(PreflightGrant {
                    allow_origin,
                    allow_methods: Some(allow_methods),
                    allow_headers,
                    private_network,
                    diagnostic: false,
                })
            }
            // A diagnostic answer lists only names, never `*`, and no header
            // list for a list refused as too long or malformed (all its names
            // may be allowed): whatever it lists, the browser must still
            // refuse the request.
            Err(refusal) if self.diagnostic_preflights => PreflightVerdict::Diagnosed(
                PreflightGrant {
                    allow_origin,
                    allow_methods: self.methods.listed(),
                    allow_headers: match refusal {
                        Refusal::Headers(
                            HeaderListRefusal::TooLong | HeaderListRefusal::Malformed,
                        ) => None,
                        _ => self.headers.listed(),
                    },
                    private_network: false,
                    diagnostic: true,
                },
                refusal,
            ),
            Err(refusal) => PreflightVerdict::Refused(refusal),
        }
    }

    /// What actual responses vary by: the origin, and the forwarded headers
    /// when they decide which requests are same-origin and so not blocked.
    fn actual_vary(&self) -> VaryNames {
        if self.trust_forwarded_headers && self.block_disallowed {
            VaryNames::ACTUAL_FORWARDED
        } else {
            VaryNames::ACTUAL
        }
    }

    fn preflight_vary(&self) -> VaryNames {
        if self.private_network {
            VaryNames::PREFLIGHT_PRIVATE_NETWORK
        } else {
            VaryNames::PREFLIGHT
        }
    }

    /// The complete answer to a preflight the middleware handles itself.
    pub(crate) fn preflight_response(&self, verdict: PreflightVerdict) -> HttpResponse {
        match verdict {
            PreflightVerdict::Allowed(grant) => {
                // Built with its boxed empty body: no second move to box it.
                let mut res = HttpResponse::new(self.preflight_status);
                let headers = res.headers_mut();
                self.write_preflight_grant(grant, headers);
                self.preflight_vary().set_on_new(headers);
                res
            }
            PreflightVerdict::Diagnosed(grant, refusal) => {
                // 200, not `preflight_status`: a 204 cannot carry the body.
                let mut res =
                    HttpResponse::with_body(StatusCode::OK, refusal.body()).map_into_boxed_body();
                let headers = res.headers_mut();
                write_absent(headers, CONTENT_TYPE, TEXT_PLAIN);
                self.write_preflight_grant(grant, headers);
                self.preflight_vary().set_on_new(headers);
                res
            }
            PreflightVerdict::Refused(refusal) => {
                let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, refusal.body())
                    .map_into_boxed_body();
                let headers = res.headers_mut();
                write_absent(headers, CONTENT_TYPE, TEXT_PLAIN);
                self.preflight_vary().set_on_new(headers);
                res
            }
        }
    }

    /// Writes a preflight's CORS headers over whatever the response has, or
    /// only `Vary` when the preflight was refused (passthrough).
    pub(crate) fn write_preflight(&self, grant: Option<PreflightGrant>, headers: &mut HeaderMap) {
        let has_vary = clear_cors_headers(headers);
        if let Some(grant) = grant {
            self.write_preflight_grant(grant, headers);
        }
        self.preflight_vary().add_to(headers, has_vary);
    }

    /// Writes an allowed preflight's headers, `Vary` aside.
    fn write_preflight_grant(&self, grant: PreflightGrant, headers: &mut HeaderMap) {
        write_absent(headers, ACCESS_CONTROL_ALLOW_ORIGIN, grant.allow_origin);
        if self.credentials {
            write_absent(headers, ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if let Some(allow_methods) = grant.allow_methods {
            write_absent(headers, ACCESS_CONTROL_ALLOW_METHODS, allow_methods);
        }
        if let Some(allow_headers) = grant.allow_headers {
            write_absent(headers, ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
        }
        // A diagnostic answer is not to be cached.
        if !grant.diagnostic {
            self.max_age.apply(headers);
        }
        if grant.private_network {
            write_absent(headers, ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, TRUE);
        }
    }

    /// The `Access-Control-Allow-Origin` an actual response gets for `grant`
    /// (see [`write_actual`](Self::write_actual)).
    pub(crate) fn actual_allow_origin(&self, grant: Option<&HeaderValue>) -> Option<HeaderValue> {
        if self.origin.is_any() {
            Some(ANY)
        } else {
            grant.cloned()
        }
    }

    /// Writes an actual response's CORS headers over whatever the handler
    /// set. `grant` is the `Access-Control-Allow-Origin` value, or `None` for
    /// a request that gets no CORS grant.
    pub(crate) fn write_actual(&self, grant: Option<HeaderValue>, headers: &mut HeaderMap) {
        let has_vary = clear_cors_headers(headers);
        let grant = if self.origin.is_any() {
            // The literal `*` is the same answer for everyone, with or
            // without `Origin`; nothing to vary on.
            Some(ANY)
        } else {
            self.actual_vary().add_to(headers, has_vary);
            grant
        };
        if let Some(allow_origin) = grant {
            write_absent(headers, ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
            if self.credentials {
                write_absent(headers, ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            self.expose.apply(headers, self.credentials);
        }
    }

    /// Writes an actual response's headers for an origin the policy refuses:
    /// none of the handler's CORS headers, and `Vary: Origin`, whatever the
    /// policy (an any-origin policy's `*` included).
    pub(crate) fn write_refused(&self, headers: &mut HeaderMap) {
        let has_vary = clear_cors_headers(headers);
        self.actual_vary().add_to(headers, has_vary);
    }

    /// The answer to an actual request from a disallowed origin when
    /// `block_disallowed` is on: the handler does not run.
    pub(crate) fn blocked_response(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(
            StatusCode::FORBIDDEN,
            "CORS request refused: origin not allowed",
        )
        .map_into_boxed_body();
        write_absent(res.headers_mut(), CONTENT_TYPE, TEXT_PLAIN);
        self.actual_vary().set_on_new(res.headers_mut());
        res
    }
}

/// Whether a preflight asks for private network access.
fn asks_private_network(head: &RequestHead) -> bool {
    head.headers
        .get(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK)
        .is_some_and(|v| v.as_bytes() == b"true")
}

/// The answer to a preflight whose policy cannot be known before routing
/// (see `resolve`): refused, whatever the origin, so no policy's grant is
/// given for a request that may reach another policy's handler.
pub(crate) fn unknown_route_response() -> HttpResponse {
    let mut res = HttpResponse::with_body(
        StatusCode::FORBIDDEN,
        "CORS preflight refused: the route this request will take is ambiguous",
    )
    .map_into_boxed_body();
    let headers = res.headers_mut();
    write_absent(headers, CONTENT_TYPE, TEXT_PLAIN);
    VaryNames::PREFLIGHT.set_on_new(headers);
    res
}
