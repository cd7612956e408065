//! Run-time support for `#[cors]` routes. The macro's expansion calls into
//! this module (through `cors_actix::__private`) and carries no CORS logic of
//! its own.
//!
//! # How a route's policy wins over an enclosing middleware
//!
//! A `Cors` middleware wrapping the whole app sees every preflight before
//! routing, so it needs to know, without running any handler, whether the
//! route that would serve the actual request has its own policy. Each
//! `#[cors]` route therefore registers, next to its real resource, one
//! *marker* resource per method at `{route path}/{MARKER_SEGMENT}{METHOD}`.
//! Markers never match a request (their guard is always false); they only
//! appear in actix's `ResourceMap`, where scope prefixes are applied to them
//! exactly as to the route itself. On a preflight, the middleware asks the
//! map which resource the path `{request path}/{MARKER_SEGMENT}{requested
//! method}` belongs to. If the answer is a marker, it answers the preflight
//! with that route's policy, looked up by the marker's name.
//!
//! The map is matched with the same path string and the same patterns as the
//! router, so percent-encoding, case, `+` and `..` cannot tell the two apart.
//! Segments that match any text (`{tail}*`, `{p:.*}`) would also match the
//! markers' probe paths, so `#[cors]` routes register them without the
//! marker's first character (see `route_pattern`). What the map does not
//! know is guards and the router's first-come choice between overlapping
//! resources, and it sees the path before any inner middleware rewrites it;
//! the README lists these limits.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, RwLock};

use actix_web::dev::{AppService, HttpServiceFactory, ServiceRequest};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::Method;
use actix_web::{guard, FromRequest, Handler, HttpResponse, Resource, Responder};
use cors_actix_core::method::is_token;

use crate::headers::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use crate::Cors;

/// Marks a response whose CORS headers a `#[cors]` route's policy wrote, so
/// that enclosing middleware leaves them alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoutePolicyApplied;

/// The path segment that introduces a marker. Control characters cannot be
/// sent unescaped in a request path, so no ordinary resource is written to
/// match them.
const MARKER_SEGMENT: &str = "\u{1f}cors-actix-preflight\u{1f}";
const MARKER_NAME_PREFIX: &str = "\u{1f}cors-actix-preflight ";

static ANY_ROUTE_POLICY: AtomicBool = AtomicBool::new(false);
static ROUTE_POLICIES: LazyLock<RwLock<HashMap<String, &'static Cors>>> =
    LazyLock::new(Default::default);

fn register_route_policy(marker_name: String, policy: &'static Cors) {
    let mut map = ROUTE_POLICIES
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.insert(marker_name, policy);
    ANY_ROUTE_POLICY.store(true, Ordering::Release);
}

/// Set once a `Cors` middleware that is not a route's own is built: only
/// such middleware reads [`RoutePolicyApplied`]. It is built (when its app
/// starts, on the thread that will run it) before it sees any request.
static ANY_ENCLOSING_POLICY: AtomicBool = AtomicBool::new(false);

pub(crate) fn note_enclosing_policy() {
    ANY_ENCLOSING_POLICY.store(true, Ordering::Release);
}

/// Whether a `#[cors]` route's response may be inside middleware that must
/// leave it alone, so that it needs marking.
pub(crate) fn enclosing_policy_possible() -> bool {
    ANY_ENCLOSING_POLICY.load(Ordering::Acquire)
}

/// The policy of the `#[cors]` route that serves `method` at the request's
/// path, if there is one.
pub(crate) fn route_policy_for(req: &ServiceRequest, method: &[u8]) -> Option<&'static Cors> {
    if !ANY_ROUTE_POLICY.load(Ordering::Acquire) {
        return None; // no #[cors] route in this program: nothing to look up
    }
    let method = std::str::from_utf8(method).ok().filter(|m| is_token(m))?;
    let path = req.match_info().as_str();
    let name = with_probe(path, method, |probe| req.resource_map().match_name(probe))?;
    if !name.starts_with(MARKER_NAME_PREFIX) {
        return None;
    }
    let map = ROUTE_POLICIES
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(name).copied()
}

/// Calls `f` with the path `{path}/{MARKER_SEGMENT}{method}`, built on the
/// stack when it is short (nearly always): a preflight costs no allocation.
fn with_probe<R>(path: &str, method: &str, f: impl FnOnce(&str) -> R) -> R {
    const ON_STACK: usize = 256;
    let parts = [path, "/", MARKER_SEGMENT, method];
    let len = parts.iter().map(|part| part.len()).sum::<usize>();
    if len > ON_STACK {
        return f(&parts.concat());
    }
    let mut buf = [0u8; ON_STACK];
    let mut at = 0;
    for part in parts {
        buf[at..at + part.len()].copy_from_slice(part.as_bytes());
        at += part.len();
    }
    f(std::str::from_utf8(&buf[..len]).expect("whole strs joined are UTF-8"))
}

/// Matches the methods a `#[cors]` route is registered for, and the
/// preflights asking for them, so that the router hands a preflight to the
/// handler whose policy must judge it.
struct MethodsOrPreflight {
    methods: &'static [&'static str],
}

impl Guard for MethodsOrPreflight {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if self.methods.contains(&head.method.as_str()) {
            return true;
        }
        head.method == Method::OPTIONS
            && head.headers.contains_key(ORIGIN)
            && head
                .headers
                .get(ACCESS_CONTROL_REQUEST_METHOD)
                .is_some_and(|m| {
                    self.methods
                        .iter()
                        .any(|allowed| allowed.as_bytes() == m.as_bytes())
                })
    }
}

/// One `#[cors]` route, as the macro describes it.
#[doc(hidden)]
pub struct RouteRegistration {
    /// The handler's name (the resource name actix's own macros would use).
    pub name: &'static str,
    /// A unique key for this handler: its module path and name.
    pub key: &'static str,
    pub path: &'static str,
    pub methods: &'static [&'static str],
    pub policy: &'static LazyLock<Cors>,
}

impl RouteRegistration {
    pub fn register<F, Args>(self, config: &mut AppService, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let policy: &'static Cors = LazyLock::force(self.policy);
        let pattern = route_pattern(self.path);
        let resource = Resource::new(&*pattern)
            .name(self.name)
            .guard(MethodsOrPreflight {
                methods: self.methods,
            })
            .to(handler)
            .wrap(policy.route_level());
        HttpServiceFactory::register(resource, config);

        for method in self.methods {
            let marker_name = format!("{MARKER_NAME_PREFIX}{method} {}", self.key);
            register_route_policy(marker_name.clone(), policy);
            let marker = Resource::new(format!("{pattern}/{MARKER_SEGMENT}{method}"))
                .name(&marker_name)
                .guard(guard::fn_guard(|_| false))
                .to(HttpResponse::NotFound);
            HttpServiceFactory::register(marker, config);
        }
    }
}

/// The pattern a `#[cors]` route's resource and markers are registered with.
///
/// A segment that matches any text, `/` included, would also match the probe
/// paths of the markers registered after it (its own, and those of other
/// `#[cors]` handlers on the same path), so the middleware would not find
/// them. Such segments are registered to match the same text except the
/// control character U+001F that starts every marker segment (a request path
/// contains it only when sent as `%1F`; such a path then does not match the
/// route):
/// - a tail segment `{name}*` (which must end a pattern, so no marker could
///   follow it anyway) becomes `{name:[^\x1f]*}`;
/// - the custom segments `{name:.*}` and `{name:.+}` become
///   `{name:[^\x1f]*}` and `{name:[^\x1f]+}`.
///
/// Other custom regular expressions are kept as written.
fn route_pattern(path: &str) -> Cow<'_, str> {
    let mut pattern = Cow::Borrowed(path);
    for (any, instead) in [(":.*}", r":[^\x1f]*}"), (":.+}", r":[^\x1f]+}")] {
        if pattern.contains(any) {
            pattern = pattern.replace(any, instead).into();
        }
    }
    if let Some(rest) = pattern.strip_suffix("}*") {
        if let Some(open) = rest.rfind('{') {
            let name = &rest[open + 1..];
            // actix allows no custom regex on a tail segment; anything else
            // is not a tail and is kept as written.
            if !name.is_empty() && !name.contains([':', '{', '}']) {
                return format!(r"{}{{{name}:[^\x1f]*}}", &rest[..open]).into();
            }
        }
    }
    pattern
}

#[cfg(test)]
mod tests {
    use super::route_pattern;

    #[test]
    fn tail_segments_become_custom_segments() {
        assert_eq!(route_pattern("/files/{tail}*"), r"/files/{tail:[^\x1f]*}");
        assert_eq!(route_pattern("/raw{rest}*"), r"/raw{rest:[^\x1f]*}");
        assert_eq!(route_pattern("/a/{id}/{tail}*"), r"/a/{id}/{tail:[^\x1f]*}");
        assert_eq!(route_pattern("/files/{p:.*}"), r"/files/{p:[^\x1f]*}");
        assert_eq!(
            route_pattern("/f/{p:.+}/x/{q:.*}"),
            r"/f/{p:[^\x1f]+}/x/{q:[^\x1f]*}"
        );
        for kept in [
            "/files/{tail}",
            "/f/{p:[a-z.]*}",
            "/f/{p:\\.*}",
            "/x*",
            "/{a}/b",
            "",
            "/",
        ] {
            assert_eq!(route_pattern(kept), kept);
        }
    }
}
