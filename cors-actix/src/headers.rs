//! Header names the crate reads and writes, including the Private Network
//! Access ones the `http` crate has no constants for, and what the files of
//! the headers share: the wildcard value and the building of lists.

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use cors_actix_core::validate_header_name;

use crate::CorsConfigError;

pub(crate) use header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};

/// Sent by Chromium on a preflight to a more private network.
pub(crate) const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// The answer that lets a public page reach a private-network server.
pub(crate) const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// Every response header the middleware owns. A handler's own values for
/// these are removed so that the policy is the one source of CORS headers and
/// no response ever carries two `Access-Control-Allow-Origin` values.
const OWNED_RESPONSE_HEADERS: [HeaderName; 7] = [
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
];

/// Removes the handler's own values for the headers the middleware owns, and
/// tells whether the response already has a `Vary`: one pass over the
/// response's few names, where a lookup per name would cost more. Nearly
/// every response has neither.
pub(crate) fn clear_cors_headers(headers: &mut HeaderMap) -> HasVary {
    if headers.is_empty() {
        return HasVary(false); // not even the loop's setup to pay
    }
    let mut vary = false;
    let mut cors = false;
    for name in headers.keys() {
        let name = name.as_str();
        vary |= name == "vary";
        cors |= name.starts_with("access-control-");
    }
    if cors {
        for name in &OWNED_RESPONSE_HEADERS {
            headers.remove(name);
        }
    }
    HasVary(vary)
}

/// Writes a header the map does not have: the response is new, or
/// [`clear_cors_headers`] just removed the handler's values (and `Vary` is
/// written this way only when the response had none). `HeaderMap::append`
/// does for an absent name what `insert` does, without handing back replaced
/// values to be dropped: about 110 instructions less per header, measured
/// (BENCHMARKS.md, "Writing headers"); every CORS header goes through here.
#[inline]
pub(crate) fn write_absent(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    debug_assert!(!headers.contains_key(&name), "{name} written over a value");
    headers.append(name, value);
}

/// Whether a response has a `Vary` header (see [`clear_cors_headers`]).
#[derive(Clone, Copy)]
pub(crate) struct HasVary(pub(crate) bool);

/// `*`: the answer of every header that allows anything (any origin, method,
/// request header, or response header to expose).
pub(crate) const ANY: HeaderValue = HeaderValue::from_static("*");

/// Checks configured values one by one with `check` (which may also
/// normalise them), in order, and keeps the first of each.
pub(crate) fn distinct(
    inputs: &[String],
    check: impl Fn(&str) -> Result<String, CorsConfigError>,
) -> Result<Vec<Box<str>>, CorsConfigError> {
    let mut out: Vec<Box<str>> = Vec::new();
    for input in inputs {
        let value = check(input)?;
        if !out.iter().any(|v| **v == *value) {
            out.push(value.into());
        }
    }
    Ok(out)
}

/// Configured header names, validated and lower-cased, each once.
pub(crate) fn header_names(names: &[String]) -> Result<Vec<Box<str>>, CorsConfigError> {
    distinct(names, |name| {
        validate_header_name(name).map_err(|e| CorsConfigError::Header(e.to_string()))
    })
}

/// Joins validated tokens into one header value.
pub(crate) fn list_value(items: &[Box<str>]) -> HeaderValue {
    let joined = items.join(", ");
    HeaderValue::from_str(&joined).expect("validated tokens form a valid header value")
}
