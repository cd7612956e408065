// Every mistake of one attribute is reported at once: a malformed origin, a
// max_age out of range and an unknown key.
#[cors_actix::cors(
    origins = ["https://app.example.com", "https://a.com/"],
    max_age = 86401,
    allow_methods = ["GET", "PUT"],
)]
#[actix_web::put("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    let _app = actix_web::App::new().service(handler);
}
