//! In-process actix-web servers on free loopback ports, with a log of every
//! request that reached them.

use std::net::TcpListener;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::{web, App, HttpResponse, HttpServer};

/// How long [`TestServer::start`] waits for the server thread to come up.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long dropping a [`TestServer`] waits for its thread to finish.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// One request as it arrived at a [`TestServer`], and what the server answered.
///
/// Recorded by a `wrap_fn` that sits outside every middleware of the app, so
/// it sees exactly what the browser sent (preflights included), whatever the
/// app does with it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// The method exactly as sent (`fetch` leaves e.g. `patch` lower-case).
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query string, without `?` (empty when there is none).
    pub query: String,
    /// Request headers, names lower-case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// Status of the answer; `None` while the app is still working on it.
    pub status: Option<u16>,
    /// Response headers the server sent (names lower-case).
    pub response_headers: Vec<(String, String)>,
}

impl Seen {
    /// First value of request header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, name)
    }

    /// First value of response header `name` (case-insensitive).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        find(&self.response_headers, name)
    }

    /// A CORS preflight: `OPTIONS` with `Access-Control-Request-Method`.
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.header("access-control-request-method").is_some()
    }
}

fn find<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn header_pairs(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Every request a [`TestServer`] received, in arrival order. Cheap to clone
/// (shared).
#[derive(Clone, Debug, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Seen>>>);

impl RequestLog {
    fn lock(&self) -> MutexGuard<'_, Vec<Seen>> {
        // A panicking handler must not hide the requests seen so far.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record_request(&self, req: &ServiceRequest) -> usize {
        let mut log = self.lock();
        log.push(Seen {
            method: req.method().as_str().to_owned(),
            path: req.path().to_owned(),
            query: req.query_string().to_owned(),
            headers: header_pairs(req.headers()),
            status: None,
            response_headers: Vec::new(),
        });
        log.len() - 1
    }

    fn record_response(&self, index: usize, status: u16, headers: &HeaderMap) {
        if let Some(seen) = self.lock().get_mut(index) {
            seen.status = Some(status);
            seen.response_headers = header_pairs(headers);
        }
    }

    /// A copy of everything received so far.
    pub fn all(&self) -> Vec<Seen> {
        self.lock().clone()
    }

    /// The requests with exactly this method (case-sensitive) and path.
    pub fn matching(&self, method: &str, path: &str) -> Vec<Seen> {
        self.lock()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .cloned()
            .collect()
    }

    /// How many requests with exactly this method (case-sensitive) and path
    /// arrived. `count("OPTIONS", p)` counts preflights and plain OPTIONS alike.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.lock()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .count()
    }

    /// How many CORS preflights (see [`Seen::is_preflight`]) arrived for `path`.
    pub fn preflights(&self, path: &str) -> usize {
        self.lock()
            .iter()
            .filter(|s| s.path == path && s.is_preflight())
            .count()
    }

    /// Forget everything recorded so far.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// An actix-web server on `127.0.0.1:<free port>`, running on its own thread
/// with its own actix system and a single worker; stopped when dropped.
///
/// Every request is recorded in [`TestServer::log`].
pub struct TestServer {
    port: u16,
    log: RequestLog,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Start a server whose app is built by `factory` (called once per worker,
    /// like the closure given to [`HttpServer::new`]).
    ///
    /// ```no_run
    /// use actix_web::{web, App, HttpResponse};
    /// let server = cors_e2e::TestServer::start(|| {
    ///     App::new().route("/data", web::get().to(|| async { HttpResponse::Ok().body("hi") }))
    /// });
    /// let url = server.url(cors_e2e::API, "/data"); // http://api.test:<port>/data
    /// ```
    ///
    /// Panics if the server cannot be started.
    pub fn start<F, T, B>(factory: F) -> TestServer
    where
        F: Fn() -> App<T> + Send + Clone + 'static,
        T: ServiceFactory<
                ServiceRequest,
                Config = (),
                Response = ServiceResponse<B>,
                Error = actix_web::Error,
                InitError = (),
            > + 'static,
        B: MessageBody + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("test server: cannot bind 127.0.0.1:0: {e}"));
        TestServer::start_on(listener, factory)
    }

    /// [`TestServer::start`] on a listener bound beforehand, for apps that
    /// must know their own port (or another server's) before they are built:
    /// e.g. two apps that each name the other's origin.
    ///
    /// Panics if the server cannot be started.
    pub fn start_on<F, T, B>(listener: TcpListener, factory: F) -> TestServer
    where
        F: Fn() -> App<T> + Send + Clone + 'static,
        T: ServiceFactory<
                ServiceRequest,
                Config = (),
                Response = ServiceResponse<B>,
                Error = actix_web::Error,
                InitError = (),
            > + 'static,
        B: MessageBody + 'static,
    {
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("test server: no local address: {e}"))
            .port();
        let log = RequestLog::default();
        let app_log = log.clone();
        let (tx, rx) = mpsc::channel();

        let thread = std::thread::Builder::new()
            .name(format!("test-server-{port}"))
            .spawn(move || {
                let system = actix_web::rt::System::new();
                system.block_on(async move {
                    let server = HttpServer::new(move || {
                        let log = app_log.clone();
                        factory().wrap_fn(move |req, service| {
                            let log = log.clone();
                            let index = log.record_request(&req);
                            let answer = service.call(req);
                            async move {
                                let answer = answer.await;
                                match &answer {
                                    Ok(res) => log.record_response(
                                        index,
                                        res.status().as_u16(),
                                        res.headers(),
                                    ),
                                    Err(err) => log.record_response(
                                        index,
                                        err.as_response_error().status_code().as_u16(),
                                        &HeaderMap::new(),
                                    ),
                                }
                                answer
                            }
                        })
                    })
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener);
                    let server = match server {
                        Ok(server) => server.run(),
                        Err(e) => {
                            let _ = tx.send(Err(e.to_string()));
                            return;
                        }
                    };
                    let _ = tx.send(Ok(server.handle()));
                    if let Err(e) = server.await {
                        eprintln!("test server on port {port} stopped with an error: {e}");
                    }
                });
            })
            .unwrap_or_else(|e| panic!("test server: cannot spawn its thread: {e}"));

        let handle = match rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(handle)) => handle,
            Ok(Err(e)) => panic!("test server on port {port} failed to start: {e}"),
            Err(e) => {
                panic!("test server on port {port} did not start within {START_TIMEOUT:?}: {e}")
            }
        };
        TestServer {
            port,
            log,
            handle,
            thread: Some(thread),
        }
    }

    /// The port it listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://{host}:{port}`: the origin under which the browser reaches
    /// this server when `host` resolves to 127.0.0.1 (see the crate docs).
    pub fn origin(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// `http://{host}:{port}{path}`; `path` should start with `/`.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// Every request received so far.
    pub fn log(&self) -> &RequestLog {
        &self.log
    }

    /// Shorthand for [`RequestLog::count`].
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.log.count(method, path)
    }

    /// Shorthand for [`RequestLog::preflights`].
    pub fn preflights(&self, path: &str) -> usize {
        self.log.preflights(path)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // `stop` sends the command right away; its future only reports completion.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let deadline = Instant::now() + STOP_TIMEOUT;
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
            // Otherwise leave the thread behind rather than hang the test.
        }
    }
}

/// The HTML that [`PageServer`] serves.
pub const EMPTY_PAGE: &str =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>cors-e2e</title></head><body></body></html>";

/// A server that answers every GET with an empty HTML page: the document from
/// which the browser runs `fetch()`, giving the request its `Origin`.
pub struct PageServer {
    host: String,
    server: TestServer,
}

impl PageServer {
    /// Serve the page on 127.0.0.1 at a free port, to be opened as
    /// `http://{host}:{port}/`. `host` must resolve to 127.0.0.1 in the
    /// browser: one of the crate's host constants, `127.0.0.1` or `localhost`.
    pub fn start(host: &str) -> PageServer {
        let server = TestServer::start(|| {
            App::new().default_service(web::to(|| async {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(EMPTY_PAGE)
            }))
        });
        PageServer {
            host: host.to_owned(),
            server,
        }
    }

    /// The page's origin, `http://{host}:{port}`: what the browser sends as
    /// `Origin`.
    pub fn origin(&self) -> String {
        self.server.origin(&self.host)
    }

    /// The host it was started for.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The underlying server (its port and request log).
    pub fn server(&self) -> &TestServer {
        &self.server
    }
}
