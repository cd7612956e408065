//! [`Cors::explain`]: what a policy decides for a request, and why, in words
//! a developer can compare with what the browser's console says.
//!
//! The explanation runs the policy's own checks (the same functions the
//! middleware calls) and builds the same headers; it does not imitate them.

use std::fmt;

use actix_web::dev::RequestHead;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;

use crate::allow_methods::MethodRefusal;
use crate::allow_origin::OriginMiss;
use crate::headers::ACCESS_CONTROL_REQUEST_HEADERS;
use crate::policy::{CorsPolicy, Origin, PreflightVerdict, Refusal, RequestKind};
use crate::request_headers::{HeaderListRefusal, RequestedHeaders};
use crate::resolve::{self, Judge};
use crate::Cors;
use cors_actix_core::RequestOrigin;

/// What a policy decides for one request: see [`Cors::explain`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Explanation {
    /// What the request is, as far as CORS is concerned.
    pub request: ExplainedRequest,
    /// Whether the policy grants it: its answer may be read by the page
    /// (actual requests) or the actual request may be sent (preflights).
    /// `false` for a request without `Origin`, which is not a CORS request.
    pub allowed: bool,
    /// Each check the policy made, in order, until one failed.
    pub checks: Vec<Check>,
    /// The status the middleware answers with itself (preflights, blocked
    /// requests); `None` when the app's handler answers.
    pub status: Option<StatusCode>,
    /// The CORS headers of the answer (on the handler's response, when the
    /// handler answers), in the order they are written.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// What the browser does with that answer.
    pub browser: &'static str,
}

/// What a request is, as far as CORS is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExplainedRequest {
    /// No `Origin`: not a cross-origin browser request.
    NoOrigin {
        /// The request's method.
        method: String,
    },
    /// A request with an `Origin` that is not a preflight.
    Actual {
        /// The request's method.
        method: String,
        /// The request's `Origin`.
        origin: String,
    },
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight {
        /// The request's `Origin`.
        origin: String,
        /// The method the actual request will use.
        method: String,
        /// The request headers the actual request will send, as asked for.
        headers: String,
    },
}

/// One check of a policy and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Check {
    /// What was checked: "origin https://app.example.com", "method PUT",
    /// "request headers x-token".
    pub subject: String,
    /// Whether the policy allows it.
    pub passed: bool,
    /// Why: the rule that allowed it, or what is allowed instead.
    pub reason: String,
}

impl Cors {
    /// What this policy decides for a request, and why, without running
    /// anything: the kind of request, each check with the rule that
    /// decided it (which origin pattern matched, or why none did; the
    /// method and header verdicts), the status when the middleware answers
    /// itself, the CORS headers it sends, and what the browser then does.
    /// `Display` gives it as one paragraph.
    ///
    /// This is the policy alone: in an app, which policy judges a request
    /// (a `#[cors]` route's, a scope's) is the README's "Precedence".
    /// Same-origin requests, which `block_disallowed` never blocks, are told
    /// apart by the middleware from the connection, which a `RequestHead`
    /// does not carry; the explanation says so where it matters.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use cors_actix::Cors;
    ///
    /// let cors = Cors::builder()
    ///     .allow_origin("https://app.example.com")
    ///     .allow_methods(["GET", "POST", "DELETE"])
    ///     .build()
    ///     .unwrap();
    /// let preflight = TestRequest::default()
    ///     .method(actix_web::http::Method::OPTIONS)
    ///     .insert_header(("Origin", "https://app.example.com"))
    ///     .insert_header(("Access-Control-Request-Method", "PUT"))
    ///     .to_http_request();
    /// let explained = cors.explain(preflight.head());
    /// assert!(!explained.allowed);
    /// assert_eq!(explained.checks[1].subject, "method PUT");
    /// assert!(explained.to_string().contains("method PUT: not allowed"));
    /// ```
    pub fn explain(&self, head: &RequestHead) -> Explanation {
        let policy = self.policy();
        match RequestKind::of(head) {
            RequestKind::NoOrigin => {
                let mut headers = HeaderMap::new();
                policy.write_actual(None, &mut headers);
                Explanation {
                    request: ExplainedRequest::NoOrigin {
                        method: head.method.to_string(),
                    },
                    allowed: false,
                    checks: Vec::new(),
                    status: None,
                    headers: listed(&headers),
                    browser: "nothing to check: a request without Origin is same-origin or not \
                              from a browser page",
                }
            }
            RequestKind::Actual { origin } => explain_actual(policy, head, origin),
            RequestKind::Preflight { origin, method } => {
                explain_preflight(policy, head, origin, method)
            }
        }
    }
}

impl Cors {
    /// [`explain`](Self::explain) with the policy that judges the request
    /// in an app wrapped by this policy: a `#[cors]` route's or a
    /// [`Cors::scope`]'s when the request's path and method reach one (found
    /// as the middleware finds it, through `req`'s resource map), else this
    /// one. `req` is any request routed in that app (the one asking for the
    /// explanation, in a diagnostics endpoint); `head` is the request
    /// explained.
    ///
    /// ```
    /// use actix_web::{test, web, App, HttpRequest, HttpResponse};
    /// use cors_actix::Cors;
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let global = Cors::builder().allow_origin("https://app.example.com").build().unwrap();
    /// let partner = Cors::builder().allow_origin("https://partner.example").build().unwrap();
    /// let explain = |req: HttpRequest, cors: web::Data<Cors>| async move {
    ///     let asked = test::TestRequest::get()
    ///         .uri("/partner/orders")
    ///         .insert_header(("Origin", "https://partner.example"))
    ///         .to_http_request();
    ///     HttpResponse::Ok().body(cors.explain_in_app(&req, asked.head()).to_string())
    /// };
    /// let app = test::init_service(
    ///     App::new()
    ///         .app_data(web::Data::new(global.clone()))
    ///         .wrap(global)
    ///         .route("/explain", web::get().to(explain))
    ///         .service(partner.scope("/partner", |s| s.route("/orders", web::get().to(HttpResponse::Ok)))),
    /// )
    /// .await;
    /// let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/explain").to_request()).await;
    /// assert!(std::str::from_utf8(&body).unwrap().starts_with("GET from https://partner.example: allowed."));
    /// # });
    /// ```
    pub fn explain_in_app(&self, req: &actix_web::HttpRequest, head: &RequestHead) -> Explanation {
        let method = match RequestKind::of(head) {
            RequestKind::Preflight { method, .. } => method.as_bytes(),
            _ => head.method.as_str().as_bytes(),
        };
        // The path as actix's router reads it (percent-escapes decoded), which
        // the middleware judges by; not the raw one.
        let url = actix_web::dev::Url::new(head.uri.clone());
        match resolve::judge_path(req, url.path(), method) {
            Judge::Own => self.explain(head),
            Judge::Registered(cors) => cors.explain(head),
            Judge::Unknown => {
                let mut explained = self.explain(head);
                let preflight = matches!(explained.request, ExplainedRequest::Preflight { .. });
                explained.checks.push(Check {
                    subject: format!("route of {}", head.uri.path()),
                    passed: false,
                    reason: "ambiguous: a route with its own CORS policy and another route \
                             both match, and only routing the request tells which takes it (the \
                             README's Precedence)"
                        .to_owned(),
                });
                if preflight {
                    let res = crate::policy::unknown_route_response();
                    explained.allowed = false;
                    explained.status = Some(res.status());
                    explained.headers = listed(res.headers());
                    explained.browser = "the browser does not send the actual request";
                } else {
                    explained.browser = "the headers are those of this policy or of the route's \
                                         own, whichever route actix picks";
                }
                explained
            }
        }
    }
}

fn explain_actual(policy: &CorsPolicy, head: &RequestHead, origin: Origin<'_>) -> Explanation {
    let request = ExplainedRequest::Actual {
        method: head.method.to_string(),
        origin: text(&origin),
    };
    let check = origin_check(policy, head, origin);
    let mut headers = HeaderMap::new();
    if check.passed {
        policy.write_actual(policy.grant_origin(origin, head), &mut headers);
        return Explanation {
            request,
            allowed: true,
            checks: vec![check],
            status: None,
            headers: listed(&headers),
            browser: if policy.origin.is_any() {
                "the page reads the answer, unless it was sent with credentials: browsers \
                 refuse the literal * for those"
            } else {
                "the page reads the answer"
            },
        };
    }
    if policy.block_disallowed {
        let res = policy.blocked_response();
        return Explanation {
            request,
            allowed: false,
            checks: vec![check],
            status: Some(res.status()),
            headers: listed(res.headers()),
            browser: "the handler does not run (block_disallowed; a same-origin request would \
                      not be blocked); the page cannot read the 403",
        };
    }
    policy.write_refused(&mut headers);
    Explanation {
        request,
        allowed: false,
        checks: vec![check],
        status: None,
        headers: listed(&headers),
        browser: "the handler runs, and the browser blocks the page from reading the answer \
                  (no Access-Control-Allow-Origin)",
    }
}

fn explain_preflight(
    policy: &CorsPolicy,
    head: &RequestHead,
    origin: Origin<'_>,
    method: &HeaderValue,
) -> Explanation {
    let requested = head
        .headers
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .map(text)
        .collect::<Vec<_>>()
        .join(",");
    let request = ExplainedRequest::Preflight {
        origin: text(&origin),
        method: text(method),
        headers: requested.clone(),
    };
    let verdict = policy.judge_preflight(origin, method, head);
    let mut checks = vec![origin_check(policy, head, origin)];
    match verdict.refusal() {
        Some(Refusal::Origin) => {}
        Some(Refusal::Method(refusal)) => checks.push(method_check(policy, method, Some(refusal))),
        refusal => {
            checks.push(method_check(policy, method, None));
            checks.push(headers_check(policy, head, &requested, refusal));
        }
    }
    let allowed = verdict.refusal().is_none();
    let browser = match &verdict {
        PreflightVerdict::Allowed(_) => "the browser sends the actual request",
        PreflightVerdict::Diagnosed(_, Refusal::Method(_)) => {
            "the browser does not send the actual request; its console says the method is \
             not allowed (Chromium names it: \"Method ... is not allowed by \
             Access-Control-Allow-Methods in preflight response\"; Firefox: \"Did not find \
             method in CORS header 'Access-Control-Allow-Methods'\")"
        }
        PreflightVerdict::Diagnosed(..) => {
            "the browser does not send the actual request; its console names the header \
             (Chromium: \"Request header field ... is not allowed by Access-Control-Allow-Headers \
             in preflight response\"; Firefox: \"header '...' is not allowed according to header \
             'Access-Control-Allow-Headers'\")"
        }
        PreflightVerdict::Refused(_) => {
            "the browser does not send the actual request; its console says no \
             Access-Control-Allow-Origin header came back (Chromium: \"No \
             'Access-Control-Allow-Origin' header is present on the requested resource\"; \
             Firefox: \"'Access-Control-Allow-Origin' missing). Status code: 403\")"
        }
    };
    if policy.passthrough {
        let mut headers = HeaderMap::new();
        policy.write_preflight(verdict.grant(), &mut headers);
        return Explanation {
            request,
            allowed,
            checks,
            status: None,
            headers: listed(&headers),
            browser,
        };
    }
    let res = policy.preflight_response(verdict);
    Explanation {
        request,
        allowed,
        checks,
        status: Some(res.status()),
        headers: listed(res.headers()),
        browser,
    }
}

fn origin_check(policy: &CorsPolicy, head: &RequestHead, origin: Origin<'_>) -> Check {
    let subject = format!("origin {}", text(&origin));
    let (passed, reason) = if !origin.is_single() {
        (
            false,
            "the request has two Origin headers, which no browser sends".to_owned(),
        )
    } else {
        match policy.origin.matcher() {
            None => (true, "the policy allows any origin (*)".to_owned()),
            Some(matcher) => match matcher.rule(&origin, head) {
                Ok(rule) => (true, format!("allowed by {rule}")),
                // The matcher may turn an origin away before checking its
                // form; say which it is.
                Err(OriginMiss::NoRule)
                    if origin
                        .to_str()
                        .ok()
                        .and_then(RequestOrigin::parse)
                        .is_none() =>
                {
                    (false, OriginMiss::NotCanonical.to_string())
                }
                Err(miss) => (false, miss.to_string()),
            },
        }
    };
    Check {
        subject,
        passed,
        reason,
    }
}

fn method_check(
    policy: &CorsPolicy,
    method: &HeaderValue,
    refusal: Option<MethodRefusal>,
) -> Check {
    let listed = policy
        .methods
        .listed()
        .map_or_else(|| "any method".to_owned(), |value| text(&value));
    let method = text(method);
    let reason = match refusal {
        None if policy.methods.lists(&method) => format!("listed ({listed})"),
        None => format!(
            "a CORS-safelisted method, which browsers never refuse for its method (listed: \
             {listed})"
        ),
        Some(MethodRefusal::NotAllowed) => format!("not allowed (allowed: {listed})"),
        Some(MethodRefusal::Malformed) => format!(
            "not a valid method name (a token of at most {} bytes)",
            cors_actix_core::MAX_METHOD_LEN
        ),
    };
    Check {
        subject: format!("method {method}"),
        passed: refusal.is_none(),
        reason,
    }
}

fn headers_check(
    policy: &CorsPolicy,
    head: &RequestHead,
    requested: &str,
    refusal: Option<Refusal>,
) -> Check {
    let subject = if requested.is_empty() {
        "request headers (none asked for)".to_owned()
    } else {
        format!("request headers {requested}")
    };
    let allowed = if policy.headers.is_any() {
        "any header".to_owned()
    } else {
        policy
            .headers
            .listed()
            .map_or_else(|| "none".to_owned(), |value| text(&value))
    };
    let reason = match refusal {
        None if requested.is_empty() => "nothing to check".to_owned(),
        None => format!("all allowed (allowed: {allowed})"),
        Some(Refusal::Headers(HeaderListRefusal::NotAllowed)) => {
            let name = RequestedHeaders::read(&head.headers)
                .ok()
                .and_then(|requested| policy.headers.first_refused(&requested))
                .map(escaped)
                .unwrap_or_default();
            format!("{name} is not allowed (allowed: {allowed})")
        }
        Some(Refusal::Headers(HeaderListRefusal::Malformed)) => {
            "an element of the list is not a header name".to_owned()
        }
        Some(Refusal::Headers(HeaderListRefusal::TooLong)) => format!(
            "more than {} names or {} bytes",
            crate::MAX_REQUESTED_HEADERS,
            crate::MAX_REQUEST_HEADERS_LEN
        ),
        Some(_) => String::new(),
    };
    Check {
        subject,
        passed: refusal.is_none(),
        reason,
    }
}

/// A header value as text for a person: printable ASCII as is, other bytes
/// escaped as `\xNN` (a request value may hold anything).
fn text(value: &HeaderValue) -> String {
    escaped(value.as_bytes())
}

fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        match byte {
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out
}

/// The headers in the order a reader expects (a header map has none of its
/// own): the CORS headers as the standard lists them, then the rest.
fn listed(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    const ORDER: [&str; 9] = [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-expose-headers",
        "access-control-max-age",
        "access-control-allow-private-network",
        "vary",
        "content-type",
    ];
    let rank = |name: &HeaderName| {
        ORDER
            .iter()
            .position(|known| name == known)
            .unwrap_or(ORDER.len())
    };
    let mut listed: Vec<_> = headers
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    listed.sort_by(|(a, _), (b, _)| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.as_str().cmp(b.as_str()))
    });
    listed
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.request {
            ExplainedRequest::NoOrigin { method } => write!(f, "{method} without Origin")?,
            ExplainedRequest::Actual { method, origin } => write!(f, "{method} from {origin}")?,
            ExplainedRequest::Preflight {
                origin,
                method,
                headers,
            } => {
                write!(f, "preflight from {origin} for {method}")?;
                if !headers.is_empty() {
                    write!(f, " with {headers}")?;
                }
            }
        }
        let verdict = match (&self.request, self.allowed) {
            (ExplainedRequest::NoOrigin { .. }, _) => "not a CORS request",
            (_, true) => "allowed",
            (_, false) => "refused",
        };
        write!(f, ": {verdict}.")?;
        for check in &self.checks {
            write!(f, " {}: {}.", check.subject, check.reason)?;
        }
        match self.status {
            Some(status) => write!(f, " Answered {}", status.as_u16())?,
            None => f.write_str(" The handler answers")?,
        }
        if self.headers.is_empty() {
            f.write_str(" with no CORS header")?;
        } else {
            f.write_str(" with ")?;
            for (i, (name, value)) in self.headers.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{name}: {}", text(value))?;
            }
        }
        write!(f, "; {}.", self.browser)
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::Method;
    use actix_web::test::TestRequest;

    use super::*;

    fn policy() -> crate::CorsBuilder {
        Cors::builder()
            .allow_origins(["https://app.example.com", "https://*.example.net"])
            .allow_methods(["GET", "POST", "DELETE"])
            .allow_headers(["content-type"])
            .allow_credentials(true)
            .max_age(std::time::Duration::from_secs(600))
    }

    fn preflight(origin: &str, method: &str, headers: Option<&str>) -> TestRequest {
        let req = TestRequest::default()
            .method(Method::OPTIONS)
            .insert_header(("Origin", origin))
            .insert_header(("Access-Control-Request-Method", method));
        match headers {
            Some(headers) => req.insert_header(("Access-Control-Request-Headers", headers)),
            None => req,
        }
    }

    fn explain(cors: &Cors, req: TestRequest) -> Explanation {
        cors.explain(req.to_http_request().head())
    }

    fn header<'a>(e: &'a Explanation, name: &str) -> Option<&'a str> {
        e.headers
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.to_str().ok())
    }

    #[test]
    fn an_allowed_preflight_lists_every_check_and_the_grant() {
        let cors = policy().build().unwrap();
        let e = explain(
            &cors,
            preflight("https://app.example.com", "DELETE", Some("content-type")),
        );
        assert!(e.allowed);
        assert_eq!(e.status, Some(StatusCode::NO_CONTENT));
        let checks: Vec<_> = e
            .checks
            .iter()
            .map(|c| (c.subject.as_str(), c.passed, c.reason.as_str()))
            .collect();
        assert_eq!(
            checks,
            [
                (
                    "origin https://app.example.com",
                    true,
                    "allowed by an exact allowed origin"
                ),
                ("method DELETE", true, "listed (GET, POST, DELETE)"),
                (
                    "request headers content-type",
                    true,
                    "all allowed (allowed: content-type)"
                ),
            ]
        );
        assert_eq!(header(&e, "access-control-max-age"), Some("600"));
        assert_eq!(
            e.to_string(),
            "preflight from https://app.example.com for DELETE with content-type: allowed. \
             origin https://app.example.com: allowed by an exact allowed origin. method DELETE: \
             listed (GET, POST, DELETE). request headers content-type: all allowed (allowed: \
             content-type). Answered 204 with access-control-allow-origin: \
             https://app.example.com, access-control-allow-credentials: true, \
             access-control-allow-methods: GET, POST, DELETE, access-control-allow-headers: \
             content-type, access-control-max-age: 600, vary: Origin, \
             Access-Control-Request-Method, Access-Control-Request-Headers; the browser sends \
             the actual request."
        );
    }

    #[test]
    fn a_refused_method_is_named_and_answered_so_the_browser_names_it() {
        let cors = policy().build().unwrap();
        let e = explain(&cors, preflight("https://app.example.com", "PUT", None));
        assert!(!e.allowed);
        assert_eq!(e.status, Some(StatusCode::OK));
        assert_eq!(e.checks.len(), 2);
        assert_eq!(e.checks[1].subject, "method PUT");
        assert!(!e.checks[1].passed);
        assert_eq!(
            e.checks[1].reason,
            "not allowed (allowed: GET, POST, DELETE)"
        );
        assert_eq!(
            header(&e, "access-control-allow-origin"),
            Some("https://app.example.com")
        );
        assert_eq!(header(&e, "access-control-max-age"), None);
        assert!(e.to_string().contains("the method is not allowed"));

        let strict = policy().diagnostic_preflights(false).build().unwrap();
        let e = explain(&strict, preflight("https://app.example.com", "PUT", None));
        assert_eq!(e.status, Some(StatusCode::FORBIDDEN));
        assert_eq!(header(&e, "access-control-allow-origin"), None);
        assert!(e
            .to_string()
            .contains("No 'Access-Control-Allow-Origin' header"));
    }

    #[test]
    fn a_refused_header_is_named() {
        let cors = policy().build().unwrap();
        let e = explain(
            &cors,
            preflight(
                "https://shop.example.net",
                "POST",
                Some("content-type,x-token"),
            ),
        );
        assert!(!e.allowed);
        assert_eq!(
            e.checks[0].reason,
            "allowed by the pattern https://*.example.net"
        );
        assert_eq!(e.checks[2].subject, "request headers content-type,x-token");
        assert_eq!(
            e.checks[2].reason,
            "x-token is not allowed (allowed: content-type)"
        );
        assert!(e.to_string().contains("its console names the header"));
    }

    #[test]
    fn a_refused_origin_says_why_no_rule_matched() {
        let cors = policy().build().unwrap();
        for (origin, why) in [
            ("https://evil.example", "no allowed origin, pattern"),
            ("null", "allowed only when \"null\" is listed"),
            (
                "https://APP.example.com",
                "not an origin in the form browsers send",
            ),
        ] {
            let e = explain(&cors, preflight(origin, "GET", None));
            assert!(!e.allowed, "{origin}");
            assert_eq!(e.status, Some(StatusCode::FORBIDDEN), "{origin}");
            assert_eq!(e.checks.len(), 1, "{origin}");
            assert!(
                e.checks[0].reason.contains(why),
                "{origin}: {}",
                e.checks[0].reason
            );
        }
    }

    #[test]
    fn safelisted_methods_pass_a_list_without_them() {
        let cors = Cors::builder()
            .allow_origin("https://app.example.com")
            .allow_methods(["DELETE"])
            .allow_headers(["x-token"])
            .build()
            .unwrap();
        let e = explain(
            &cors,
            preflight("https://app.example.com", "GET", Some("x-token")),
        );
        assert!(e.allowed, "{e}");
        assert!(e.checks[1].reason.starts_with("a CORS-safelisted method"));
        assert_eq!(header(&e, "access-control-allow-methods"), Some("DELETE"));
    }

    #[test]
    fn actual_requests_and_requests_without_origin() {
        let cors = policy().block_disallowed(true).build().unwrap();
        let get = |origin: Option<&str>| {
            let req = TestRequest::get();
            let req = match origin {
                Some(origin) => req.insert_header(("Origin", origin)),
                None => req,
            };
            explain(&cors, req)
        };
        let e = get(Some("https://a.example.net"));
        assert!(e.allowed);
        assert_eq!(e.status, None);
        assert_eq!(header(&e, "access-control-allow-credentials"), Some("true"));

        let e = get(Some("https://evil.example"));
        assert!(!e.allowed);
        assert_eq!(e.status, Some(StatusCode::FORBIDDEN));
        assert!(e.browser.contains("handler does not run"));

        let e = get(None);
        assert!(!e.allowed);
        assert!(e.checks.is_empty());
        assert_eq!(header(&e, "vary"), Some("Origin"));
        assert!(e
            .to_string()
            .starts_with("GET without Origin: not a CORS request."));
    }
}
