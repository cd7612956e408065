//! Headless Chromium behind chromedriver and headless Firefox ESR behind
//! geckodriver, driven with fantoccini.

use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
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

/// A browser engine the suite runs its scenarios in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Debian's `chromium`, driven by `chromedriver`.
    Chromium,
    /// Debian's `firefox-esr`, driven by `geckodriver` (from crates.io).
    Firefox,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::Chromium, Engine::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
        }
    }

    /// `"{name}: {message}"` of the `TypeError` that `fetch` rejects with when
    /// the network or the CORS check fails: script learns nothing more, in
    /// either engine.
    pub fn failed_fetch(self) -> &'static str {
        match self {
            Engine::Chromium => FAILED_TO_FETCH,
            Engine::Firefox => NETWORK_ERROR,
        }
    }

    /// A phrase in every console line the engine logs for a CORS refusal.
    pub fn cors_console_marker(self) -> &'static str {
        match self {
            Engine::Chromium => "blocked by CORS policy",
            Engine::Firefox => "Cross-Origin Request Blocked",
        }
    }

    /// The variables that override the browser's and the driver's paths.
    pub fn env_vars(self) -> (&'static str, &'static str) {
        match self {
            Engine::Chromium => (CHROMIUM_ENV, CHROMEDRIVER_ENV),
            Engine::Firefox => (FIREFOX_ENV, GECKODRIVER_ENV),
        }
    }

    fn install_hint(self) -> &'static str {
        match self {
            Engine::Chromium => "install with `apt-get install chromium chromium-driver`",
            Engine::Firefox => {
                "install with `apt-get install firefox-esr` and `cargo install geckodriver --locked`"
            }
        }
    }

    fn index(self) -> usize {
        match self {
            Engine::Chromium => 0,
            Engine::Firefox => 1,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Chromium's message for a failed `fetch`.
pub const FAILED_TO_FETCH: &str = "TypeError: Failed to fetch";
/// Firefox's message for a failed `fetch`.
pub const NETWORK_ERROR: &str = "TypeError: NetworkError when attempting to fetch resource.";

/// Where the Debian packages `chromium` and `chromium-driver` put the binaries.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
pub const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Where the Debian package `firefox-esr` puts the binary. geckodriver has no
/// Debian package; `cargo install geckodriver` puts it in `$CARGO_HOME/bin`
/// (see [`default_geckodriver`]).
pub const DEFAULT_FIREFOX: &str = "/usr/bin/firefox-esr";
/// Environment variables that override those paths.
pub const CHROMIUM_ENV: &str = "CHROMIUM";
pub const CHROMEDRIVER_ENV: &str = "CHROMEDRIVER";
pub const FIREFOX_ENV: &str = "FIREFOX";
pub const GECKODRIVER_ENV: &str = "GECKODRIVER";

/// Makes every `*.test` host name (see [`crate::API`] and friends) resolve to
/// 127.0.0.1 inside Chromium; the port in the URL is kept.
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

/// Preferences of the fresh Firefox profile, on top of those geckodriver and
/// Marionette set for automation (no updates, telemetry, captive-portal or
/// safe-browsing requests). Firefox has no host-resolver rules, and
/// `network.dns.localDomains` would have to list every host name the tests
/// use, so every name resolves to 127.0.0.1: the `*.test` hosts, and any
/// background request left, which then fails on the loopback instead of
/// leaving the machine.
pub const FIREFOX_PREFS: &[(&str, PrefValue)] = &[
    ("network.dns.forceResolve", PrefValue::Str("127.0.0.1")),
    // No proxy from the environment between the page and the loopback servers.
    ("network.proxy.type", PrefValue::Int(0)),
];

/// A Firefox preference value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefValue {
    Int(i64),
    Str(&'static str),
}

impl PrefValue {
    fn to_json(self) -> Value {
        match self {
            PrefValue::Int(i) => Value::from(i),
            PrefValue::Str(s) => Value::from(s),
        }
    }
}

/// Hard limit on any one WebDriver command, a hung browser fails the test
/// instead of hanging it.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// WebDriver's own script and page-load timeouts (shorter, so they report first).
const SCRIPT_TIMEOUT_MS: u64 = 30_000;
/// How long the driver gets to print its port.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a blocked fetch waits for its console line. Chromium has logged it
/// by the time `fetch` rejects; Firefox's console service tells its listeners
/// from an event of its own, which may run just after.
const CONSOLE_WAIT: Duration = Duration::from_secs(5);

/// Kills the process group of the driver (the browser included) and removes
/// the temporary directory once its standard input closes: when the `Browser`
/// is replaced, and when the test binary exits in any way, even `SIGKILL`. The
/// shared browsers live in a `static`, which Rust never drops.
/// `$1` = process group, `$2` = temporary directory. (dash's `kill` takes no
/// `--`, so the negative pid follows the signal directly.)
const WATCHDOG: &str = r#"read -r _ || :
kill -KILL "-$1" 2>/dev/null
sleep 1
rm -rf -- "$2"
"#;

/// The two binaries of one engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserPaths {
    pub engine: Engine,
    pub browser: PathBuf,
    pub driver: PathBuf,
}

impl BrowserPaths {
    /// The paths from the engine's variables (`$CHROMIUM` / `$CHROMEDRIVER`,
    /// `$FIREFOX` / `$GECKODRIVER`), or the defaults; `Err` says what is
    /// missing.
    pub fn from_env(engine: Engine) -> Result<BrowserPaths, String> {
        let (browser, driver) = engine.env_vars();
        Self::locate(engine, std::env::var_os(browser), std::env::var_os(driver))
    }

    /// [`BrowserPaths::from_env`] with the variables' values passed in.
    pub fn locate(
        engine: Engine,
        browser: Option<OsString>,
        driver: Option<OsString>,
    ) -> Result<BrowserPaths, String> {
        let (browser_var, driver_var) = engine.env_vars();
        let (browser_default, driver_default) = match engine {
            Engine::Chromium => (
                PathBuf::from(DEFAULT_CHROMIUM),
                PathBuf::from(DEFAULT_CHROMEDRIVER),
            ),
            Engine::Firefox => (PathBuf::from(DEFAULT_FIREFOX), default_geckodriver()),
        };
        let pick = |value: Option<OsString>, var: &str, default: PathBuf| {
            let path = value
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or(default);
            if is_executable(&path) {
                Ok(path)
            } else {
                Err(format!(
                    "{} not found or not executable (set {var} to override)",
                    path.display()
                ))
            }
        };
        let browser = pick(browser, browser_var, browser_default);
        let driver = pick(driver, driver_var, driver_default);
        match (browser, driver) {
            (Ok(browser), Ok(driver)) => Ok(BrowserPaths {
                engine,
                browser,
                driver,
            }),
            (Err(a), Err(b)) => Err(format!("{a}; {b}")),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

/// Where `cargo install geckodriver` put it: `$CARGO_HOME/bin`, else
/// `~/.cargo/bin` (neither need be on `PATH`), else the first on `PATH`.
/// When there is none, the first of those paths, for the message.
pub fn default_geckodriver() -> PathBuf {
    find_geckodriver(
        std::env::var_os("CARGO_HOME"),
        std::env::var_os("HOME"),
        std::env::var_os("PATH"),
    )
}

fn find_geckodriver(
    cargo_home: Option<OsString>,
    home: Option<OsString>,
    path: Option<OsString>,
) -> PathBuf {
    let under = |dir: Option<OsString>, sub: &str| {
        dir.filter(|d| !d.is_empty())
            .map(|d| PathBuf::from(d).join(sub))
    };
    let on_path = path
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let candidates: Vec<PathBuf> = [under(cargo_home, "bin"), under(home, ".cargo/bin")]
        .into_iter()
        .flatten()
        .chain(on_path)
        .map(|dir| dir.join("geckodriver"))
        .collect();
    candidates
        .iter()
        .find(|path| is_executable(path))
        .or(candidates.first())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("geckodriver"))
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

/// What to do when an engine's browser or driver is missing: `Err(message)`
/// to fail with in CI, `Ok(message)` to print as a skip elsewhere.
pub fn missing_browser_verdict(engine: Engine, why: &str, ci: bool) -> Result<String, String> {
    let install = engine.install_hint();
    let (browser_var, driver_var) = engine.env_vars();
    if ci {
        Err(format!(
            "{engine} tests cannot run: {why}. CI is true, so this is a failure, not a skip: \
             {install} (or point {browser_var} / {driver_var} at the binaries)"
        ))
    } else {
        Ok(format!("skipped in {engine}: {install} ({why})"))
    }
}

enum Slot {
    Empty,
    Ready(Driver),
    /// Launching failed: later tests fail at once with the same message
    /// instead of each waiting for the same failure.
    Failed(String),
}

/// One browser per engine for this test binary; tests take turns with each.
static SLOTS: [Mutex<Slot>; 2] = [Mutex::new(Slot::Empty), Mutex::new(Slot::Empty)];

thread_local! {
    /// Which engines' browsers this thread holds.
    static HOLDING: Cell<[bool; 2]> = const { Cell::new([false; 2]) };
}

/// Exclusive use of the test binary's shared headless browser of one engine
/// for as long as it is alive. Tests that hold the same engine run one at a
/// time; everything else they do (servers, assertions) runs in parallel as
/// usual, and a Chromium test and a Firefox test run side by side. Each holder
/// starts from a clean state: `about:blank`, no cookies, empty HTTP cache and
/// empty preflight cache (Chromium: CDP `Network.clearBrowserCache` clears
/// both; Firefox: the clear-data service, from the browser's privileged
/// context; the smoke tests check it). Every [`crate::TestServer`] has a fresh
/// port anyway.
///
/// Use it from plain `#[test]` functions; every method blocks.
pub struct Browser {
    engine: Engine,
    guard: MutexGuard<'static, Slot>,
}

impl Browser {
    /// The shared browser of `engine`, started on first use (and restarted if
    /// an earlier test left it broken). `None` when the browser or its driver
    /// is missing and `CI` is not true: the caller returns, and a "skipped"
    /// line goes to the real stderr. Panics when they are missing and `CI` is
    /// true, and when the browser cannot be started.
    ///
    /// Holding two of one engine at once on one thread would deadlock, so
    /// that panics.
    #[track_caller]
    pub fn launch(engine: Engine) -> Option<Browser> {
        let paths = match BrowserPaths::from_env(engine) {
            Ok(paths) => paths,
            Err(why) => match missing_browser_verdict(engine, &why, running_in_ci()) {
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
            !HOLDING.get()[engine.index()],
            "Browser::launch: this thread already holds the {engine} browser; drop it first"
        );
        let mut guard = SLOTS[engine.index()]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Slot::Failed(why) = &*guard {
            panic!("{why} (an earlier test's launch failed)");
        }
        if let Slot::Ready(driver) = &*guard {
            if let Err(why) = driver.reset() {
                eprintln!("cors-e2e: restarting {engine}: {why}");
                *guard = Slot::Empty;
            }
        }
        if matches!(*guard, Slot::Empty) {
            match Driver::start(&paths) {
                Ok(driver) => *guard = Slot::Ready(driver),
                Err(why) => {
                    let why = format!("could not start {engine} through its driver: {why}");
                    *guard = Slot::Failed(why.clone());
                    drop(guard);
                    panic!("{why}");
                }
            }
        }
        let mut holding = HOLDING.get();
        holding[engine.index()] = true;
        HOLDING.set(holding);
        Some(Browser { engine, guard })
    }

    /// Which engine this is.
    pub fn engine(&self) -> Engine {
        self.engine
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
        let mut result = FetchResult::from_json(&answer, Vec::new(), self.engine)
            .unwrap_or_else(|e| panic!("fetch {}: {e}", request.url));
        result.console = driver.console();
        if result.is_blocked() {
            // The refusal's line may still be on its way to the console.
            let deadline = Instant::now() + CONSOLE_WAIT;
            while result.cors_error().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
                result.console.extend(driver.console());
            }
        }
        result
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
    /// fetch, which collects its own). Chromium's come from chromedriver's
    /// log; Firefox's from a console-service listener in the browser's
    /// privileged context (classic WebDriver has no log endpoint in Firefox).
    pub fn console(&self) -> Vec<String> {
        self.driver().console()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let mut holding = HOLDING.get();
        holding[self.engine.index()] = false;
        HOLDING.set(holding);
    }
}

impl fmt::Debug for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Browser")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
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

/// The driver's process group and the watchdog that kills it.
struct Processes {
    driver: Child,
    watchdog: Child,
    watchdog_stdin: Option<ChildStdin>,
    dir: PathBuf,
}

impl Processes {
    fn log_tail(&self) -> String {
        let mut out = String::new();
        for name in ["driver.stderr", "driver.stdout", "chromedriver.log"] {
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
            if let (Ok(Some(_)), Ok(Some(_))) = (self.driver.try_wait(), self.watchdog.try_wait()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Firefox, privileged context: keep every console message in a list on the
/// browser window, for [`CONSOLE_DRAIN`]. Content processes forward their
/// messages to this (the parent) process's console service; CORS refusals are
/// logged here directly, by the network code.
const CONSOLE_LISTENER: &str = r#"
if (!window.corsE2eConsole) {
  const lines = [];
  Services.console.registerListener({
    observe(message) {
      lines.push(message instanceof Ci.nsIScriptError ? message.errorMessage : message.message);
    },
  });
  window.corsE2eConsole = lines;
}
"#;

/// Firefox, privileged context: the console lines kept since the last call.
const CONSOLE_DRAIN: &str = r#"
if (!window.corsE2eConsole) throw new Error("the console listener is gone");
return window.corsE2eConsole.splice(0);
"#;

/// Firefox, privileged context (asynchronous): delete every cookie and empty
/// the HTTP, preflight and other caches.
const CLEAR_DATA: &str = r#"
const done = arguments[arguments.length - 1];
const flags = Ci.nsIClearDataService.CLEAR_COOKIES | Ci.nsIClearDataService.CLEAR_ALL_CACHES;
Services.clearData.deleteData(flags, (failed) => done(failed || 0));
"#;

struct Driver {
    engine: Engine,
    client: Client,
    processes: Processes,
    broken: Cell<bool>,
    page: RefCell<Option<String>>,
}

impl Driver {
    fn start(paths: &BrowserPaths) -> Result<Driver, String> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let engine = paths.engine;
        let dir = std::env::temp_dir().join(format!(
            "cors-e2e-{}-{}-{}",
            std::process::id(),
            engine.name().to_ascii_lowercase(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let profile = dir.join("profile");
        fs::create_dir_all(&profile)
            .map_err(|e| format!("cannot create {}: {e}", profile.display()))?;
        let stderr = File::create(dir.join("driver.stderr"))
            .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;

        let mut command = Command::new(&paths.driver);
        match engine {
            Engine::Chromium => {
                command.arg("--port=0").arg(format!(
                    "--log-path={}",
                    dir.join("chromedriver.log").display()
                ));
            }
            Engine::Firefox => {
                // --allow-system-access: the privileged context, for the
                // console listener and for clearing the caches. A fresh
                // profile is made under --profile-root for the session.
                // (Firefox's crash helper runs in a process group of its
                // own, out of the watchdog's reach; it exits with Firefox.)
                command
                    .args(["--port", "0", "--allow-system-access", "--profile-root"])
                    .arg(&profile);
            }
        }
        let mut driver = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", paths.driver.display()))?;
        let watchdog = Command::new("/bin/sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("cors-e2e-watchdog")
            .arg(driver.id().to_string())
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut watchdog = match watchdog {
            Ok(watchdog) => watchdog,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                let _ = fs::remove_dir_all(&dir);
                return Err(format!("cannot run /bin/sh for the watchdog: {e}"));
            }
        };
        let stdout = driver.stdout.take();
        let stdout_log = dir.join("driver.stdout");
        let processes = Processes {
            watchdog_stdin: watchdog.stdin.take(),
            driver,
            watchdog,
            dir,
        };

        let mark = match engine {
            Engine::Chromium => "started successfully on port ",
            Engine::Firefox => "Listening on 127.0.0.1:",
        };
        let port = match stdout.map(|out| read_driver_port(out, mark, &stdout_log)) {
            Some(Ok(port)) => port,
            Some(Err(e)) => return Err(format!("driver: {e}{}", processes.log_tail())),
            None => return Err("driver: no stdout".into()),
        };

        let timeouts = json!({
            "script": SCRIPT_TIMEOUT_MS,
            "pageLoad": SCRIPT_TIMEOUT_MS,
            "implicit": 0,
        });
        let capabilities = match engine {
            Engine::Chromium => {
                let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|&f| f.to_owned()).collect();
                args.push(format!("--user-data-dir={}", profile.display()));
                args.push(format!("--host-resolver-rules={HOST_RESOLVER_RULES}"));
                json!({
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": timeouts,
                    "goog:chromeOptions": {
                        "binary": paths.browser,
                        "args": args,
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                })
            }
            Engine::Firefox => {
                let prefs: serde_json::Map<String, Value> = FIREFOX_PREFS
                    .iter()
                    .map(|&(name, value)| (name.to_owned(), value.to_json()))
                    .collect();
                json!({
                    "browserName": "firefox",
                    "pageLoadStrategy": "normal",
                    "timeouts": timeouts,
                    "moz:firefoxOptions": {
                        "binary": paths.browser,
                        "args": ["-headless"],
                        "prefs": prefs,
                    },
                })
            }
        };
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
        let driver = Driver {
            engine,
            client,
            processes,
            broken: Cell::new(false),
            page: RefCell::new(None),
        };
        if engine == Engine::Firefox {
            driver.privileged("install the console listener", CONSOLE_LISTENER, false)?;
        }
        Ok(driver)
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

    /// Firefox: run `script` in the browser's privileged (chrome) context,
    /// then switch back to the page.
    fn privileged(&self, what: &str, script: &'static str, wait: bool) -> Result<Value, String> {
        self.raw("moz/context", json!({ "context": "chrome" }))?;
        let result = self.try_call(what, move |c| async move {
            if wait {
                c.execute_async(script, Vec::new()).await
            } else {
                c.execute(script, Vec::new()).await
            }
        });
        let back = self.raw("moz/context", json!({ "context": "content" }));
        let value = result?;
        back?;
        Ok(value)
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
        match self.engine {
            Engine::Chromium => {
                for cmd in ["Network.clearBrowserCookies", "Network.clearBrowserCache"] {
                    self.raw("goog/cdp/execute", json!({ "cmd": cmd, "params": {} }))?;
                }
            }
            Engine::Firefox => {
                let failed = self.privileged("clear cookies and caches", CLEAR_DATA, true)?;
                if failed != json!(0) {
                    self.broken.set(true);
                    return Err(format!(
                        "clearing cookies and caches failed for flags {failed}"
                    ));
                }
            }
        }
        self.try_console()?;
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
        self.try_console().unwrap_or_else(|e| panic!("{e}"))
    }

    fn try_console(&self) -> Result<Vec<String>, String> {
        let entries = match self.engine {
            Engine::Chromium => self.raw("se/log", json!({ "type": "browser" }))?,
            Engine::Firefox => self.privileged("read the console", CONSOLE_DRAIN, false)?,
        };
        let line = |entry: &Value| match entry {
            Value::String(text) => Some(text.clone()),
            _ => entry
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        Ok(entries
            .as_array()
            .map(|list| list.iter().filter_map(line).collect())
            .unwrap_or_default())
    }
}

/// Read the driver's stdout until it says which port it took; keep copying it
/// to `log` afterwards (for error messages), so the driver never blocks on a
/// full pipe.
fn read_driver_port(
    stdout: impl Read + Send + 'static,
    mark: &str,
    log: &Path,
) -> Result<u16, String> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::Builder::new()
        .name("driver-stdout".into())
        .spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let _ = file.write_all(line.as_bytes());
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
                if let Some(rest) = line.split(mark).nth(1) {
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
        for (engine, browser, driver, install) in [
            (
                Engine::Chromium,
                "/nonexistent/chromium",
                "/nonexistent/chromedriver",
                "apt-get install chromium chromium-driver",
            ),
            (
                Engine::Firefox,
                "/nonexistent/firefox-esr",
                "/nonexistent/geckodriver",
                "cargo install geckodriver --locked",
            ),
        ] {
            let why = BrowserPaths::locate(engine, Some(browser.into()), Some(driver.into()))
                .unwrap_err();
            assert!(why.contains(browser), "{why}");
            assert!(why.contains(driver), "{why}");

            let fail = missing_browser_verdict(engine, &why, true).unwrap_err();
            assert!(fail.contains("CI is true"), "{fail}");
            assert!(fail.contains(install), "{fail}");
            assert!(
                fail.starts_with(&format!("{engine} tests cannot run")),
                "{fail}"
            );

            let skip = missing_browser_verdict(engine, &why, false).unwrap();
            assert!(
                skip.starts_with(&format!("skipped in {engine}: install with `")),
                "{skip}"
            );
            assert!(skip.contains(install), "{skip}");
        }
    }

    #[test]
    fn geckodriver_is_found_in_cargo_bin_off_path() {
        let dir = std::env::temp_dir().join(format!("cors-e2e-gd-test-{}", std::process::id()));
        let install = |bin: PathBuf| {
            fs::create_dir_all(&bin).unwrap();
            let driver = bin.join("geckodriver");
            fs::write(&driver, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&driver, fs::Permissions::from_mode(0o755)).unwrap();
            driver
        };
        let in_cargo_home = install(dir.join("cargo/bin"));
        let in_home = install(dir.join("home/.cargo/bin"));
        let os = |p: PathBuf| Some(p.into_os_string());

        // $CARGO_HOME/bin first, though PATH does not list it.
        let found = find_geckodriver(os(dir.join("cargo")), os(dir.join("home")), None);
        assert_eq!(found, in_cargo_home);
        // ~/.cargo/bin when CARGO_HOME is unset or has none.
        assert_eq!(find_geckodriver(None, os(dir.join("home")), None), in_home);
        let found = find_geckodriver(os(dir.clone()), os(dir.join("home")), None);
        assert_eq!(found, in_home);
        // PATH last.
        let found = find_geckodriver(None, os(dir.clone()), os(dir.join("cargo/bin")));
        assert_eq!(found, in_cargo_home);
        // Nowhere: the first place looked in, for the message.
        let found = find_geckodriver(Some("/nonexistent".into()), None, None);
        assert_eq!(found, PathBuf::from("/nonexistent/bin/geckodriver"));

        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn env_overrides_the_default_paths() {
        for engine in Engine::ALL {
            let found =
                BrowserPaths::locate(engine, Some("/bin/sh".into()), Some("/bin/sh".into()))
                    .unwrap();
            assert_eq!(found.browser, PathBuf::from("/bin/sh"));
            assert_eq!(found.driver, PathBuf::from("/bin/sh"));
            // A directory or a non-executable file is not a browser.
            let sh = || Some("/bin/sh".into());
            assert!(BrowserPaths::locate(engine, Some("/tmp".into()), sh()).is_err());
            assert!(BrowserPaths::locate(engine, Some("/etc/passwd".into()), sh()).is_err());
            assert!(BrowserPaths::locate(engine, sh(), Some("/etc/passwd".into())).is_err());
        }
    }
}
