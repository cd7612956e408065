// `policy = ..` builds the whole policy: every other key is reported.
fn partner_policy() -> cors_actix::Cors {
    cors_actix::Cors::builder()
        .allow_origins(["https://partner.example"])
        .build()
        .unwrap()
}

#[cors_actix::cors(policy = partner_policy, origins = ["https://app.example.com"], credentials = true)]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    let _app = actix_web::App::new().service(handler);
}
