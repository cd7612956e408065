//! "*" for origins, headers and expose; origin_fn alone and with origins.
use actix_web::dev::RequestHead;
use actix_web::{get, App, HttpResponse, Responder};
use cors_actix::cors;

#[cors(
    origins = "*",
    headers = "*",
    expose = "*",
    max_age = 86400,
    preflight_status = 200
)]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["*"], headers = ["*"], expose = ["*"])]
#[get("/public-list")]
async fn public_list() -> impl Responder {
    HttpResponse::Ok()
}

mod partners {
    pub fn is_partner(origin: &str, _head: &actix_web::dev::RequestHead) -> bool {
        origin.ends_with(".partner.example")
    }
}

fn is_local(origin: &str, head: &RequestHead) -> bool {
    origin.starts_with("http://127.0.0.1") && head.uri.path() != "/"
}

#[cors(origin_fn = partners::is_partner, credentials = true)]
#[get("/partners")]
async fn partner_only() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com", "null"], origin_fn = is_local, private_network = true)]
#[get("/local")]
async fn local() -> impl Responder {
    HttpResponse::Ok()
}

fn main() {
    let _app = App::new()
        .service(public)
        .service(public_list)
        .service(partner_only)
        .service(local);
}
