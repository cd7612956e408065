//! Run-time support for `#[cors]` routes. The macro's expansion calls into
//! this module (through `cors_actix::__private`) and carries no CORS logic of
//! its own. How an enclosing `Cors` middleware finds a route's policy is
//! [`crate::resolve`]'s business; this module registers what it looks for.

use std::borrow::Cow;
use std::sync::LazyLock;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::Method;
use actix_web::{FromRequest, Handler, Resource, Responder};

use crate::allow_methods::lists_method;
use crate::headers::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use crate::resolve;
use crate::Cors;

/// Matches the methods a `#[cors]` route is registered for, and the
/// preflights asking for them, so that the router hands a preflight to the
/// route whose policy must judge it. A preflight is matched by the method it
/// asks for, never by its own `OPTIONS`: an `#[options]` route does not take
/// the preflights of a `DELETE` route on the same path.
struct MethodsOrPreflight {
    methods: &'static [&'static str],
}

impl Guard for MethodsOrPreflight {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if head.method == Method::OPTIONS && head.headers.contains_key(ORIGIN) {
            if let Some(requested) = head.headers.get(ACCESS_CONTROL_REQUEST_METHOD) {
                return lists_method(self.methods, requested.as_bytes());
            }
        }
        lists_method(self.methods, head.method.as_str().as_bytes())
    }
}

/// One `#[cors]` route, as the macro describes it.
#[doc(hidden)]
pub struct RouteRegistration {
    /// The handler's name (the resource name actix's own macros would use).
    pub name: &'static str,
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
        let policy = LazyLock::force(self.policy).placed(crate::Placement::Route);
        let pattern = route_pattern(self.path);
        // The identity first, so that a lookup of the request path finds it
        // whenever nothing registered earlier matches. The claims last, so
        // that requests routed to this route do not pass them; a route whose
        // own pattern matches their probe paths (`{p:.{1,100}}`) hides them,
        // and its preflights are then refused (see `resolve`).
        let identity = resolve::identity(vec![pattern.to_string()], &policy, Some(self.methods));
        HttpServiceFactory::register(identity, config);
        let resource = Resource::new(&*pattern)
            .name(self.name)
            .guard(MethodsOrPreflight {
                methods: self.methods,
            })
            .to(handler)
            .wrap(policy.clone());
        HttpServiceFactory::register(resource, config);
        for claim in resolve::claims(&pattern, self.methods, &policy) {
            HttpServiceFactory::register(claim, config);
        }
    }
}

/// The pattern a `#[cors]` route's resource, identity and claims are
/// registered with.
///
/// A segment that matches any text, `/` included, would also match the probe
/// paths of the claims registered after it (those of later `#[cors]`
/// handlers on the same path, see [`crate::resolve`]), so the lookup would
/// not find them. Such segments are registered to match the same text except
/// the control character U+001F that every probe path contains (a request
/// path contains it only when sent as `%1F`; such a path then does not match
/// the route):
/// - a tail segment `{name}*` becomes `{name:[^\x1f]*}`;
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
