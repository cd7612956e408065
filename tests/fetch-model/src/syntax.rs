//! Byte classes and small parsers shared by the request and response sides:
//! HTTP whitespace, tokens, `#`-lists, "get, decode, and split" and HTTP
//! quoted strings.
//!
//! Header names and values are byte sequences in Fetch. The model works on the
//! bytes of Rust strings (UTF-8); every rule here only cares about ASCII bytes,
//! and any byte at or above 0x80 is treated as "not a token byte".

/// HTTP tab or space: 0x09 or 0x20.
pub(crate) fn is_http_tab_or_space(b: u8) -> bool {
    b == b'\t' || b == b' '
}

/// HTTP whitespace: HTTP tab or space or an HTTP newline byte (0x0A, 0x0D).
pub(crate) fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

/// `tchar` from RFC 9110 §5.6.2 (the "HTTP token code points" of Fetch).
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
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
        )
}

/// `token = 1*tchar`.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_token_byte(b))
}

/// Removes leading and trailing HTTP whitespace bytes ("normalize" in Fetch).
pub(crate) fn trim_http_whitespace(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && is_http_whitespace(c as u8))
}

/// Removes leading and trailing HTTP tab or space.
pub(crate) fn trim_tab_or_space(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\t' || c == ' ')
}

/// Same as [`trim_tab_or_space`] for byte slices.
pub(crate) fn trim_tab_or_space_bytes(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_http_tab_or_space(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_http_tab_or_space(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Parses a comma-separated list whose elements must be tokens, as RFC 9110's
/// `#token` rule (used by `Access-Control-Allow-Methods`, `-Allow-Headers` and
/// `-Expose-Headers`): optional whitespace around commas, empty elements
/// tolerated and dropped, any non-token element makes the whole value fail.
///
/// Returns `None` on failure.
pub(crate) fn parse_token_list(value: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for element in value.split(',') {
        let element = trim_tab_or_space(element);
        if element.is_empty() {
            continue;
        }
        if !is_token(element.as_bytes()) {
            return None;
        }
        out.push(element.to_owned());
    }
    Some(out)
}

/// "Collect an HTTP quoted string" with extract-value false: `position` must
/// point at a `"`; returns the raw bytes from that quote up to and including
/// the closing quote (or the end of input), and advances `position` past them.
fn collect_http_quoted_string<'a>(input: &'a [u8], position: &mut usize) -> &'a [u8] {
    let start = *position;
    debug_assert_eq!(input.get(start), Some(&b'"'));
    *position += 1;
    loop {
        while *position < input.len() && input[*position] != b'"' && input[*position] != b'\\' {
            *position += 1;
        }
        if *position >= input.len() {
            break;
        }
        let quote_or_backslash = input[*position];
        *position += 1;
        if quote_or_backslash == b'\\' {
            if *position >= input.len() {
                break;
            }
            *position += 1;
        } else {
            break;
        }
    }
    &input[start..*position]
}

/// "Getting, decoding, and splitting" a header value: split on commas that are
/// not inside quoted strings, trim HTTP tab or space around each piece. Empty
/// pieces are kept (the caller decides what they mean).
pub(crate) fn get_decode_split(value: &[u8]) -> Vec<Vec<u8>> {
    let mut values = Vec::new();
    let mut temporary = Vec::new();
    let mut position = 0;
    loop {
        while position < value.len() && value[position] != b'"' && value[position] != b',' {
            temporary.push(value[position]);
            position += 1;
        }
        if position < value.len() && value[position] == b'"' {
            temporary.extend_from_slice(collect_http_quoted_string(value, &mut position));
            if position < value.len() {
                continue;
            }
        }
        values.push(trim_tab_or_space_bytes(&temporary).to_vec());
        temporary.clear();
        if position >= value.len() {
            return values;
        }
        debug_assert_eq!(value[position], b',');
        position += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        get_decode_split(s.as_bytes())
            .into_iter()
            .map(|v| String::from_utf8(v).unwrap())
            .collect()
    }

    /// RFC 9110 §5.6.2: token = 1*tchar.
    #[test]
    fn tokens() {
        assert!(is_token(b"X-Custom-1"));
        assert!(is_token(b"*"));
        assert!(is_token(b"!#$%&'*+-.^_`|~"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"a/b"));
        assert!(!is_token(b"a\"b"));
        assert!(!is_token("é".as_bytes()));
    }

    /// RFC 9110 §5.6.1: recipients accept empty list elements and OWS around
    /// commas; Fetch "extract header list values" fails on a non-token element.
    #[test]
    fn token_lists() {
        assert_eq!(parse_token_list("GET, PUT").unwrap(), ["GET", "PUT"]);
        assert_eq!(parse_token_list(" ,GET,,\tPUT ,").unwrap(), ["GET", "PUT"]);
        assert_eq!(parse_token_list("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_token_list(" , ").unwrap(), Vec::<String>::new());
        assert!(parse_token_list("GET PUT").is_none());
        assert!(parse_token_list("GET, P(T").is_none());
        assert!(parse_token_list("\"GET\"").is_none());
    }

    /// Fetch "get, decode, and split": the examples table of the standard.
    #[test]
    fn get_decode_split_examples() {
        assert_eq!(split("nosniff,"), ["nosniff", ""]);
        assert_eq!(split(""), [""]);
        assert_eq!(split("text/html;\", x/x"), ["text/html;\", x/x"]);
        assert_eq!(split("x/x;test=\"hi\",y/y"), ["x/x;test=\"hi\"", "y/y"]);
        assert_eq!(split("x / x,,,1"), ["x / x", "", "", "1"]);
        assert_eq!(split("\"1,2\", 3"), ["\"1,2\"", "3"]);
        assert_eq!(split("\"a\\\"b\",c"), ["\"a\\\"b\"", "c"]);
    }

    /// Fetch "normalize": strip leading and trailing HTTP whitespace bytes.
    #[test]
    fn trimming() {
        assert_eq!(trim_http_whitespace("\r\n\t a b \t\n"), "a b");
        assert_eq!(trim_tab_or_space("\t a\nb \t"), "a\nb");
        assert_eq!(trim_tab_or_space_bytes(b" \tab\t "), b"ab");
    }
}
