//! Headless Chromium behind chromedriver, driven with fantoccini.

use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

use crate::fetch::{FetchRequest, FetchResult, FETCH_SCRIPT};

/// Where the Debian packages `chromium` and `chromium-driver` put the binaries.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
pub const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Environment variables that override those paths.
pub const CHROMIUM_ENV: &str = "CHROMIUM";
pub const CHROMEDRIVER_ENV: &str = "CHROMEDRIVER";

/// Makes every `*.test` host name (see [`crate::API`] and friends) resolve to
/// 127.0.0.1 inside the browser; the port in the URL is kept.
pub const HOST_RESOLVER_RULES: &str = "MAP *.test 127.0.0.1";

/// The flags Chromium is launched with, besides `--user-data-dir` and
/// `--host-resolver-rules`. (chromedriver and Debian's `/usr/bin/chromium`
/// wrapper add their own defaults on top.)
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Hard limit on any one WebDriver command, a hung browser fails the test
/// instead of hanging it.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// WebDriver's own script and page-load timeouts (shorter, so they report first).
const SCRIPT_TIMEOUT_MS: u64 = 30_000;
/// How long chromedriver gets to print its port.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);

/// Kills the process group of chromedriver (Chromium included) and removes the
/// temporary directory once its standard input closes: when the `Browser` is
/// replaced, and when the test binary exits in any way, even `SIGKILL`. The
/// shared browser lives in a `static`, which Rust never drops.
/// `$1` = process group, `$2` = temporary directory. (dash's `kill` takes no
/// `--`, so the negative pid follows the signal directly.)
const WATCHDOG: &str = r#"read -r _ || :
kill -KILL "-$1" 2>/dev/null
sleep 1
rm -rf -- "$2"
"#;

/// The two binaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserPaths {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl BrowserPaths {
    /// `$CHROMIUM` / `$CHROMEDRIVER`, or the Debian paths; `Err` says what is
    /// missing.
    pub fn from_env() -> Result<BrowserPaths, String> {
        Self::locate(
            std::env::var_os(CHROMIUM_ENV),
            std::env::var_os(CHROMEDRIVER_ENV),
        )
    }

    /// [`BrowserPaths::from_env`] with the variables' values passed in.
    pub fn locate(
        chromium: Option<OsString>,
        chromedriver: Option<OsString>,
    ) -> Result<BrowserPaths, String> {
        let pick = |value: Option<OsString>, var: &str, default: &str| {
            let path = value
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(default));
            if is_executable(&path) {
                Ok(path)
            } else {
                Err(format!(
                    "{} not found or not executable (set {var} to override)",
                    path.display()
                ))
            }
        };
        let chromium = pick(chromium, CHROMIUM_ENV, DEFAULT_CHROMIUM);
        let chromedriver = pick(chromedriver, CHROMEDRIVER_ENV, DEFAULT_CHROMEDRIVER);
        match (chromium, chromedriver) {
            (Ok(chromium), Ok(chromedriver)) => Ok(BrowserPaths {
                chromium,
                chromedriver,
            }),
            (Err(a), Err(b)) => Err(format!("{a}; {b}")),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// `CI` is `true` (any case) or `1`.
pub fn running_in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v.eq_ignore_ascii_case("true") || v == "1")
        .unwrap_or(false)
}

/// What to do when the browser is missing: `Err(message)` to fail with in CI,
/// `Ok(message)` to print as a skip elsewhere.
pub fn missing_browser_verdict(why: &str, ci: bool) -> Result<String, String> {
    const INSTALL: &str = "install with `apt-get install chromium chromium-driver`";
    if ci {
        Err(format!(
            "browser tests cannot run: {why}. CI is true, so this is a failure, not a skip: \
             {INSTALL} (or point {CHROMIUM_ENV} / {CHROMEDRIVER_ENV} at the binaries)"
        ))
    } else {
        Ok(format!("skipped: {INSTALL} ({why})"))
    }
}

enum Slot {
    Empty,
    Ready(Driver),
    /// Launching failed: later tests fail at once with the same message
    /// instead of each waiting for the same failure.
    Failed(String),
}

/// The one browser of this test binary; tests take turns with it.
static SLOT: Mutex<Slot> = Mutex::new(Slot::Empty);

thread_local! {
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// Exclusive use of the test binary's shared headless Chromium for as long as
/// it is alive. Tests that hold one run one at a time; everything else they do
/// (servers, assertions) runs in parallel as usual. Each holder starts from a
/// clean state: `about:blank`, no cookies, empty HTTP cache and empty preflight
/// cache (CDP `Network.clearBrowserCache` clears both in this Chromium; the
/// smoke tests check it). Every [`crate::TestServer`] has a fresh port anyway.
///
/// Use it from plain `#[test]` functions; every method blocks.
pub struct Browser {
    guard: MutexGuard<'static, Slot>,
}

impl Browser {
    /// The shared browser, started on first use (and restarted if an earlier
    /// test left it broken). `None` when Chromium or chromedriver is missing and
    /// `CI` is not true: the caller returns, and a "skipped" line goes to the
    /// real stderr. Panics when they are missing and `CI` is true, and when
    /// the browser cannot be started.
    ///
    /// Holding two at once on one thread would deadlock, so that panics.
    #[track_caller]
    pub fn launch() -> Option<Browser> {
        let paths = match BrowserPaths::from_env() {
            Ok(paths) => paths,
            Err(why) => match missing_browser_verdict(&why, running_in_ci()) {
                Err(fail) => panic!("{fail}"),
                Ok(skip) => {
                    let test = std::thread::current()
                        .name()
                        .unwrap_or("browser test")
                        .to_owned();
                    // Straight to the process's stderr: `eprintln!` would be
                    // captured by the test harness and never shown.
                    let _ = writeln!(std::io::stderr(), "{test}: {skip}");
                    return None;
                }
            },
        };
        assert!(
            !HOLDING.get(),
            "Browser::launch: this thread already holds the browser; drop it first"
        );
        let mut guard = SLOT.lock().unwrap_or_else(PoisonError::into_inner);
        if let Slot::Failed(why) = &*guard {
            panic!("{why} (an earlier test's launch failed)");
        }
        if let Slot::Ready(driver) = &*guard {
            if let Err(why) = driver.reset() {
                eprintln!("cors-e2e: restarting the browser: {why}");
                *guard = Slot::Empty;
            }
        }
        if matches!(*guard, Slot::Empty) {
            match Driver::start(&paths) {
                Ok(driver) => *guard = Slot::Ready(driver),
                Err(why) => {
                    let why = format!("could not start Chromium through chromedriver: {why}");
                    *guard = Slot::Failed(why.clone());
                    drop(guard);
                    panic!("{why}");
                }
            }
        }
        HOLDING.set(true);
        Some(Browser { guard })
    }

    fn driver(&self) -> &Driver {
        match &*self.guard {
            Slot::Ready(driver) => driver,
            _ => unreachable!("a Browser always holds a started driver"),
        }
    }

    /// Run `fetch(request.url, init)` in a page of `page_origin` (e.g.
    /// [`crate::PageServer::origin`]; the browser opens `{page_origin}/` unless
    /// it is already there) and report what the page saw.
    pub fn fetch(&self, page_origin: &str, request: &FetchRequest) -> FetchResult {
        let driver = self.driver();
        driver.open(page_origin);
        driver.console(); // drop lines logged before this fetch
        let url = request.url.clone();
        let options = request.to_json();
        let answer = driver.call("fetch in the page", move |c| async move {
            c.execute_async(FETCH_SCRIPT, vec![Value::String(url), options])
                .await
        });
        let console = driver.console();
        FetchResult::from_json(&answer, console)
            .unwrap_or_else(|e| panic!("fetch {}: {e}", request.url))
    }

    /// `response.headers.get(name)` for `request` fetched from `page_origin`.
    /// Panics if the fetch itself fails.
    pub fn fetch_header(
        &self,
        page_origin: &str,
        request: &FetchRequest,
        name: &str,
    ) -> Option<String> {
        let result = self.fetch(page_origin, &request.clone().read_header(name));
        result.assert_ok();
        result.get(name).map(str::to_owned)
    }

    /// Open `{page_origin}/` unless the browser is already there.
    pub fn open(&self, page_origin: &str) {
        self.driver().open(page_origin);
    }

    /// Navigate the top-level page to any URL (e.g. an endpoint that sets a
    /// first-party cookie). Returns once the page has loaded.
    pub fn navigate(&self, url: &str) {
        self.driver().navigate(url);
    }

    /// Run a synchronous `script` (a function body: `return ...`) in a page of
    /// `page_origin` and return its value.
    pub fn execute(&self, page_origin: &str, script: &str, args: Vec<Value>) -> Value {
        let driver = self.driver();
        driver.open(page_origin);
        let script = script.to_owned();
        driver.call("execute a script", move |c| async move {
            c.execute(&script, args).await
        })
    }

    /// Browser console lines logged since the last call (or since the last
    /// fetch, which collects its own).
    pub fn console(&self) -> Vec<String> {
        self.driver().console()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        HOLDING.set(false);
    }
}

impl fmt::Debug for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Browser").finish_non_exhaustive()
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("cors-e2e-webdriver")
            .enable_all()
            .build()
            .expect("cors-e2e: cannot build the tokio runtime for fantoccini")
    })
}

/// Run `future` on the WebDriver runtime and wait for it, at most `timeout`.
/// Works from any thread, also one that runs an async runtime itself.
fn run<T, F>(timeout: Duration, future: F) -> Option<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    runtime().spawn(async move {
        if let Ok(value) = tokio::time::timeout(timeout, future).await {
            let _ = tx.send(value);
        }
    });
    rx.recv_timeout(timeout + Duration::from_secs(5)).ok()
}

/// A WebDriver endpoint that fantoccini has no method for.
#[derive(Debug)]
struct Raw {
    /// Relative to `/session/{id}/`.
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Raw {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// chromedriver's process group and the watchdog that kills it.
struct Processes {
    chromedriver: Child,
    watchdog: Child,
    watchdog_stdin: Option<ChildStdin>,
    dir: PathBuf,
}

impl Processes {
    fn log_tail(&self) -> String {
        let mut out = String::new();
        for name in ["chromedriver.stderr", "chromedriver.log"] {
            let path = self.dir.join(name);
            let Ok(mut file) = File::open(&path) else {
                continue;
            };
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            let _ = file.seek(SeekFrom::Start(len.saturating_sub(4000)));
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            if !text.trim().is_empty() {
                out.push_str(&format!("\n--- end of {} ---\n{text}", path.display()));
            }
        }
        out
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        drop(self.watchdog_stdin.take()); // the watchdog kills the group
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let (Ok(Some(_)), Ok(Some(_))) =
                (self.chromedriver.try_wait(), self.watchdog.try_wait())
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

struct Driver {
    client: Client,
    processes: Processes,
    broken: Cell<bool>,
    page: RefCell<Option<String>>,
}

impl Driver {
    fn start(paths: &BrowserPaths) -> Result<Driver, String> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cors-e2e-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let profile = dir.join("profile");
        fs::create_dir_all(&profile)
            .map_err(|e| format!("cannot create {}: {e}", profile.display()))?;
        let stderr = File::create(dir.join("chromedriver.stderr"))
            .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;

        let mut chromedriver = Command::new(&paths.chromedriver)
            .arg("--port=0")
            .arg(format!(
                "--log-path={}",
                dir.join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", paths.chromedriver.display()))?;
        let watchdog = Command::new("/bin/sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("cors-e2e-watchdog")
            .arg(chromedriver.id().to_string())
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut watchdog = match watchdog {
            Ok(watchdog) => watchdog,
            Err(e) => {
                let _ = chromedriver.kill();
                let _ = chromedriver.wait();
                let _ = fs::remove_dir_all(&dir);
                return Err(format!("cannot run /bin/sh for the watchdog: {e}"));
            }
        };
        let stdout = chromedriver.stdout.take();
        let processes = Processes {
            watchdog_stdin: watchdog.stdin.take(),
            chromedriver,
            watchdog,
            dir,
        };

        let port = match stdout.map(read_driver_port) {
            Some(Ok(port)) => port,
            Some(Err(e)) => return Err(format!("chromedriver: {e}{}", processes.log_tail())),
            None => return Err("chromedriver: no stdout".into()),
        };

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|&f| f.to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--host-resolver-rules={HOST_RESOLVER_RULES}"));
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {
                "script": SCRIPT_TIMEOUT_MS,
                "pageLoad": SCRIPT_TIMEOUT_MS,
                "implicit": 0,
            },
            "goog:chromeOptions": {
                "binary": paths.chromium,
                "args": args,
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let webdriver = format!("http://127.0.0.1:{port}");
        let connected = run(COMMAND_TIMEOUT, async move {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&webdriver)
                .await
        });
        let client = match connected {
            Some(Ok(client)) => client,
            Some(Err(e)) => {
                return Err(format!(
                    "new WebDriver session: {e}{}",
                    processes.log_tail()
                ))
            }
            None => {
                return Err(format!(
                    "no WebDriver session within {COMMAND_TIMEOUT:?}{}",
                    processes.log_tail()
                ))
            }
        };
        Ok(Driver {
            client,
            processes,
            broken: Cell::new(false),
            page: RefCell::new(None),
        })
    }

    /// Run a WebDriver call; on error or timeout mark the browser broken (the
    /// next test gets a new one).
    fn try_call<T, F, Fut>(&self, what: &str, call: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, CmdError>> + Send + 'static,
    {
        let outcome = match run(COMMAND_TIMEOUT, call(self.client.clone())) {
            Some(Ok(value)) => return Ok(value),
            Some(Err(e)) => format!("{what}: {e}"),
            None => format!("{what}: no answer from the browser within {COMMAND_TIMEOUT:?}"),
        };
        self.broken.set(true);
        Err(format!("{outcome}{}", self.processes.log_tail()))
    }

    #[track_caller]
    fn call<T, F, Fut>(&self, what: &str, call: F) -> T
    where
        T: Send + 'static,
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, CmdError>> + Send + 'static,
    {
        self.try_call(what, call).unwrap_or_else(|e| panic!("{e}"))
    }

    fn raw(&self, path: &'static str, body: Value) -> Result<Value, String> {
        self.try_call(path, move |c| async move {
            c.issue_cmd(Raw { path, body }).await
        })
    }

    /// Back to a blank page with no cookies and empty HTTP and preflight caches.
    fn reset(&self) -> Result<(), String> {
        if self.broken.get() {
            return Err("an earlier test left it broken".into());
        }
        self.try_call("open about:blank", |c| async move {
            c.goto("about:blank").await
        })?;
        *self.page.borrow_mut() = None;
        for cmd in ["Network.clearBrowserCookies", "Network.clearBrowserCache"] {
            self.raw("goog/cdp/execute", json!({ "cmd": cmd, "params": {} }))?;
        }
        self.raw("se/log", json!({ "type": "browser" }))?;
        Ok(())
    }

    fn navigate(&self, url: &str) {
        let target = url.to_owned();
        self.call(&format!("open {url}"), move |c| async move {
            c.goto(&target).await
        });
        *self.page.borrow_mut() = Some(url.to_owned());
    }

    fn open(&self, page_origin: &str) {
        let url = format!("{}/", page_origin.trim_end_matches('/'));
        if self.page.borrow().as_deref() != Some(url.as_str()) {
            self.navigate(&url);
        }
    }

    fn console(&self) -> Vec<String> {
        let entries = self
            .raw("se/log", json!({ "type": "browser" }))
            .unwrap_or_else(|e| panic!("{e}"));
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Read chromedriver's stdout until it says which port it took; keep draining
/// it afterwards so chromedriver never blocks on a full pipe.
fn read_driver_port(stdout: impl Read + Send + 'static) -> Result<u16, String> {
    const MARK: &str = "started successfully on port ";
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::Builder::new()
        .name("chromedriver-stdout".into())
        .spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let _ = tx.send(line.clone());
                    }
                }
            }
        })
        .map_err(|e| format!("cannot spawn a thread: {e}"))?;
    let deadline = Instant::now() + DRIVER_START_TIMEOUT;
    let mut seen = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(rest) = line.split(MARK).nth(1) {
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    return digits
                        .parse()
                        .map_err(|_| format!("cannot read the port in {line:?}"));
                }
                seen.push_str(&line);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "did not report its port within {DRIVER_START_TIMEOUT:?}; stdout: {seen:?}"
                ))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(format!(
                    "exited before reporting its port; stdout: {seen:?}"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_browser_fails_in_ci_and_skips_elsewhere() {
        let why = BrowserPaths::locate(
            Some("/nonexistent/chromium".into()),
            Some("/nonexistent/chromedriver".into()),
        )
        .unwrap_err();
        assert!(why.contains("/nonexistent/chromium"), "{why}");
        assert!(why.contains("/nonexistent/chromedriver"), "{why}");

        let fail = missing_browser_verdict(&why, true).unwrap_err();
        assert!(fail.contains("CI is true"), "{fail}");
        assert!(
            fail.contains("apt-get install chromium chromium-driver"),
            "{fail}"
        );

        let skip = missing_browser_verdict(&why, false).unwrap();
        assert!(
            skip.starts_with("skipped: install with `apt-get install chromium chromium-driver`"),
            "{skip}"
        );
    }

    #[test]
    fn env_overrides_the_default_paths() {
        let found = BrowserPaths::locate(Some("/bin/sh".into()), Some("/bin/sh".into())).unwrap();
        assert_eq!(found.chromium, PathBuf::from("/bin/sh"));
        assert_eq!(found.chromedriver, PathBuf::from("/bin/sh"));
        // A directory or a non-executable file is not a browser.
        assert!(BrowserPaths::locate(Some("/tmp".into()), Some("/bin/sh".into())).is_err());
        assert!(BrowserPaths::locate(Some("/etc/passwd".into()), Some("/bin/sh".into())).is_err());
    }
}
