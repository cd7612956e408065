//! `Access-Control-Allow-Methods`: the methods a preflight may ask for.

use actix_web::http::header::HeaderValue;
use cors_actix_core::method::{is_forbidden, is_token};

#[derive(Debug)]
pub(crate) enum AllowMethods {
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
fn is_safelisted(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

impl AllowMethods {
    const ANY_VALUE: HeaderValue = HeaderValue::from_static("*");

    /// Whether `method` is in the configured list (`allow_any_method()`:
    /// any method not forbidden).
    pub(crate) fn lists(&self, method: &str) -> bool {
        match self {
            Self::List { methods, .. } => methods.iter().any(|m| **m == *method),
            Self::Any => !is_forbidden(method),
        }
    }

    /// The configured list, for a diagnostic answer (see
    /// `PreflightVerdict::Diagnosed`); `None` for any method, as `*` would
    /// allow what was refused.
    pub(crate) fn listed(&self) -> Option<HeaderValue> {
        match self {
            Self::List { value, .. } => Some(value.clone()),
            Self::Any => None,
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
        let method = requested.to_str().map_err(|_| MethodRefusal::Malformed)?;
        if !is_token(method) {
            return Err(MethodRefusal::Malformed);
        }
        match self {
            // Browsers never refuse the CORS-safelisted methods for their
            // method, whatever the list says: refusing them here would only
            // refuse a preflight that asks for a header.
            Self::List { methods, value } => {
                if is_safelisted(method) || methods.iter().any(|m| **m == *method) {
                    Ok(value.clone())
                } else {
                    Err(MethodRefusal::NotAllowed)
                }
            }
            Self::Any if is_forbidden(method) => Err(MethodRefusal::NotAllowed),
            // With credentials browsers read `*` as a method literally named
            // "*", so the requested method is echoed instead.
            Self::Any if credentials => Ok(requested.clone()),
            Self::Any => Ok(Self::ANY_VALUE),
        }
    }
}
