//! Which policy judges a request: the one protocol between the CORS layers
//! of an app (`Cors` middleware on the app, a scope or a resource; scopes
//! registered with [`Cors::scope`]; `#[cors]` routes).
//!
//! # The rule
//!
//! A request is judged by the most specific *registered* policy on its route
//! (a `#[cors]` route, then the innermost [`Cors::scope`]), else by the
//! outermost plain `Cors` middleware around it. A preflight is judged by the
//! policy its actual request will get: same path, and the method it asks for.
//! When that cannot be known without running the request, the preflight is
//! refused and a debug line says why.
//!
//! # How a preflight finds its policy
//!
//! The first CORS layer a preflight meets answers it before routing (as it
//! must: middleware such as authentication would refuse a preflight, which
//! carries no credentials, and no handler may run for it). It asks actix's
//! own [`ResourceMap`], which matches paths with the router's patterns, in
//! the router's order, through the same scopes:
//!
//! - Every registered policy adds *claim* resources that match a *probe path*:
//!   the request path followed by [`PROBE`] and a method. A `#[cors]` route
//!   at pattern `P` claims `P{PROBE}{METHOD}` for each of its methods; a
//!   `Cors::scope` claims every probe path under its prefix, as its last
//!   resource, so the claims of `#[cors]` routes inside it come first. The
//!   probe contains an empty path segment, which no `{param}` or static
//!   segment of an ordinary resource can match, and the control character
//!   U+001F, which `#[cors]` routes' own catch-all segments exclude. The
//!   first resource matching the probe path is therefore the claim of the
//!   most specific registered policy for that path and method, unless an
//!   ordinary catch-all (`{tail}*`, `{p:.*}`) registered earlier covers it:
//!   then the actual request goes to that catch-all, and so does the answer.
//! - Every registered policy also adds an *identity* resource at its own
//!   pattern, registered before the route (or first in the scope), so the
//!   first resource matching the request path itself is known to be ours.
//!   If it is an ordinary resource instead, actix may send the actual request
//!   there (by its method guard) or on to the claiming route: only running
//!   the request would tell, so the preflight is refused.
//!
//! Both resources have a guard that is always false: the router never picks
//! them, and `url_for` and `match_name` are unchanged.
//!
//! # Why a process-wide table
//!
//! A claim resource is found by its name; the policy behind it must be found
//! from that name without a request extension, app data or handler (none is
//! reachable from a `ResourceMap` entry). So registered policies sit in a
//! process-wide, append-only table, one entry per policy (not per worker or
//! registration), and the claim's name carries the entry's index. Nothing
//! else is keyed by strings.
//!
//! [`ResourceMap`]: actix_web::dev::ResourceMap
//! [`Cors::scope`]: crate::Cors::scope

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use actix_web::guard;
use actix_web::{HttpRequest, HttpResponse, Resource};
use cors_actix_core::is_requested_method;

use crate::log_value::LogValue;
use crate::Cors;

/// What a probe path adds to the request path before the method: an empty
/// segment, then a control character that no request path contains
/// unescaped, then `/` (so that the claims of a route can sit in one scope
/// with this prefix, see [`claims`]).
pub(crate) const PROBE: &str = "//\u{1f}cors-actix\u{1f}/";

/// Resource names of this crate: this prefix, a kind ([`IDENTITY`] or
/// [`CLAIM`]) and a table index in decimal (`\u{1f}cors-actix:i12`). A
/// fixed-length prefix compares as two words, where a longer name cost a
/// call to `memcmp` on every preflight.
const NAME_PREFIX: [u8; 12] = *b"\x1fcors-actix:";
const IDENTITY: u8 = b'i';
const CLAIM: u8 = b'c';

/// The name of a resource of `kind` for table entry `index`.
fn resource_name(kind: u8, index: usize) -> String {
    let prefix = std::str::from_utf8(&NAME_PREFIX).expect("the prefix is ASCII");
    format!("{prefix}{}{index}", char::from(kind))
}

/// One registered policy at one place: a `#[cors]` route (its methods) or a
/// `Cors::scope` (every method).
struct Registration {
    cors: Cors,
    methods: Option<&'static [&'static str]>,
}

impl Registration {
    fn takes(&self, method: &[u8]) -> bool {
        self.methods
            .is_none_or(|methods| crate::allow_methods::lists_method(methods, method))
    }
}

static REGISTERED: RwLock<Vec<Registration>> = RwLock::new(Vec::new());
static ANY_REGISTERED: AtomicBool = AtomicBool::new(false);
/// Set once a registered policy that looks origins up exists.
#[cfg(feature = "async-origins")]
static LOOKUPS_REGISTERED: AtomicBool = AtomicBool::new(false);

/// Who judges a preflight.
pub(crate) enum Judge {
    /// The layer that asks: no registered policy claims the request.
    Own,
    /// A registered policy (a `#[cors]` route or a `Cors::scope`).
    Registered(Cors),
    /// Cannot be known before routing; the preflight is refused.
    Unknown,
}

/// What a resource found by a lookup is, by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    /// A registered policy's identity, by table index.
    Identity(usize),
    /// A registered policy's claim, by table index.
    Claim(usize),
    /// An ordinary resource, or nothing.
    Other,
}

impl Found {
    fn of(name: Option<&str>) -> Self {
        let Some((prefix, rest)) = name.and_then(|name| name.as_bytes().split_first_chunk()) else {
            return Self::Other;
        };
        let Some((&kind, digits)) = rest.split_first() else {
            return Self::Other;
        };
        if *prefix != NAME_PREFIX || digits.is_empty() {
            return Self::Other;
        }
        // Written by `resource_name`: decimal digits only.
        let index = digits.iter().try_fold(0usize, |n, &d| {
            let digit = usize::from(d.checked_sub(b'0').filter(|d| *d < 10)?);
            n.checked_mul(10)?.checked_add(digit)
        });
        match (kind, index) {
            (IDENTITY, Some(index)) => Self::Identity(index),
            (CLAIM, Some(index)) => Self::Claim(index),
            _ => Self::Other,
        }
    }
}

/// The policy that judges a request for `method` at the request's path, as
/// seen by a CORS layer that has not routed it further.
pub(crate) fn judge(req: &HttpRequest, method: &[u8]) -> Judge {
    judge_path(req, req.match_info().as_str(), method)
}

/// [`judge`] for a request for `method` at `path` in the app of `req`.
pub(crate) fn judge_path(req: &HttpRequest, path: &str, method: &[u8]) -> Judge {
    if !ANY_REGISTERED.load(Ordering::Acquire) {
        return Judge::Own; // nothing registered in this program
    }
    let judge = judge_path_unchecked(req, path, method);
    // The probe's marker (sent as `%1F`): a `Cors::scope`'s hidden resources
    // exclude it, its routes may not, so finding none of them says nothing
    // when they would have matched the same path without it (asked with
    // another byte in its place, on this rare path only). A `#[cors]` route
    // excludes it from its own pattern where its hidden resources do.
    if matches!(judge, Judge::Own)
        && path.contains('\u{1f}')
        && match judge_path_unchecked(req, &path.replace('\u{1f}', "_"), method) {
            Judge::Own => false,
            Judge::Registered(cors) => cors.placement() != crate::Placement::Route,
            Judge::Unknown => true,
        }
    {
        log::debug!(
            "CORS preflight refused: {} {}: the path holds U+001F (%1F), which the lookup of \
             registered CORS policies cannot follow",
            LogValue(method),
            LogValue(path.as_bytes()),
        );
        return Judge::Unknown;
    }
    judge
}

/// [`judge_path`] once some policy is registered, before the check for the
/// probe's marker in the path.
fn judge_path_unchecked(req: &HttpRequest, path: &str, method: &[u8]) -> Judge {
    let rmap = req.resource_map();
    let first = Found::of(rmap.match_name(path));
    let table = REGISTERED
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // The common case, one lookup: the first resource matching the path is
    // a `#[cors]` route that takes the method.
    if let Found::Identity(index) = first {
        if let Some(route) = table.get(index).filter(|r| r.methods.is_some()) {
            if route.takes(method) {
                return Judge::Registered(route.cors.clone());
            }
        }
    }
    // (A method the route takes is a token: checked only now.)
    if !is_requested_method(method) {
        // A malformed method is refused by whichever policy judges it.
        return Judge::Own;
    }
    // What the first resource matching the probe path is; for an ordinary
    // one (named or not), its full pattern.
    let probe = with_probe(path, method, |probe| {
        match Found::of(rmap.match_name(probe)) {
            Found::Other if rmap.has_resource(probe) => (Found::Other, rmap.match_pattern(probe)),
            found => (found, None),
        }
    });
    let index = match probe {
        (Found::Claim(index), _) => index,
        (Found::Identity(_), _) => {
            // A registered route whose own pattern matches any text, and
            // which does not take this method, hides what comes after it.
            log::debug!(
                "CORS preflight refused: {} {}: a route with its own CORS policy that matches \
                 any text hides the routes registered after it",
                LogValue(method),
                LogValue(path.as_bytes()),
            );
            return Judge::Unknown;
        }
        (Found::Other, None) => {
            // No registered policy claims the probe path. A registered scope
            // always does; a `#[cors]` route not taking the method lets the
            // request through to what comes after it, unclaimed.
            return match first {
                Found::Identity(index) if table.get(index).is_some_and(|r| r.methods.is_none()) => {
                    Judge::Unknown
                }
                _ => Judge::Own,
            };
        }
        (Found::Other, Some(catch_all)) => {
            // An ordinary resource matching any text takes the probe path: a
            // claim may hide behind it. Only when the request path reaches
            // an ordinary resource first, and another one than that
            // catch-all, does the actual request go there whatever is
            // behind (an app's fallback route registered last, say).
            if !matches!(first, Found::Identity(_))
                && rmap.match_pattern(path).as_deref() != Some(&*catch_all)
            {
                return Judge::Own;
            }
            // Nothing can hide behind it in an app without registered
            // policies (the table is the whole program's: another app may
            // have them).
            if !registered_in_app(req, table.len()) {
                return Judge::Own;
            }
            log::debug!(
                "CORS preflight refused: {} {}: the ordinary catch-all route {} may take it, \
                 or a route with its own CORS policy registered after it; actix chooses \
                 between them by guards, which only running the request would evaluate. \
                 Register catch-all routes last",
                LogValue(method),
                LogValue(path.as_bytes()),
                catch_all,
            );
            return Judge::Unknown;
        }
    };
    if !matches!(first, Found::Identity(_)) {
        log::debug!(
            "CORS preflight refused: {} {} may be routed to {} (registered before the route \
             with its own CORS policy, which also matches); actix chooses between them by \
             guards, which only running the request would evaluate. Register the route with \
             its own policy first, or give the other one a policy too",
            LogValue(method),
            LogValue(path.as_bytes()),
            rmap.match_pattern(path).map_or_else(
                || "a scope's default service".to_owned(),
                |p| format!("{p:?}")
            )
        );
        return Judge::Unknown;
    }
    table
        .get(index)
        .map_or(Judge::Unknown, |r| Judge::Registered(r.cors.clone()))
}

/// Whether the app of `req` holds a registered policy: an identity resource
/// of one of the `count` table entries, found by name (`url_for` tells a
/// name the app lacks from one whose pattern wants elements, without
/// allocating for the former). Only asked on the rare path where the answer
/// changes a refusal into a decision.
///
/// `url_for` builds the whole URL of a name it finds, host included, from the
/// connection info of the request it is given. This request's host is the
/// client's (`Host`, or `Forwarded`/`X-Forwarded-Host`, which actix reads
/// for it), and parsing it as a URL decodes punycode, quadratic in a label's
/// length: a request of our own, with a fixed host, asks instead.
fn registered_in_app(req: &HttpRequest, count: usize) -> bool {
    thread_local! {
        static ASKING: HttpRequest = actix_web::test::TestRequest::default().to_http_request();
    }
    ASKING.with(|asking| {
        (0..count).any(|index| {
            !matches!(
                req.resource_map()
                    .url_for(asking, &resource_name(IDENTITY, index), [""; 0]),
                Err(actix_web::error::UrlGenerationError::ResourceNotFound)
            )
        })
    })
}

/// The policy that judges a preflight the router handed to the `#[cors]`
/// route whose policy is `own`: the router chose the route for the method
/// asked for, guards and all; what is left to confirm is that the actual
/// request will not be taken by a resource registered before the route,
/// which the router skipped for the preflight's `OPTIONS`.
pub(crate) fn judge_routed(req: &HttpRequest, method: &[u8], own: &Cors) -> Judge {
    match judge(req, method) {
        Judge::Registered(cors) if cors.same_policy(own) => Judge::Own,
        _ => Judge::Unknown,
    }
}

/// Whether any registered policy exists in this program.
pub(crate) fn any_registered() -> bool {
    ANY_REGISTERED.load(Ordering::Acquire)
}

/// Whether a registered policy that looks origins up exists in this program.
#[cfg(feature = "async-origins")]
pub(crate) fn lookups_registered() -> bool {
    LOOKUPS_REGISTERED.load(Ordering::Acquire)
}

/// The table index of `cors` registered with `methods` (`None`: a scope),
/// added on first use. Registration runs once per worker; the entry is the
/// same for all of them.
fn index_of(cors: &Cors, methods: Option<&'static [&'static str]>) -> usize {
    let mut table = REGISTERED
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let same = |r: &Registration| {
        r.cors.same_policy(cors)
            && match (r.methods, methods) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
                _ => false,
            }
    };
    if let Some(index) = table.iter().position(same) {
        return index;
    }
    table.push(Registration {
        cors: cors.clone(),
        methods,
    });
    #[cfg(feature = "async-origins")]
    if cors.policy().looks_up_origins() {
        LOOKUPS_REGISTERED.store(true, Ordering::Release);
    }
    ANY_REGISTERED.store(true, Ordering::Release);
    table.len() - 1
}

/// The identity resource of `cors` registered at `patterns` with `methods`
/// (`None`: a scope).
pub(crate) fn identity(
    patterns: Vec<String>,
    cors: &Cors,
    methods: Option<&'static [&'static str]>,
) -> Resource {
    Resource::new(patterns)
        .name(&resource_name(IDENTITY, index_of(cors, methods)))
        .guard(guard::fn_guard(|_| false))
        .to(HttpResponse::NotFound)
}

/// The claim of a scope's policy at `patterns` (probe paths).
pub(crate) fn scope_claim(patterns: Vec<String>, cors: &Cors) -> Resource {
    Resource::new(patterns)
        .name(&resource_name(CLAIM, index_of(cors, None)))
        .guard(guard::fn_guard(|_| false))
        .to(HttpResponse::NotFound)
}

/// The claims of a route at `pattern` with `methods`. The router tries them
/// for every request to the routes registered after this one, before
/// skipping them by their guard, so they are built to be cheap to try: for a
/// static pattern, one static resource per method (a string comparison
/// each); else one resource whose last segment is the alternation of the
/// methods (one regular expression, where a resource with a pattern per
/// method would try one per method). A scope with the common prefix would
/// be cheaper still, but a lookup that enters a scope never leaves it, so a
/// method the route does not take would hide the claims registered after.
pub(crate) fn claims(
    pattern: &str,
    methods: &'static [&'static str],
    cors: &Cors,
) -> Vec<Resource> {
    let name = resource_name(CLAIM, index_of(cors, Some(methods)));
    let claim = |probe: String| {
        Resource::new(probe)
            .name(&name)
            .guard(guard::fn_guard(|_| false))
            .to(HttpResponse::NotFound)
    };
    if !pattern.contains('{') {
        return methods
            .iter()
            .map(|method| claim(format!("{pattern}{PROBE}{method}")))
            .collect();
    }
    // Methods are tokens: letters, digits and `!#$%&'*+-.^_`|~`, of which
    // the regex syntax gives meaning to some; escape every one that is not
    // alphanumeric.
    let alternation = methods
        .iter()
        .map(|method| {
            method.chars().fold(String::new(), |mut escaped, c| {
                if !c.is_ascii_alphanumeric() {
                    escaped.push('\\');
                }
                escaped.push(c);
                escaped
            })
        })
        .collect::<Vec<_>>()
        .join("|");
    vec![claim(format!(
        "{pattern}{PROBE}{{cors_actix_method:{alternation}}}"
    ))]
}

/// Calls `f` with the probe path `{path}{PROBE}{method}`, built on the stack
/// when it is short (nearly always), so a preflight costs no allocation.
fn with_probe<R>(path: &str, method: &[u8], f: impl FnOnce(&str) -> R) -> R {
    const ON_STACK: usize = 256;
    let parts = [path.as_bytes(), PROBE.as_bytes(), method];
    let len = parts.iter().map(|part| part.len()).sum::<usize>();
    if len > ON_STACK {
        return f(std::str::from_utf8(&parts.concat()).expect("a method token is ASCII"));
    }
    let mut buf = [0u8; ON_STACK];
    let mut at = 0;
    for part in parts {
        buf[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
    f(std::str::from_utf8(&buf[..len]).expect("a path and an ASCII method joined are UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_are_read_back_and_nothing_else_is() {
        for index in [0, 7, 12, 4096, usize::MAX] {
            let identity = resource_name(IDENTITY, index);
            assert!(Found::of(Some(&identity)) == Found::Identity(index));
            let claim = resource_name(CLAIM, index);
            assert!(Found::of(Some(&claim)) == Found::Claim(index));
        }
        let too_big = format!("{}0", resource_name(IDENTITY, usize::MAX));
        for other in [
            None,
            Some(""),
            Some("list_items"),
            Some("\u{1f}cors-actix:"),
            Some("\u{1f}cors-actix:i"),
            Some("\u{1f}cors-actix:x1"),
            Some("\u{1f}cors-actix:i1a"),
            Some("\u{1f}cors-actix:i-1"),
            Some("\u{1f}cors-actix:i+1"),
            Some("\u{1f}cors-actiX:i1"),
            Some(" cors-actix:i1"),
            Some(&*too_big),
        ] {
            assert!(Found::of(other) == Found::Other, "{other:?}");
        }
    }

    #[test]
    fn probe_paths_are_built_alike_on_the_stack_and_on_the_heap() {
        let short = with_probe("/items", b"DELETE", str::to_owned);
        assert_eq!(short, format!("/items{PROBE}DELETE"));
        let long_path = format!("/{}", "a".repeat(300));
        let long = with_probe(&long_path, b"PATCH", str::to_owned);
        assert_eq!(long, format!("{long_path}{PROBE}PATCH"));
    }
}
