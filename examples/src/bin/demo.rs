//! `cargo run -p cors-examples`: the API on 127.0.0.1:8000 and the page on
//! localhost:9000 (override with --api / --page or DEMO_API / DEMO_PAGE).

use actix_web::{App, HttpServer};
use cors_examples::{api, page, setting};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

const HELP: &str = "\
cors-actix demo: an API and a page on two origins; the page's script makes every kind of
cross-origin request and shows what the browser decided, and why, next to the server's
explanation (Cors::explain).

usage: cargo run -p cors-examples [-- --api HOST:PORT] [--page HOST:PORT]

  --api HOST:PORT    where the API listens (env DEMO_API; default 127.0.0.1:8000)
  --page HOST:PORT   where the page listens (env DEMO_PAGE; default localhost:9000)
  -h, --help         this text

Open the page's address in a browser, with its developer tools' console. The page is also
allowed as http://<API host>:<page port>, the same site as the API, where cookies flow.
";

async fn run() -> std::io::Result<()> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        print!("{HELP}");
        return Ok(());
    }
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("info,cors_actix=debug"),
    )
    .init();

    let api_addr = setting("--api", "DEMO_API", "127.0.0.1:8000");
    let page_addr = setting("--page", "DEMO_PAGE", "localhost:9000");
    let api_base = format!("http://{api_addr}");
    let page_port = page_addr.rsplit(':').next().unwrap_or("9000");
    let api_host = api_addr.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
    // The page is reachable as localhost (another site than 127.0.0.1) and
    // as the API's host on the page's port (same site, other origin), so
    // both cookie situations can be seen.
    let page_origins = vec![
        format!("http://{page_addr}"),
        format!("http://localhost:{page_port}"),
        format!("http://{api_host}:{page_port}"),
    ];
    let cors = match api::api_cors(&page_origins) {
        Ok(cors) => cors,
        Err(e) => {
            eprintln!("invalid CORS policy: {e}");
            std::process::exit(2);
        }
    };

    let api_server = HttpServer::new(move || {
        App::new()
            .wrap(cors.clone())
            .configure(api::configure(cors.clone()))
    })
    .workers(1)
    .bind(&api_addr)
    .map_err(|e| bind_error("API", &api_addr, "--api", e))?
    .run();
    let page_server = HttpServer::new({
        let api_base = api_base.clone();
        move || App::new().configure(|cfg| page::configure(cfg, api_base.clone()))
    })
    .workers(1)
    .bind(&page_addr)
    .map_err(|e| bind_error("page", &page_addr, "--page", e))?
    .run();

    println!("API:  {api_base}");
    println!("page: http://{page_addr}   <- open this in a browser");
    println!("      http://{api_host}:{page_port}   (same site as the API: cookies flow)");
    futures_join(api_server, page_server).await
}

async fn futures_join(a: actix_web::dev::Server, b: actix_web::dev::Server) -> std::io::Result<()> {
    let (a, b) = (actix_web::rt::spawn(a), actix_web::rt::spawn(b));
    a.await.map_err(std::io::Error::other)??;
    b.await.map_err(std::io::Error::other)??;
    Ok(())
}

/// Says which address could not be bound and how to pick another.
fn bind_error(what: &str, addr: &str, flag: &str, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(
        e.kind(),
        format!("cannot listen for the {what} on {addr}: {e}; choose another address with {flag} HOST:PORT"),
    )
}
