use actix_web::{get, HttpResponse, Responder};
use cors_actix::cors;

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*", "null"],
    headers = ["content-type", "x-custom"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
    preflight_status = 200
)]
#[get("/api/posts")]
async fn posts() -> impl Responder {
    HttpResponse::Ok()
}

fn main() {
    let _app = actix_web::App::new().service(posts);
}
