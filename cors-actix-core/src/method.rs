//! Request methods in a CORS policy.

use crate::ValueError;

/// Methods that `fetch()` refuses to send at all. Allowing them only widens a
/// policy for non-browser clients, so they are a configuration error and
/// "any method" never includes them.
const FORBIDDEN_METHODS: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// Methods browsers upper-case before sending; any other method is sent
/// exactly as the page wrote it (`patch` stays `patch`).
const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Whether `method` is an HTTP token (RFC 9110 `token`).
#[inline]
pub fn is_token(method: &str) -> bool {
    !method.is_empty() && method.bytes().all(is_tchar)
}

/// The bytes allowed in an HTTP token. Called for every byte of every name a
/// preflight asks for: one table lookup.
#[inline]
pub fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// `TCHAR[b]`: whether `b` is a token character.
const TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        b += 1;
    }
    table
};

/// Whether `method` is CONNECT, TRACE or TRACK, in any case.
pub fn is_forbidden(method: &str) -> bool {
    FORBIDDEN_METHODS
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(method))
}

/// Longest method considered: the registered ones are at most 17 bytes
/// (`UPDATEREDIRECTREF`). A longer `Access-Control-Request-Method` refuses
/// its preflight as malformed, before any lookup or echo; a longer configured
/// method is a configuration error.
pub const MAX_METHOD_LEN: usize = 64;

/// Whether a requested method (`Access-Control-Request-Method`, or the
/// method a route lookup is asked about) is well formed: a token of at most
/// [`MAX_METHOD_LEN`] bytes.
///
/// ```
/// use cors_actix_core::is_requested_method;
/// assert!(is_requested_method(b"PATCH"));
/// assert!(!is_requested_method(b""));
/// assert!(!is_requested_method(b"GET POST"));
/// assert!(!is_requested_method("M".repeat(65).as_bytes()));
/// ```
#[inline]
pub fn is_requested_method(method: &[u8]) -> bool {
    !method.is_empty() && method.len() <= MAX_METHOD_LEN && method.iter().copied().all(is_tchar)
}

/// Checks a configured method.
///
/// ```
/// use cors_actix_core::validate_method;
/// assert!(validate_method("PATCH").is_ok());
/// assert!(validate_method("TRACE").is_err());
/// assert!(validate_method("delete").unwrap_err().to_string().contains("\"DELETE\""));
/// assert!(validate_method(&"M".repeat(65)).unwrap_err().to_string().contains("at most 64"));
/// ```
pub fn validate_method(method: &str) -> Result<(), ValueError> {
    if method == "*" {
        // `*` is a token, and browsers read `Access-Control-Allow-Methods: *`
        // as every method (without credentials): listed, it would allow
        // every method on every answer that carries the list.
        return Err(ValueError::new(
            "\"*\" in a method list would read as every method to browsers; use \
             allow_any_method() (`methods = \"*\"` is not a #[cors] key: list the methods)",
        ));
    }
    if !is_token(method) {
        return Err(ValueError::new(format!(
            "{method:?} is not a valid HTTP method; a method is a token such as \"GET\" or \"PATCH\""
        )));
    }
    if method.len() > MAX_METHOD_LEN {
        return Err(ValueError::new(format!(
            "{method:?} is {} bytes long; a method may have at most {MAX_METHOD_LEN}",
            method.len()
        )));
    }
    if is_forbidden(method) {
        return Err(ValueError::new(format!(
            "{method:?} is a forbidden method: browsers never send CONNECT, TRACE or TRACK, so allowing it \
             only widens the policy; remove it"
        )));
    }
    if let Some(upper) = NORMALIZED_METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method) && **m != method)
    {
        return Err(ValueError::new(format!(
            "{method:?} would never match: browsers upper-case it before sending; write {upper:?}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod token_tests {
    use super::{is_tchar, validate_method};

    #[test]
    fn a_star_is_not_a_method() {
        let err = validate_method("*").unwrap_err().to_string();
        assert!(err.contains("allow_any_method()"), "{err}");
    }

    #[test]
    fn token_characters_are_those_of_rfc_9110() {
        let tchars: Vec<u8> = (0..=255u8).filter(|&b| is_tchar(b)).collect();
        let mut expected: Vec<u8> = b"!#$%&'*+-.^_`|~".to_vec();
        expected.extend(b'0'..=b'9');
        expected.extend(b'A'..=b'Z');
        expected.extend(b'a'..=b'z');
        expected.sort_unstable();
        assert_eq!(tchars, expected);
    }
}
