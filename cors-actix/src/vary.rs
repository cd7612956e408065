//! `Vary`: tells shared caches which request headers the CORS answer depends on.
//!
//! The middleware adds its names to whatever `Vary` the handler set: it never
//! overwrites the handler's value and never repeats a name already there.

use actix_web::http::header::{HeaderMap, HeaderValue};

use crate::headers::{write_absent, HasVary, VARY};

/// The request headers a response's CORS headers may depend on.
#[derive(Debug, Clone)]
pub(crate) struct VaryNames {
    /// The whole list as one value, used when the response has no `Vary` yet;
    /// built at compile time (`from_static` checks every byte when it runs).
    combined: HeaderValue,
    /// The same names one by one, for merging into an existing `Vary`.
    names: &'static [&'static str],
}

const ORIGIN: &str = "Origin";
const REQUEST_METHOD: &str = "Access-Control-Request-Method";
const REQUEST_HEADERS: &str = "Access-Control-Request-Headers";
const REQUEST_PRIVATE_NETWORK: &str = "Access-Control-Request-Private-Network";
const FORWARDED: &str = "Forwarded";
const X_FORWARDED_HOST: &str = "X-Forwarded-Host";
const X_FORWARDED_PROTO: &str = "X-Forwarded-Proto";

impl VaryNames {
    /// Actual responses vary by `Origin` only.
    pub(crate) const ACTUAL: Self = Self {
        combined: HeaderValue::from_static(ORIGIN),
        names: &[ORIGIN],
    };

    /// Actual responses of a policy that blocks disallowed origins and trusts
    /// forwarded headers: whether a request is same-origin, and so exempt
    /// from blocking, depends on them too.
    pub(crate) const ACTUAL_FORWARDED: Self = Self {
        combined: HeaderValue::from_static(
            "Origin, Forwarded, X-Forwarded-Host, X-Forwarded-Proto",
        ),
        names: &[ORIGIN, FORWARDED, X_FORWARDED_HOST, X_FORWARDED_PROTO],
    };

    pub(crate) const PREFLIGHT: Self = Self {
        combined: HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
        names: &[ORIGIN, REQUEST_METHOD, REQUEST_HEADERS],
    };

    /// Preflights of a policy that answers private network requests also
    /// vary by whether one was requested.
    pub(crate) const PREFLIGHT_PRIVATE_NETWORK: Self = Self {
        combined: HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
             Access-Control-Request-Private-Network",
        ),
        names: &[
            ORIGIN,
            REQUEST_METHOD,
            REQUEST_HEADERS,
            REQUEST_PRIVATE_NETWORK,
        ],
    };

    /// Sets these names as the `Vary` of a response the middleware built.
    pub(crate) fn set_on_new(&self, headers: &mut HeaderMap) {
        write_absent(headers, VARY, self.combined.clone());
    }

    /// Adds these names to the response's `Vary`, keeping what is there.
    pub(crate) fn add_to(&self, headers: &mut HeaderMap, has_vary: HasVary) {
        if !has_vary.0 {
            write_absent(headers, VARY, self.combined.clone());
            return;
        }
        if headers.get_all(VARY).any(|line| lists(line, b"*")) {
            return; // already varies on everything
        }
        for name in self.names {
            if !headers
                .get_all(VARY)
                .any(|line| lists(line, name.as_bytes()))
            {
                headers.append(VARY, HeaderValue::from_static(name));
            }
        }
    }
}

fn lists(line: &HeaderValue, name: &[u8]) -> bool {
    crate::request_headers::split_list(line.as_bytes())
        .any(|token| token.eq_ignore_ascii_case(name))
}
