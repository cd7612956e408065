//! `Access-Control-Allow-Methods`: the methods a preflight may ask for.

use std::fmt;

use actix_web::http::header::HeaderValue;
use cors_actix_core::{is_forbidden, is_requested_method, validate_method};

use crate::headers::{distinct, list_value, ANY};
use crate::CorsConfigError;

/// The methods allowed when `allow_methods` is never called: the
/// CORS-safelisted ones, which browsers send without a preflight anyway.
///
/// ```
/// assert_eq!(cors_actix::DEFAULT_METHODS, ["GET", "HEAD", "POST"]);
/// ```
pub const DEFAULT_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// The methods of a policy; built only by [`from_config`](Self::from_config),
/// so a list is never empty and its value always matches it.
pub(crate) struct AllowMethods(Methods);

#[derive(Debug)]
enum Methods {
    /// A fixed list, answered with one value built at `build()`.
    List {
        methods: Vec<Box<str>>,
        value: HeaderValue,
    },
    /// Any method but the forbidden ones.
    Any,
}

/// Why a requested method was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MethodRefusal {
    Malformed,
    NotAllowed,
}

/// GET, HEAD and POST, as browsers send them (upper-case).
fn is_safelisted(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

/// Whether `methods` include `method` (case-sensitive, as methods are).
/// Compared in place: these lists are a few short names, for which a call to
/// `memcmp` per name cost more than the comparison.
#[inline]
pub(crate) fn lists_method<S: AsRef<str>>(methods: &[S], method: &[u8]) -> bool {
    methods.iter().any(|listed| {
        let listed = listed.as_ref();
        listed.len() == method.len() && listed.bytes().zip(method).all(|(a, &b)| a == b)
    })
}

impl AllowMethods {
    /// Checks the methods given to `allow_methods` (`None`: never called,
    /// [`DEFAULT_METHODS`]); `any` is `allow_any_method()`, which wins.
    pub(crate) fn from_config(
        methods: Option<&[String]>,
        any: bool,
    ) -> Result<Self, CorsConfigError> {
        if any {
            return Ok(Self(Methods::Any));
        }
        let defaults = DEFAULT_METHODS.map(String::from);
        let methods = distinct(methods.unwrap_or(&defaults), |method| {
            validate_method(method).map_err(|e| CorsConfigError::Method(e.to_string()))?;
            Ok(method.to_owned())
        })?;
        if methods.is_empty() {
            return Err(CorsConfigError::Method(
                "allow_methods() was given no method, so every preflight would be refused; \
                 list at least one, or leave it out for GET, HEAD and POST"
                    .into(),
            ));
        }
        let value = list_value(&methods);
        Ok(Self(Methods::List { methods, value }))
    }

    /// Whether `method` is in the configured list (`allow_any_method()`:
    /// any method not forbidden).
    pub(crate) fn lists(&self, method: &str) -> bool {
        match &self.0 {
            Methods::List { methods, .. } => methods.iter().any(|m| **m == *method),
            Methods::Any => !is_forbidden(method),
        }
    }

    /// The configured list, for a diagnostic answer (see
    /// `PreflightVerdict::Diagnosed`); `None` for any method, as `*` would
    /// allow what was refused.
    pub(crate) fn listed(&self) -> Option<HeaderValue> {
        match &self.0 {
            Methods::List { value, .. } => Some(value.clone()),
            Methods::Any => None,
        }
    }

    /// The `Access-Control-Allow-Methods` value answering a preflight's
    /// `Access-Control-Request-Method`.
    ///
    /// Methods are compared byte for byte: browsers upper-case only the six
    /// standard methods, so `patch` really is a different method from `PATCH`.
    pub(crate) fn grant(
        &self,
        requested: &HeaderValue,
        credentials: bool,
    ) -> Result<HeaderValue, MethodRefusal> {
        // A token is visible ASCII: no separate text check.
        let method = requested.as_bytes();
        if !is_requested_method(method) {
            return Err(MethodRefusal::Malformed);
        }
        match &self.0 {
            // Browsers never refuse the CORS-safelisted methods for their
            // method, whatever the list says: refusing them here would only
            // refuse a preflight that asks for a header.
            Methods::List { methods, value } => {
                if is_safelisted(method) || lists_method(methods, method) {
                    Ok(value.clone())
                } else {
                    Err(MethodRefusal::NotAllowed)
                }
            }
            // (Token bytes are ASCII, so the text is always there.)
            Methods::Any if std::str::from_utf8(method).map_or(true, is_forbidden) => {
                Err(MethodRefusal::NotAllowed)
            }
            // With credentials browsers read `*` as a method literally named
            // "*", so the requested method is echoed instead.
            Methods::Any if credentials => Ok(requested.clone()),
            Methods::Any => Ok(ANY),
        }
    }
}

impl fmt::Debug for AllowMethods {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
