//! Request values written into log lines.
//!
//! `Origin` and the `Access-Control-Request-*` headers come from the client.
//! Written raw, a value with a newline could forge a second log line, so
//! every such value goes through [`LogValue`], which escapes control and
//! non-ASCII bytes and cuts long values short.

use std::fmt;

/// At most this many bytes of a request value are logged.
const MAX_LOGGED_BYTES: usize = 80;

pub(crate) struct LogValue<'a>(pub &'a [u8]);

impl fmt::Display for LogValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for &byte in self.0.iter().take(MAX_LOGGED_BYTES) {
            match byte {
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7e => fmt::Write::write_char(f, byte as char)?,
                _ => write!(f, "\\x{byte:02x}")?,
            }
        }
        f.write_str("\"")?;
        if self.0.len() > MAX_LOGGED_BYTES {
            write!(f, "... ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::LogValue;

    #[test]
    fn escapes_line_breaks_and_controls() {
        let logged = LogValue(b"https://a.com\r\nINFO forged line\x1b[31m").to_string();
        assert_eq!(
            logged,
            "\"https://a.com\\x0d\\x0aINFO forged line\\x1b[31m\""
        );
        assert!(!logged.contains('\n') && !logged.contains('\r'));
    }

    #[test]
    fn cuts_long_values() {
        let long = vec![b'a'; 1000];
        let logged = LogValue(&long).to_string();
        assert!(logged.len() < 120, "{logged}");
        assert!(logged.ends_with("(1000 bytes)"));
    }
}
