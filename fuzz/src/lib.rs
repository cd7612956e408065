//! Helpers shared by the fuzz targets.

use std::sync::Once;

/// A logger that formats every record, as a real logger would, and checks
/// that the line cannot be mistaken for more than one: no CR, LF, other
/// control byte or non-ASCII byte (Unicode line separators) may come through
/// from request values. Without a logger installed the `log` macros skip
/// formatting, so this also makes the fuzzer exercise the escaping code.
struct CheckingLogger;

impl log::Log for CheckingLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        assert!(
            line.bytes().all(|b| (0x20..0x7f).contains(&b)),
            "log line with a raw control or non-ASCII byte: {line:?}"
        );
    }

    fn flush(&self) {}
}

static LOGGER: CheckingLogger = CheckingLogger;
static INSTALL: Once = Once::new();

/// Installs [`CheckingLogger`] once per process, at debug level (where the
/// crate logs its refusals).
pub fn install_checking_logger() {
    INSTALL.call_once(|| {
        log::set_logger(&LOGGER).expect("only this logger");
        log::set_max_level(log::LevelFilter::Debug);
    });
}

/// Splits fuzz input into at most `n` byte strings at `sep`.
pub fn split(data: &[u8], sep: u8, n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == sep).collect()
}
